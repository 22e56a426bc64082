import "server-only";
import { ZodError } from "zod";
import { AppError } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/require";
import { db } from "@/lib/db";
import { readableTeamIds } from "@/lib/registry/access";
import { archiveModel, archiveVersion, type ArchiveResult } from "@/lib/registry/archive";
import { createModel, updateModel } from "@/lib/registry/models";
import { registerVersion, updateVersion } from "@/lib/registry/versions";
import { doesNotExist, invalidParameter, MlflowError } from "./errors";
import { findMlflowModel, findMlflowVersion, modelJson, versionJson, versionNumber } from "./read";
import { MODEL_FIELD_TAGS, originOf, reservedTagProblem, tagRecord, versionInputFromMlflow, type FieldOrigins, type MlflowTag } from "./shapes";

/** Changes to the registry through the MLflow API: MLflow's semantics, Gatehouse's use cases (audit, locks, rules). */

const VIA = "through the MLflow API";

/** Runs `fn`, naming each validation problem by the MLflow request's field rather than Gatehouse's. */
async function asMlflowFields<T>(origins: FieldOrigins, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ZodError) {
      throw new ZodError(err.issues.map((i) => ({ ...i, path: originOf(i.path.map(String).join("."), origins).split(".") })));
    }
    throw err;
  }
}

/** The team a new model belongs to: the `gatehouse.team` tag, else the caller's only team. */
async function owningTeam(actor: Actor, tags: Record<string, string>): Promise<string> {
  if (tags[MODEL_FIELD_TAGS.team]) return tags[MODEL_FIELD_TAGS.team];
  const a = requirePermission(actor, "registry.write");
  const ids = readableTeamIds(a, "registry.write");
  const teams = await db.team.findMany({ where: ids === null ? {} : { id: { in: ids } }, select: { slug: true }, orderBy: { slug: "asc" } });
  if (ids !== null && teams.length === 1) return teams[0].slug;
  throw invalidParameter(
    `Name the team that owns the new model with the tag '${MODEL_FIELD_TAGS.team}' (its slug)${teams.length ? `: one of ${teams.map((t) => t.slug).join(", ")}` : ""}. Every Gatehouse model belongs to a team, whose policy and approvers govern it.`,
  );
}

export async function createRegisteredModel(actor: Actor, req: { name: string; tags?: MlflowTag[]; description?: string }) {
  // Before the name is looked up: only those who may register learn whether a name is taken.
  requirePermission(actor, "registry.write");
  const tags = tagRecord(req.tags);
  const existing = await db.registeredModel.findUnique({ where: { name: req.name }, select: { archivedAt: true } });
  const exists = () =>
    new MlflowError("RESOURCE_ALREADY_EXISTS", `Registered Model (name=${req.name}) already exists.${existing?.archivedAt ? " It was deleted (archived) in Gatehouse, which keeps its history; choose another name." : ""}`);
  if (existing) throw exists();
  const { [MODEL_FIELD_TAGS.team]: _team, [MODEL_FIELD_TAGS.riskTier]: riskTier, ...plain } = tags;
  const team = await owningTeam(actor, tags);
  try {
    const model = await asMlflowFields({ team: `tags.${MODEL_FIELD_TAGS.team}`, riskTier: `tags.${MODEL_FIELD_TAGS.riskTier}` }, () =>
      createModel({ actor, input: { name: req.name, description: req.description, team, tags: plain, riskTier: riskTier as "standard" | "regulated" | undefined } }),
    );
    const row = await db.registeredModel.findUniqueOrThrow({ where: { name: model.name }, select: { id: true } });
    return { registered_model: await modelJson(db, row.id) };
  } catch (err) {
    if (err instanceof AppError && err.status === 409) throw exists();
    throw err;
  }
}

export async function updateRegisteredModel(actor: Actor, req: { name: string; description?: string }) {
  const model = await findMlflowModel(db, actor, req.name);
  if (req.description !== undefined) await updateModel({ actor, name: model.name, change: () => ({ description: req.description, reason: `Description updated ${VIA}` }) });
  return { registered_model: await modelJson(db, model.id) };
}

function refuseReserved(target: "model" | "version", key: string) {
  const problem = reservedTagProblem(target, key);
  if (problem) throw invalidParameter(problem);
}

