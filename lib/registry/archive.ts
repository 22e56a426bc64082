import "server-only";
import { AppError, conflict } from "@/lib/api/errors";
import { recordAuditEvent } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/require";
import { transaction, type Tx } from "@/lib/db";
import { effectivePolicyFor } from "@/lib/policy/policies";
import { SYSTEM, reevaluateModel } from "@/lib/promotions/settle";
import { lockModel, moveAlias } from "./aliases";
import { findReadableModel } from "./models";
import { findVersion, parseVersionNumber } from "./versions";

/**
 * Deletes as the MLflow API asks for them, the Gatehouse way: nothing is removed. A deleted version is archived, a
 * deleted model is archived with all its versions; the unprotected aliases on them are removed (as MLflow removes
 * them), each with its history and audit event. A protected alias (champion…) is never removed this way: a
 * version serving it must be replaced through a promotion first.
 */

type Model = { id: string; name: string; teamId: string };

async function refuseProtectedHolders(tx: Tx, model: Model, aliases: { name: string; version: { version: number } }[], what: string) {
  const { policy } = await effectivePolicyFor(tx, model.id);
  const held = aliases.filter((a) => policy.protectedAliases.includes(a.name));
  if (held.length) {
    throw new AppError(
      403,
      "protected_alias",
      `${what} cannot be deleted: ${held.map((a) => `@${a.name} (protected) points at version ${a.version.version}`).join(", ")}. Protected aliases move only through approved promotion requests and rollbacks; promote or roll back to another version first.`,
    );
  }
}

async function refuseRollingOut(tx: Tx, model: Model, versionIds: string[]) {
  const moving = await tx.promotionRequest.findFirst({ where: { versionId: { in: versionIds }, status: "rolling-out" }, select: { number: true, version: { select: { version: true } } } });
  if (moving) throw conflict(`Version ${moving.version.version} of ${model.name} is rolling out (request #${moving.number}); cancel it before deleting.`);
}

async function removeAliases(tx: Tx, o: { model: Model; aliases: { name: string }[]; actor: Actor; reason: string }) {
  for (const a of o.aliases) await moveAlias(tx, { model: o.model, alias: a.name, target: null, actor: o.actor, reason: o.reason, via: "direct", action: "alias.delete" });
}

export type ArchiveResult = { archived: true; model: string; versions: number[]; aliasesRemoved: string[] };

/** Archives one version (MLflow `DeleteModelVersion`). Archiving an archived version changes nothing. */
export async function archiveVersion(opts: { actor: Actor | null; model: string; version: string; reason: string }): Promise<ArchiveResult> {
  const number = parseVersionNumber(opts.version);
  return transaction(async (tx) => {
    const model = await findReadableModel(tx, opts.actor, opts.model);
    const actor = requirePermission(opts.actor, "registry.write", model.teamId);
    await lockModel(tx, model.id);
    const version = await findVersion(tx, model.id, model.name, number);
    if (version.status === "archived") return { archived: true as const, model: model.name, versions: [], aliasesRemoved: [] };
    const aliases = version.aliases.map((a) => ({ name: a.name, version: { version: number } }));
    await refuseProtectedHolders(tx, model, aliases, `Version ${number} of ${model.name}`);
    await refuseRollingOut(tx, model, [version.id]);
    await removeAliases(tx, { model, aliases, actor, reason: opts.reason });
    await tx.modelVersion.update({ where: { id: version.id }, data: { status: "archived" } });
    await recordAuditEvent(tx, { actor, action: "version.update", target: { type: "model-version", id: version.id, teamId: model.teamId }, before: { status: "ready" }, after: { status: "archived" }, reason: opts.reason });
    await reevaluateModel(tx, { modelId: model.id, actor: SYSTEM });
    return { archived: true as const, model: model.name, versions: [number], aliasesRemoved: aliases.map((a) => a.name) };
  });
}

/** Archives a model and every ready version of it (MLflow `DeleteRegisteredModel`). */
export async function archiveModel(opts: { actor: Actor | null; model: string; reason: string }): Promise<ArchiveResult> {
  return transaction(async (tx) => {
    const model = await findReadableModel(tx, opts.actor, opts.model);
    const actor = requirePermission(opts.actor, "registry.write", model.teamId);
    await lockModel(tx, model.id);
    if (model.archivedAt) return { archived: true as const, model: model.name, versions: [], aliasesRemoved: [] };
    const aliases = await tx.modelAlias.findMany({ where: { modelId: model.id }, select: { name: true, version: { select: { version: true } } }, orderBy: { name: "asc" } });
    await refuseProtectedHolders(tx, model, aliases, `Model ${model.name}`);
    const ready = await tx.modelVersion.findMany({ where: { modelId: model.id, status: "ready" }, select: { id: true, version: true }, orderBy: { version: "asc" } });
    await refuseRollingOut(tx, model, ready.map((v) => v.id));
    await removeAliases(tx, { model, aliases, actor, reason: opts.reason });
    await tx.modelVersion.updateMany({ where: { id: { in: ready.map((v) => v.id) } }, data: { status: "archived" } });
    const archivedAt = new Date();
    await tx.registeredModel.update({ where: { id: model.id }, data: { archivedAt } });
    await recordAuditEvent(tx, {
      actor,
      action: "model.archive",
      target: { type: "model", id: model.id, teamId: model.teamId },
      before: { archivedAt: null },
      after: { archivedAt: archivedAt.toISOString(), versionsArchived: ready.map((v) => v.version), aliasesRemoved: aliases.map((a) => a.name) },
      reason: opts.reason,
    });
    await reevaluateModel(tx, { modelId: model.id, actor: SYSTEM });
    return { archived: true as const, model: model.name, versions: ready.map((v) => v.version), aliasesRemoved: aliases.map((a) => a.name) };
  });
}
