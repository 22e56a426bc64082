import "server-only";
import { endRolloutOfRequest } from "@/lib/rollouts/lifecycle";
import { LIVE_STATUSES } from "@/lib/rollouts/machine";
import { AppError, conflict, forbidden, notFound } from "@/lib/api/errors";
import { actorFields, recordAuditEvent } from "@/lib/audit/record";
import { can, type Actor } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/require";
import { transaction, type Tx } from "@/lib/db";
import { effectivePolicyFor } from "@/lib/policy/policies";
import { stageNamed } from "@/lib/policy/readiness";
import { readableTeamIds } from "@/lib/registry/access";
import { lockModel } from "@/lib/registry/aliases";
import { findReadableModel } from "@/lib/registry/models";
import { findVersion } from "@/lib/registry/versions";
import { requestReleaseSync } from "@/lib/releases/hook";
import { emitWebhookEvent } from "@/lib/webhooks/emit";
import { notifyApprovalNeeded } from "./notify";
import { ZCommentInput, ZRequestPromotionInput, type TCommentInput, type TRequestPromotionInput } from "./schemas";
import { blockedReason, describeMissing, evaluateRequest, loadRequest, settleRequest, supersedeOthers, type ModelRef } from "./settle";
import { OPEN_STATUSES, STATUS_LABELS, assertTransition, isOpen, type Status } from "./state";
import { getPromotion, type PromotionView } from "./views";

/** Open requests that are not acted on in this long expire (approvals themselves expire after the policy's ttl). */
export const REQUEST_LIFETIME_MS = 30 * 86_400_000;

/** The request `id` (its id, or its number as "42") if `actor` may read its model; 404 otherwise. */
export async function findReadableRequest(tx: Tx, actor: Actor | null, id: string) {
  const a = requirePermission(actor, "registry.read");
  const where = /^\d{1,9}$/.test(id) ? { number: Number(id) } : { id };
  const row = await tx.promotionRequest.findUnique({ where, select: { id: true, model: { select: { teamId: true } } } });
  const teams = readableTeamIds(a);
  if (!row || (teams !== null && !teams.includes(row.model.teamId))) throw notFound(`No promotion request "${id}"`);
  return row;
}

/** Finds the request, takes its model's lock, and loads it again (its status may have changed while we waited). */
export async function lockedRequest(tx: Tx, actor: Actor | null, id: string) {
  const found = await findReadableRequest(tx, actor, id);
  const { modelId } = await tx.promotionRequest.findUniqueOrThrow({ where: { id: found.id }, select: { modelId: true } });
  await lockModel(tx, modelId);
  return loadRequest(tx, found.id);
}

export function closedMessage(r: { number: number; status: string; statusReason: string | null }): string {
  return `Request #${r.number} is ${STATUS_LABELS[r.status as Status]?.toLowerCase() ?? r.status}${r.statusReason ? `: ${r.statusReason}` : "."}`;
}

/** An engineer (or a pipeline's token) asks to move version V of model M to stage S. */
export async function requestPromotion(opts: { actor: Actor | null; input: TRequestPromotionInput; now?: Date }): Promise<PromotionView> {
  const input = ZRequestPromotionInput.parse(opts.input);
  const id = await transaction(async (tx) => {
    const model = await findReadableModel(tx, opts.actor, input.model);
    const actor = requirePermission(opts.actor, "promotions.request", model.teamId);
    // The emergency path replaces the policy's quorum: only a person may invoke it, never a pipeline's token.
    if (input.emergency && actor.kind !== "user") throw forbidden("Only a person can request an emergency promotion; service tokens request the normal way.");
    await lockModel(tx, model.id);
    const created = await openRequest(tx, { actor, model, input, now: opts.now ?? new Date() });
    return created.id;
  });
  return getPromotion({ actor: opts.actor, id });
}

/**
 * Opens a request for a model whose lock the caller holds (a single request, or a member of a release): checks the
 * version, the stage and any live rollout, judges the gates, records it with its audit event and webhook, and
 * supersedes the open request it replaces.
 */