export async function setRegisteredModelTag(actor: Actor, req: { name: string; key: string; value: string }) {
  refuseReserved("model", req.key);
  const model = await findMlflowModel(db, actor, req.name);
  await asMlflowFields({ [`tags.${req.key}`]: "value" }, () => updateModel({ actor, name: model.name, change: (b) => ({ tags: { ...b.tags, [req.key]: req.value }, reason: `Tag ${req.key} set ${VIA}` }) }));
  return {};
}

export async function deleteRegisteredModelTag(actor: Actor, req: { name: string; key: string }) {
  refuseReserved("model", req.key);
  const model = await findMlflowModel(db, actor, req.name);
  await updateModel({
    actor,
    name: model.name,
    change: (b) => {
      if (!(req.key in b.tags)) throw doesNotExist(`No tag with name: ${req.key} in registered model with name: ${model.name}`);
      const { [req.key]: _gone, ...rest } = b.tags;
      return { tags: rest, reason: `Tag ${req.key} deleted ${VIA}` };
    },
  });
  return {};
}

/** What a delete did, in the response: Gatehouse archives instead (MLflow clients ignore the extra field). */
function archivedReply(what: string, r: ArchiveResult) {
  const aliases = r.aliasesRemoved.length ? ` Removed alias${r.aliasesRemoved.length > 1 ? "es" : ""} ${r.aliasesRemoved.map((a) => `@${a}`).join(", ")}.` : "";
  return { gatehouse: { archived: true, message: `${what} was archived, not erased: Gatehouse keeps it, its history and its audit trail.${aliases}`, versions: r.versions.map(String), aliases_removed: r.aliasesRemoved } };
}

export async function deleteRegisteredModel(actor: Actor, req: { name: string }) {
  const model = await findMlflowModel(db, actor, req.name);
  return archivedReply(`Registered model ${model.name}`, await archiveModel({ actor, model: model.name, reason: `Deleted ${VIA}` }));
}

export async function createModelVersion(actor: Actor, req: { name: string; source: string; run_id?: string; tags?: MlflowTag[]; run_link?: string; description?: string }) {
  const model = await findMlflowModel(db, actor, req.name);
  const { input, origins } = versionInputFromMlflow({ ...req, tags: tagRecord(req.tags) });
  const view = await asMlflowFields(origins, () => registerVersion({ actor, model: model.name, input, via: "mlflow" }));
  return { model_version: versionJson(await findMlflowVersion(db, model, String(view.version))) };
}

export async function updateModelVersion(actor: Actor, req: { name: string; version: string; description?: string }) {
  const model = await findMlflowModel(db, actor, req.name);
  await findMlflowVersion(db, model, req.version);
  if (req.description !== undefined) await updateVersion({ actor, model: model.name, version: String(versionNumber(req.version)), input: { description: req.description, reason: `Description updated ${VIA}` } });
  return { model_version: versionJson(await findMlflowVersion(db, model, req.version)) };
}

export async function deleteModelVersion(actor: Actor, req: { name: string; version: string }) {
  const model = await findMlflowModel(db, actor, req.name);
  const v = await findMlflowVersion(db, model, req.version);
  return archivedReply(`Version ${v.version} of ${model.name}`, await archiveVersion({ actor, model: model.name, version: String(v.version), reason: `Deleted ${VIA}` }));
}

export async function setModelVersionTag(actor: Actor, req: { name: string; version: string; key: string; value: string }) {
  refuseReserved("version", req.key);
  const model = await findMlflowModel(db, actor, req.name);
  const v = await findMlflowVersion(db, model, req.version);
  await asMlflowFields({ [`tags.${req.key}`]: "value" }, () =>
    updateVersion({ actor, model: model.name, version: String(v.version), input: (b) => ({ tags: { ...b.tags, [req.key]: req.value }, reason: `Tag ${req.key} set ${VIA}` }) }),
  );
  return {};
}

export async function deleteModelVersionTag(actor: Actor, req: { name: string; version: string; key: string }) {
  refuseReserved("version", req.key);
  const model = await findMlflowModel(db, actor, req.name);
  const v = await findMlflowVersion(db, model, req.version);
  await updateVersion({
    actor,
    model: model.name,
    version: String(v.version),
    input: (b) => {
      if (!(req.key in b.tags)) throw doesNotExist(`No tag with name: ${req.key} for model version with name: ${model.name} and version: ${v.version}`);
      const { [req.key]: _gone, ...rest } = b.tags;
      return { tags: rest, reason: `Tag ${req.key} deleted ${VIA}` };
    },
  });
  return {};
}
