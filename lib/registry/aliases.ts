import "server-only";
import { z } from "zod";
import { aliasEtag, aliasView, type AliasView } from "@/lib/serving/alias-view.mjs";
import { AppError, conflict, notFound } from "@/lib/api/errors";
import { actorFields, recordAuditEvent } from "@/lib/audit/record";
import { can, type Actor } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/require";
import { db, transaction, type Tx } from "@/lib/db";
import { effectivePolicyFor } from "@/lib/policy/policies";
import { queueAliasSync } from "@/lib/mlflow/connector-queue";
import { emitWebhookEvent } from "@/lib/webhooks/emit";
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

/** The alias as the serving layer sees it, for a caller that has already checked access (e.g. a rollback token). */
export async function aliasViewOf(model: { id: string; name: string }, alias: string): Promise<AliasView> {
  const [view] = await loadAliases(model.id, model.name, alias);
  if (!view) throw notFound(`Model "${model.name}" has no alias "${alias}"`);
  return view;
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

/** How an alias moved; `AliasChange.via`. Protected aliases move only by promotion, emergency, rollback or rollout. */
export type AliasVia = "direct" | "promotion" | "emergency" | "rollback" | "rollout" | "import";

/**
 * Moves (or, with a null target, deletes) an alias inside the caller's transaction, keeping the history (from, to,
 * who, when, why, how and through which request) and the audit event. The caller has checked permission and holds
 * the model's row lock. Returns the previous holder.
 */
export async function moveAlias(
  tx: Tx,
  o: { model: { id: string; name: string; teamId: string }; alias: string; target: { id: string; version: number } | null; actor: Actor; reason: string | null | undefined; via: AliasVia; requestId?: string | null; action: string },
): Promise<{ id: string; version: number } | null> {
  const current = await tx.modelAlias.findUnique({ where: { modelId_name: { modelId: o.model.id, name: o.alias } }, include: { version: { select: { id: true, version: true } } } });
  if ((current?.versionId ?? null) === (o.target?.id ?? null)) return current?.version ?? null;
  if (o.target && (await tx.modelVersion.findUniqueOrThrow({ where: { id: o.target.id }, select: { status: true } })).status !== "ready") {
    throw conflict(`Version ${o.target.version} is archived; an alias can only point at a ready version`, [{ path: "version", message: "Archived" }]);
  }
  if (!o.target) await tx.modelAlias.delete({ where: { id: current!.id } });
  else if (current) await tx.modelAlias.update({ where: { id: current.id }, data: { versionId: o.target.id } });
  else await tx.modelAlias.create({ data: { modelId: o.model.id, name: o.alias, versionId: o.target.id } });
  const who = actorFields(o.actor);
  const reason = o.reason?.trim() || null;
  await tx.aliasChange.create({
    data: { modelId: o.model.id, alias: o.alias, fromVersion: current?.version.version ?? null, toVersion: o.target?.version ?? null, actorId: who.actorId, actorLabel: who.actorLabel, reason, via: o.via, requestId: o.requestId ?? null },
  });
  await recordAuditEvent(tx, {
    actor: o.actor,
    action: o.action,
    target: { type: "alias", id: `${o.model.name}@${o.alias}`, teamId: o.model.teamId },
    before: { version: current?.version.version ?? null },
    after: { version: o.target?.version ?? null, via: o.via, ...(o.requestId ? { requestId: o.requestId } : {}) },
    reason,
  });
  await emitWebhookEvent(tx, { event: "alias.changed", actor: o.actor, model: o.model, alias: o.alias, previousVersion: current?.version.version ?? null, newVersion: o.target?.version ?? null, request: o.requestId ? { id: o.requestId } : null, data: { via: o.via, reason } });
  // A model governing an MLflow registry's model: the same move is made there, retried until MLflow takes it.
  await queueAliasSync(tx, { modelId: o.model.id, alias: o.alias, version: o.target?.version ?? null, via: o.via, requestId: o.requestId ?? null });
  return current?.version ?? null;
}

/** The aliases of a model that move only through promotions, rollouts and rollbacks. */
export async function protectedAliasesOf(opts: { actor: Actor | null; model: string }): Promise<string[]> {
  const model = await findReadableModel(db, opts.actor, opts.model);
  return (await effectivePolicyFor(db, model.id)).policy.protectedAliases;
}

/** Refuses a hand-made change to an alias the model's policy protects, pointing to the way it does move. */
async function refuseProtected(tx: Tx, model: { id: string; name: string }, alias: string): Promise<void> {
  const { policy } = await effectivePolicyFor(tx, model.id);
  if (!policy.protectedAliases.includes(alias)) return;
  throw new AppError(
    403,
    "protected_alias",
    `@${alias} is a protected alias of ${model.name}: it moves only through an approved promotion request (POST /api/v1/promotions), a rollout or a rollback (POST /api/v1/models/${model.name}/aliases/${alias}/rollback).`,
    [{ path: "alias", message: "Protected by the promotion policy" }],
  );
}

/** Points an unprotected alias at a version, keeping the history (from, to, who, when, why). */
export async function setAlias(opts: { actor: Actor | null; model: string; alias: string; input: unknown }): Promise<AliasView> {
  const alias = aliasName(opts.alias);
  const input = ZSetAliasInput.parse(opts.input);
  await transaction(async (tx) => {
    const model = await findReadableModel(tx, opts.actor, opts.model);
    const actor = requirePermission(opts.actor, "aliases.set", model.teamId);
    await lockModel(tx, model.id);
    await refuseProtected(tx, model, alias);
    const target = await findVersion(tx, model.id, model.name, input.version);
    if (target.status !== "ready") throw conflict(`Version ${target.version} is archived; an alias can only point at a ready version`, [{ path: "version", message: "Archived" }]);
    await moveAlias(tx, { model, alias, target, actor, reason: input.reason, via: "direct", action: "alias.set" });
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
    await lockModel(tx, model.id);
    const current = await tx.modelAlias.findUnique({ where: { modelId_name: { modelId: model.id, name: alias } }, include: { version: true } });
    if (!current) throw notFound(`Model "${model.name}" has no alias "${alias}"`);
    await refuseProtected(tx, model, alias);
    await moveAlias(tx, { model, alias, target: null, actor, reason, via: "direct", action: "alias.delete" });
    return { deleted: true as const, alias, version: current.version.version };
  });
}

/**
 * Records where aliases already point when a registry is brought under Gatehouse (the demo seed, a migration from
 * another registry): protected ones included, so only the operator of the installation (a system actor) may.
 */
export async function importAliases(opts: { actor: Actor; model: string; aliases: Record<string, number>; reason: string }): Promise<void> {
  if (opts.actor.kind !== "system") throw new AppError(403, "forbidden", "Only the installation's operator imports aliases; use promotion requests instead.");
  await transaction(async (tx) => {
    const model = await findReadableModel(tx, opts.actor, opts.model);
    await lockModel(tx, model.id);
    for (const [name, version] of Object.entries(opts.aliases)) {
      const target = await findVersion(tx, model.id, model.name, version);
      await moveAlias(tx, { model, alias: aliasName(name), target, actor: opts.actor, reason: opts.reason, via: "import", action: "alias.import" });
    }
  });
}

/** Serialises every change to one model's aliases and promotion requests (held until the transaction ends). */
export async function lockModel(tx: Tx, modelId: string): Promise<void> {
  await tx.$executeRaw`SELECT 1 FROM registered_models WHERE id = ${modelId} FOR UPDATE`;
}

export type AliasChangeView = { alias: string; fromVersion: number | null; toVersion: number | null; actor: string; reason: string | null; via: string; requestId: string | null; at: string };

export async function aliasHistory(opts: { actor: Actor | null; model: string; alias?: string; limit?: number }): Promise<AliasChangeView[]> {
  const model = await findReadableModel(db, opts.actor, opts.model);
  const rows = await db.aliasChange.findMany({
    where: { modelId: model.id, ...(opts.alias ? { alias: aliasName(opts.alias) } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: opts.limit ?? 100,
  });
  return rows.map((r) => ({ alias: r.alias, fromVersion: r.fromVersion, toVersion: r.toVersion, actor: r.actorLabel, reason: r.reason, via: r.via, requestId: r.requestId, at: r.createdAt.toISOString() }));
}

export type AliasAtView = {
  model: string;
  alias: string;
  at: string;
  /** The version holding the alias at `at`; null when it was not set (or deleted) then. */
  version: number | null;
  /** The change that put that version there. */
  since: AliasChangeView | null;
  /** Every change of the alias, newest first, each with who, when, why and its request. */
  history: (AliasChangeView & { request: { id: string; number: number } | null })[];
};

/** "Which version held fraud-detector@champion at time T?", answered from the alias's history. */
export async function aliasAt(opts: { actor: Actor | null; model: string; alias: string; at?: Date }): Promise<AliasAtView> {
  const alias = aliasName(opts.alias);
  const model = await findReadableModel(db, opts.actor, opts.model);
  const at = opts.at ?? new Date();
  const rows = await db.aliasChange.findMany({ where: { modelId: model.id, alias }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 1_000 });
  if (!rows.length) throw notFound(`${model.name}@${alias} has never been set`);
  const requests = await db.promotionRequest.findMany({ where: { id: { in: rows.flatMap((r) => (r.requestId ? [r.requestId] : [])) } }, select: { id: true, number: true } });
  const number = new Map(requests.map((r) => [r.id, r.number]));
  const history = rows.map((r) => ({
    alias: r.alias,
    fromVersion: r.fromVersion,
    toVersion: r.toVersion,
    actor: r.actorLabel,
    reason: r.reason,
    via: r.via,
    requestId: r.requestId,
    at: r.createdAt.toISOString(),
    request: r.requestId && number.has(r.requestId) ? { id: r.requestId, number: number.get(r.requestId)! } : null,
  }));
  // The holder at `at` by its own query: the history shown is capped, the answer must not be.
  const holder = await db.aliasChange.findFirst({ where: { modelId: model.id, alias, createdAt: { lte: at } }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  const since = holder ? (history.find((h, i) => rows[i].id === holder.id) ?? { alias, fromVersion: holder.fromVersion, toVersion: holder.toVersion, actor: holder.actorLabel, reason: holder.reason, via: holder.via, requestId: holder.requestId, at: holder.createdAt.toISOString(), request: null }) : null;
  return { model: model.name, alias, at: at.toISOString(), version: since?.toVersion ?? null, since, history };
}