export async function openRequest(
  tx: Tx,
  o: { actor: Actor; model: ModelRef; input: { version: number; stage: string; justification: string; emergency: boolean }; now: Date; releaseId?: string; paths?: { version: string; stage: string } },
) {
  const { actor, model, input, now } = o;
  const version = await withPath(o.paths?.version, () => findVersion(tx, model.id, model.name, input.version));
  if (version.status !== "ready") throw conflict(`v${version.version} of ${model.name} is archived; only a ready version can be promoted`, [{ path: o.paths?.version ?? "version", message: "Archived" }]);
  const { policy } = await effectivePolicyFor(tx, model.id);
  const stage = await withPath(o.paths?.stage, async () => stageNamed(policy, model.name, input.stage));
  const current = await tx.modelAlias.findUnique({ where: { modelId_name: { modelId: model.id, name: stage.alias } }, include: { version: { select: { version: true } } } });
  if (current?.versionId === version.id) throw conflict(`v${version.version} already holds ${model.name}@${stage.alias}`, [{ path: o.paths?.version ?? "version", message: `Already @${stage.alias}` }]);
  // A live rollout is stopped by an ML Lead (abort, with a comment), never as a side effect of someone's new request.
  const live = await tx.rollout.findFirst({ where: { modelId: model.id, alias: stage.alias, status: { in: [...LIVE_STATUSES] } }, select: { number: true, challengerVersion: true } });
  // Nor of a release whose rollouts are live: one of its members moves this alias when they complete.
  const held = live ? null : await tx.promotionRequest.findFirst({ where: { modelId: model.id, alias: stage.alias, status: "rolling-out", releaseId: { not: null } }, select: { release: { select: { number: true, name: true } } } });
  if (held?.release) throw conflict(`${model.name}@${stage.alias} moves with release ${held.release.number} (${held.release.name}), which is rolling out; wait for it to finish, or have it cancelled, before requesting another version.`, [{ path: o.paths?.stage ?? "stage", message: "A release is rolling out" }]);
  if (live) throw conflict(`v${live.challengerVersion} is rolling out to ${model.name}@${stage.alias} (rollout ${live.number}); wait for it to finish, or have an ML Lead abort it, before requesting another version.`, [{ path: o.paths?.stage ?? "stage", message: "A rollout is live" }]);

  const e = await evaluateRequest(tx, { model, versionId: version.id, stage: stage.name, emergency: input.emergency, decisions: [], round: 1, status: "new", now, releaseId: o.releaseId });
  const status: Status = e.gatesPassed && !e.frozen ? "awaiting-approval" : "blocked";
  const who = actorFields(actor);
  const created = await tx.promotionRequest.create({
    data: {
      modelId: model.id,
      versionId: version.id,
      stage: stage.name,
      alias: stage.alias,
      status,
      statusReason: status === "blocked" ? blockedReason(e.readiness) : e.requirements.length ? `Waiting for ${describeMissing(e.quorum.missing)}.` : null,
      justification: input.justification,
      emergency: input.emergency,
      requesterId: actor.kind === "user" ? actor.userId : null,
      requesterTokenId: actor.kind === "service" ? actor.tokenId : actor.kind === "user" ? (actor.tokenId ?? null) : null,
      requesterLabel: who.actorLabel,
      policyDefaultVersion: e.policy.defaultVersion,
      policyModelVersion: e.policy.modelVersion,
      strategy: e.strategy,
      gates: e.readiness as object,
      gatesPassed: e.gatesPassed,
      evidenceHash: e.hash,
      evaluatedAt: now,
      fromVersion: current?.version.version ?? null,
      expiresAt: new Date(now.getTime() + REQUEST_LIFETIME_MS),
      releaseId: o.releaseId ?? null,
    },
    include: { model: true, version: { select: { version: true } } },
  });
  await recordAuditEvent(tx, {
    actor,
    action: "promotion.request",
    target: { type: "promotion", id: created.id, teamId: model.teamId },
    after: { number: created.number, model: model.name, version: version.version, stage: stage.name, alias: stage.alias, status, gatesPassed: e.gatesPassed, emergency: input.emergency, evidenceHash: e.hash, policy: e.policy },
    reason: input.justification,
  });
  await emitWebhookEvent(tx, { event: "promotion.requested", actor, model, alias: stage.alias, previousVersion: current?.version.version ?? null, newVersion: version.version, request: created, data: { stage: stage.name, status, emergency: input.emergency, justification: input.justification } });
  await supersedeOthers(tx, { request: created, actor, now, why: `a newer request for @${stage.alias} (v${version.version})` });
  if (status === "awaiting-approval" && e.requirements.length) await notifyApprovalNeeded(tx, { request: created, missing: e.quorum.missing });
  // A policy that asks for no approvals for this stage: it applies at once.
  if (status === "awaiting-approval" && e.quorum.met) await settleRequest(tx, { requestId: created.id, actor, now });
  return created;
}

