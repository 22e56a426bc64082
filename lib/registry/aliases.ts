import "server-only";
import { z } from "zod";
import { aliasEtag, aliasView, type AliasView } from "@/lib/serving/alias-view.mjs";
import { conflict, notFound } from "@/lib/api/errors";
import { actorFields, recordAuditEvent } from "@/lib/audit/record";
import { can, type Actor } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/require";
import { db, transaction } from "@/lib/db";
import { findReadableModel } from "./models";
import { ZReason } from "@/lib/text";
import { ZAliasName, ZSetAliasInput } from "./schemas";
import { findVersion } from "./versions";

export type { AliasView };

const ZAliasParam = z.object({ alias: ZAliasName });

/** Validates an alias name, reporting problems at the path "alias". */
function aliasName(value: string): string {
  return ZAliasParam.parse({ alias: value }).alias;
}

async function loadAliases(modelId: string, modelName: string, only?: string): Promise<AliasView[]> {
  const rows = await db.modelAlias.findMany({ where: { modelId, ...(only ? { name: only } : {}) }, include: { version: true }, orderBy: { name: "asc" } });
  return rows.map((a) => aliasView({ model: modelName, alias: a.name, version: a.version.version, artifactUri: a.version.artifactUri, artifactChecksum: a.version.artifactChecksum, updatedAt: a.updatedAt }));
}

export async function listAliases(opts: { actor: Actor | null; model: string }): Promise<AliasView[]> {
  const model = await findReadableModel(db, opts.actor, opts.model);
  return loadAliases(model.id, model.name);
}

/** The serving lookup: which version `model@alias` points at, with a strong ETag of exactly that answer. */
export async function resolveAlias(opts: { actor: Actor | null; model: string; alias: string }): Promise<{ view: AliasView; etag: string }> {
  // Serving reads with a `serving:read` token; anyone who may read the registry may too.
  const permission = opts.actor && can(opts.actor, "serving.read") ? "serving.read" : "registry.read";
  const alias = aliasName(opts.alias);
  const model = await findReadableModel(db, opts.actor, opts.model, permission);
  const [view] = await loadAliases(model.id, model.name, alias);
  if (!view) throw notFound(`Model "${model.name}" has no alias "${alias}"`);
  return { view, etag: aliasEtag(view) };
}

/** Points an unprotected alias at a version, keeping the history (from, to, who, when, why). */
export async function setAlias(opts: { actor: Actor | null; model: string; alias: string; input: unknown }): Promise<AliasView> {
  const alias = aliasName(opts.alias);
  const input = ZSetAliasInput.parse(opts.input);
  await transaction(async (tx) => {
    const model = await findReadableModel(tx, opts.actor, opts.model);
    const actor = requirePermission(opts.actor, "aliases.set", model.teamId);
    await tx.$executeRaw`SELECT 1 FROM registered_models WHERE id = ${model.id} FOR UPDATE`;
    const target = await findVersion(tx, model.id, model.name, input.version);
    if (target.status !== "ready") throw conflict(`Version ${target.version} is archived; an alias can only point at a ready version`, [{ path: "version", message: "Archived" }]);
    const current = await tx.modelAlias.findUnique({ where: { modelId_name: { modelId: model.id, name: alias } }, include: { version: true } });
    if (current?.versionId === target.id) return;
    if (current) await tx.modelAlias.update({ where: { id: current.id }, data: { versionId: target.id } });
    else await tx.modelAlias.create({ data: { modelId: model.id, name: alias, versionId: target.id } });
    const who = actorFields(actor);
    await tx.aliasChange.create({
      data: { modelId: model.id, alias, fromVersion: current?.version.version ?? null, toVersion: target.version, actorId: who.actorId, actorLabel: who.actorLabel, reason: input.reason },
    });
    await recordAuditEvent(tx, {
      actor,
      action: "alias.set",
      target: { type: "alias", id: `${model.name}@${alias}`, teamId: model.teamId },
      before: { version: current?.version.version ?? null },
      after: { version: target.version },
      reason: input.reason,
    });
  });
  const { view } = await resolveAlias({ actor: opts.actor, model: opts.model, alias });
  return view;
}

export async function deleteAlias(opts: { actor: Actor | null; model: string; alias: string; reason?: string }): Promise<{ deleted: true; alias: string; version: number }> {
  const alias = aliasName(opts.alias);
  const reason = ZReason.parse(opts.reason);
  return transaction(async (tx) => {
    const model = await findReadableModel(tx, opts.actor, opts.model);
    const actor = requirePermission(opts.actor, "aliases.set", model.teamId);
    await tx.$executeRaw`SELECT 1 FROM registered_models WHERE id = ${model.id} FOR UPDATE`;
    const current = await tx.modelAlias.findUnique({ where: { modelId_name: { modelId: model.id, name: alias } }, include: { version: true } });
    if (!current) throw notFound(`Model "${model.name}" has no alias "${alias}"`);
    await tx.modelAlias.delete({ where: { id: current.id } });
    const who = actorFields(actor);
    await tx.aliasChange.create({ data: { modelId: model.id, alias, fromVersion: current.version.version, toVersion: null, actorId: who.actorId, actorLabel: who.actorLabel, reason } });
    await recordAuditEvent(tx, {
      actor,
      action: "alias.delete",
      target: { type: "alias", id: `${model.name}@${alias}`, teamId: model.teamId },
      before: { version: current.version.version },
      after: { version: null },
      reason,
    });
    return { deleted: true as const, alias, version: current.version.version };
  });
}

export type AliasChangeView = { alias: string; fromVersion: number | null; toVersion: number | null; actor: string; reason: string | null; at: string };

export async function aliasHistory(opts: { actor: Actor | null; model: string; alias?: string; limit?: number }): Promise<AliasChangeView[]> {
  const model = await findReadableModel(db, opts.actor, opts.model);
  const rows = await db.aliasChange.findMany({
    where: { modelId: model.id, ...(opts.alias ? { alias: aliasName(opts.alias) } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: opts.limit ?? 100,
  });
  return rows.map((r) => ({ alias: r.alias, fromVersion: r.fromVersion, toVersion: r.toVersion, actor: r.actorLabel, reason: r.reason, at: r.createdAt.toISOString() }));
}
