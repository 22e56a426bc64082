import "server-only";
import { badRequest, conflict, notFound } from "@/lib/api/errors";
import { recordAuditEvent } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/require";
import { db, transaction, type Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { pageArgs, toPage, type Page } from "@/lib/pagination";
import { readableTeamIds } from "./access";
import { ZCreateModelInput, ZListModelsQuery, ZUpdateModelInput, type TCreateModelInput, type TUpdateModelInput } from "./schemas";
import { modelInclude, toModelView, type ModelView } from "./views";

/** The model named `name` if `actor` may read it; 404 otherwise (403 would confirm it exists). */
export async function findReadableModel(client: Tx, actor: Actor | null, name: string, permission: "registry.read" | "serving.read" | "aliases.rollback" = "registry.read") {
  const a = requirePermission(actor, permission);
  const model = await client.registeredModel.findUnique({ where: { name } });
  const teams = readableTeamIds(a, permission);
  if (!model || (teams !== null && !teams.includes(model.teamId))) throw notFound(`No model named "${name}"`);
  return model;
}

export async function createModel(opts: { actor: Actor | null; input: TCreateModelInput }): Promise<ModelView> {
  const input = ZCreateModelInput.parse(opts.input);
  return transaction(async (tx) => {
    const team = await tx.team.findUnique({ where: { slug: input.team } });
    if (!team) throw badRequest(`No team "${input.team}"`, [{ path: "team", message: `No team "${input.team}"` }]);
    const actor = requirePermission(opts.actor, "registry.write", team.id);
    if (await tx.registeredModel.findUnique({ where: { name: input.name } })) {
      throw conflict(`A model named "${input.name}" already exists`, [{ path: "name", message: "Already taken" }]);
    }
    const model = await tx.registeredModel.create({
      data: { name: input.name, description: input.description ?? "", teamId: team.id, tags: input.tags, riskTier: input.riskTier },
      include: modelInclude,
    });
    await recordAuditEvent(tx, {
      actor,
      action: "model.create",
      target: { type: "model", id: model.id, teamId: team.id },
      after: { name: model.name, team: team.slug, riskTier: model.riskTier, tags: input.tags },
    });
    return toModelView(model);
  });
}

export async function listModels(opts: { actor: Actor | null; query: unknown }): Promise<Page<ModelView>> {
  const actor = requirePermission(opts.actor, "registry.read");
  const q = ZListModelsQuery.parse(opts.query);
  const teams = readableTeamIds(actor);
  const eq = q.tag?.indexOf("=") ?? -1;
  const [tagKey, tagValue] = q.tag ? [q.tag.slice(0, eq), q.tag.slice(eq + 1)] : [];
  const where: Prisma.RegisteredModelWhereInput = {
    ...(teams === null ? {} : { teamId: { in: teams } }),
    ...(q.team ? { team: { slug: q.team } } : {}),
    ...(q.riskTier ? { riskTier: q.riskTier } : {}),
    ...(tagKey ? { tags: { path: [tagKey], equals: tagValue } } : {}),
    ...(q.q ? { OR: [{ name: { contains: q.q, mode: "insensitive" } }, { description: { contains: q.q, mode: "insensitive" } }] } : {}),
  };
  const rows = await db.registeredModel.findMany({ where, orderBy: { name: "asc" }, include: modelInclude, ...pageArgs("name", q.cursor, q.limit) });
  return toPage(rows.map(toModelView), q.limit, (m) => m.name);
}

export async function getModel(opts: { actor: Actor | null; name: string }): Promise<ModelView> {
  const model = await findReadableModel(db, opts.actor, opts.name);
  return toModelView(await db.registeredModel.findUniqueOrThrow({ where: { id: model.id }, include: modelInclude }));
}

/**
 * Changes a model's description or tags (a function computes them from the locked row, so setting one tag keeps
 * the others), with the audit event.
 */
export async function updateModel(opts: { actor: Actor | null; name: string; change: (before: { description: string; tags: Record<string, string> }) => TUpdateModelInput }): Promise<ModelView> {
  return transaction(async (tx) => {
    const found = await findReadableModel(tx, opts.actor, opts.name);
    const actor = requirePermission(opts.actor, "registry.write", found.teamId);
    await tx.$executeRaw`SELECT 1 FROM registered_models WHERE id = ${found.id} FOR UPDATE`;
    const before = await tx.registeredModel.findUniqueOrThrow({ where: { id: found.id } });
    const input = ZUpdateModelInput.parse(opts.change({ description: before.description, tags: before.tags as Record<string, string> }));
    const model = await tx.registeredModel.update({ where: { id: found.id }, data: { description: input.description, tags: input.tags }, include: modelInclude });
    const changed = (["description", "tags"] as const).filter((k) => input[k] !== undefined);
    await recordAuditEvent(tx, {
      actor,
      action: "model.update",
      target: { type: "model", id: model.id, teamId: model.teamId },
      before: Object.fromEntries(changed.map((k) => [k, before[k]])),
      after: Object.fromEntries(changed.map((k) => [k, model[k]])),
      reason: input.reason,
    });
    return toModelView(model);
  });
}