/** Runs `fn`, reporting any error it throws with details at `path` (a member of a release: "members.1.version"). */
async function withPath<T>(path: string | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (path && err instanceof AppError && !err.details?.length) throw new AppError(err.status, err.code, err.message, [{ path, message: err.message }]);
    if (path && err instanceof AppError) throw new AppError(err.status, err.code, err.message, err.details!.map((d) => ({ ...d, path })));
    throw err;
  }
}

/** The requester (or an admin) withdraws an open request. */
export async function cancelPromotion(opts: { actor: Actor | null; id: string; input: TCommentInput }): Promise<PromotionView> {
  const input = ZCommentInput.parse(opts.input);
  const id = await transaction(async (tx) => {
    const r = await lockedRequest(tx, opts.actor, opts.id);
    const actor = opts.actor!;
    const own = isRequester(actor, r);
    if (!own && !can(actor, "promotions.cancel-any", r.model.teamId)) throw forbidden("Only the requester or an admin can cancel a promotion request.");
    if (!isOpen(r.status) && r.status !== "rolling-out") throw conflict(closedMessage(r));
    await transition(tx, { actor, request: r, to: "cancelled", reason: `Cancelled by ${actorFields(actor).actorLabel}: ${input.comment}`, comment: input.comment });
    if (r.status === "rolling-out") await endRolloutOfRequest(tx, { requestId: r.id, actor, reason: `Request #${r.number} was cancelled by ${actorFields(actor).actorLabel}: ${input.comment}`, now: new Date() });
    return r.id;
  });
  return getPromotion({ actor: opts.actor, id });
}

/** The requester answers a request for changes: a new round of approvals starts on the current evidence. */
export async function resubmitPromotion(opts: { actor: Actor | null; id: string; input: TCommentInput; now?: Date }): Promise<PromotionView> {
  const input = ZCommentInput.parse(opts.input);
  const id = await transaction(async (tx) => {
    const r = await lockedRequest(tx, opts.actor, opts.id);
    const actor = opts.actor!;
    if (!isRequester(actor, r)) throw forbidden("Only the requester can resubmit a request sent back for changes.");
    // Resubmitting asks again: the requester must still be allowed to request (withdrawing, by cancelling, needs no role).
    requirePermission(actor, "promotions.request", r.model.teamId);
    if (r.status !== "changes-requested") throw conflict(isOpen(r.status) ? `Request #${r.number} was not sent back for changes; there is nothing to resubmit.` : closedMessage(r));
    const now = opts.now ?? new Date();
    await tx.promotionRequest.update({ where: { id: r.id }, data: { round: r.round + 1, remindedAt: null, escalatedAt: null } });
    // Back to blocked first; settling then moves it to awaiting approval (or further) if the gates pass.
    await transition(tx, { actor, request: r, to: "blocked", reason: "Resubmitted; the gates run again.", comment: input.comment });
    await settleRequest(tx, { requestId: r.id, actor, now });
    return r.id;
  });
  return getPromotion({ actor: opts.actor, id });
}

export function isRequester(actor: Actor, r: { requesterId: string | null; requesterTokenId: string | null }): boolean {
  if (actor.kind === "user") return actor.userId === r.requesterId;
  if (actor.kind === "service") return actor.tokenId === r.requesterTokenId && r.requesterId === null;
  return false;
}

/** One explicit status change with its audit event. */
export async function transition(tx: Tx, o: { actor: Actor; request: { id: string; status: string; model: { teamId: string } }; to: Status; reason: string; comment?: string; data?: Record<string, unknown> }): Promise<void> {
  assertTransition(o.request.status as Status, o.to);
  const closed = !(OPEN_STATUSES as readonly string[]).includes(o.to) && o.to !== "rolling-out";
  const { releaseId } = await tx.promotionRequest.update({ where: { id: o.request.id }, data: { status: o.to, statusReason: o.reason, ...(closed ? { closedAt: new Date() } : {}), ...o.data }, select: { releaseId: true } });
  // The release of a member settles after this commit: it may end, roll back or apply its other members.
  if (releaseId) requestReleaseSync(tx, releaseId);
  await recordAuditEvent(tx, {
    actor: o.actor,
    action: `promotion.${o.to}`,
    target: { type: "promotion", id: o.request.id, teamId: o.request.model.teamId },
    before: { status: o.request.status },
    after: { status: o.to },
    reason: o.comment ?? o.reason,
  });
}
