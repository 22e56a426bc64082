import "server-only";
import { notFound } from "@/lib/api/errors";
import { recordAuditEvent } from "@/lib/audit/record";
import { requirePermission } from "@/lib/auth/require";
import { readableTeamIds } from "@/lib/registry/access";
import type { Actor } from "@/lib/auth/permissions";
import type { Tx } from "@/lib/db";
import { notify } from "@/lib/notifications/notify";
import { usersWithRoles } from "@/lib/promotions/notify";
import type { Rollout as RolloutPolicy } from "@/lib/policy/schema";
import { moveAlias } from "@/lib/registry/aliases";
import type { MetricJudgement } from "@/lib/stats";
import type { WebhookEvent } from "@/lib/webhooks/events";
import { emitWebhookEvent } from "@/lib/webhooks/emit";
import { modeOf, type RolloutStatus } from "./machine";
import { buildPlan, type RolloutPlan } from "./plan";

/**
 * Starting a rollout and recording its transitions. Every transition is one rollout_events row, one audit event and
 * one webhook, in the transaction of the change itself. Callers hold the model's row lock.
 */
export const CHALLENGER_ALIAS = "challenger";

export type RolloutRow = NonNullable<Awaited<ReturnType<typeof loadRollout>>>;
export type ModelRef = { id: string; name: string; teamId: string };

export function loadRollout(tx: Tx, id: string) {
  return tx.rollout.findUnique({ where: { id }, include: { model: true, request: { include: { version: { select: { version: true } } } } } });
}

/** A rollout the actor may read, by id or number; 404 otherwise (as if it did not exist). */
export async function findReadableRollout(tx: Tx, actor: Actor | null, id: string) {
  const a = requirePermission(actor, "registry.read");
  const where = /^\d{1,9}$/.test(id) ? { number: Number(id) } : { id };
  const row = await tx.rollout.findUnique({ where, select: { id: true, modelId: true, model: { select: { teamId: true } } } });
  const teams = readableTeamIds(a);
  if (!row || (teams !== null && !teams.includes(row.model.teamId))) throw notFound(`No rollout "${id}"`);
  return row;
}

export function planOf(r: { plan: unknown }): RolloutPlan {
  return r.plan as RolloutPlan;
}

/**
 * A production request reached rolling-out: the rollout starts at its first step, with @challenger pointing at the
 * candidate, in the same transaction. Returns null when another alias of the model is rolling out (see below).
 */
export async function startRollout(
  tx: Tx,
  o: { request: { id: string; number: number; alias: string; versionId: string; version: { version: number }; model: ModelRef }; policy: RolloutPolicy; signature: boolean; actor: Actor; now: Date },
): Promise<string | null> {
  const r = o.request;
  // The serving contract is one traffic split per model: a rollout of another alias (another stage) must finish
  // first. The request stays rolling-out, and the scheduler starts its rollout once the other one has ended.
  const other = await tx.rollout.findFirst({ where: { modelId: r.model.id, alias: { not: r.alias }, status: { in: ["running", "paused", "waiting", "watching"] } }, select: { number: true, alias: true } });
  if (other) {
    await tx.promotionRequest.update({ where: { id: r.id }, data: { statusReason: `Approved; its rollout starts when rollout ${other.number} of @${other.alias} has finished (one rollout per model at a time).` } });
    return null;
  }
  const plan = buildPlan(o.policy, { signature: o.signature });
  const holder = await tx.modelAlias.findUnique({ where: { modelId_name: { modelId: r.model.id, name: r.alias } }, include: { version: { select: { id: true, version: true } } } });
  const first = modeOf(plan, 0);
  const rollout = await tx.rollout.create({
    data: {
      modelId: r.model.id,
      requestId: r.id,
      alias: r.alias,
      championVersionId: holder?.version.id ?? null,
      championVersion: holder?.version.version ?? null,
      challengerVersionId: r.versionId,
      challengerVersion: r.version.version,
      strategy: plan.strategy,
      plan: plan as object,
      status: "running",
      stepIndex: 0,
      mode: first.mode,
      trafficPercent: first.percent,
      stepStartedAt: o.now,
      startedAt: o.now,
      statusReason: "Started.",
    },
  });
  await moveAlias(tx, { model: r.model, alias: CHALLENGER_ALIAS, target: { id: r.versionId, version: r.version.version }, actor: o.actor, reason: `Rollout of request #${r.number}`, via: "rollout", requestId: r.id, action: "alias.set" });
  const reason = `${plan.strategy} rollout of ${r.model.name} v${r.version.version} against ${holder ? `v${holder.version.version}` : "no champion"} started at ${first.mode}${first.mode === "shadow" ? "" : ` ${first.percent}%`}.`;
  await recordTransition(tx, { rollout: { ...rollout, model: r.model }, kind: "started", event: "rollout.started", actor: o.actor, reason, before: null, at: o.now });
  return rollout.id;
}

type TransitionRollout = { id: string; number: number; status: string; stepIndex: number; mode: string; trafficPercent: number; requestId: string; championVersion: number | null; challengerVersion: number; model: ModelRef };

/** The rollout_events row, the audit event and the webhook for a change already written to the rollout. */
export async function recordTransition(
  tx: Tx,
  o: { rollout: TransitionRollout; kind: string; event: WebhookEvent | null; actor: Actor; reason: string; before: { status: string; stepIndex: number; trafficPercent: number } | null; extra?: Record<string, unknown>; at?: Date },
): Promise<void> {
  const r = o.rollout;
  // Stamped with the decision's clock (the scheduler's `now`), so the timeline and the charts line up with the data.
  await tx.rolloutEvent.create({ data: { rolloutId: r.id, kind: o.kind, stepIndex: r.stepIndex, mode: r.mode, trafficPercent: r.trafficPercent, status: r.status, actorLabel: o.actor.label, reason: o.reason, ...(o.at ? { createdAt: o.at } : {}) } });
  await recordAuditEvent(tx, {
    actor: o.actor,
    action: `rollout.${o.kind}`,
    target: { type: "rollout", id: r.id, teamId: r.model.teamId },
    before: o.before,
    after: { status: r.status, stepIndex: r.stepIndex, mode: r.mode, trafficPercent: r.trafficPercent, ...o.extra },
    reason: o.reason,
  });
  if (o.event) {
    await emitWebhookEvent(tx, {
      event: o.event,
      actor: o.actor,
      model: r.model,
      alias: CHALLENGER_ALIAS,
      previousVersion: r.championVersion,
      newVersion: r.challengerVersion,
      request: { id: r.requestId },
      data: { rollout: r.number, status: r.status, mode: r.mode, trafficPercent: r.trafficPercent, step: r.stepIndex + 1, reason: o.reason, ...o.extra },
    });
  }
}

/** Clears @challenger when a rollout ends (if it still points at this rollout's challenger). */
export async function clearChallenger(tx: Tx, o: { rollout: { challengerVersionId: string; requestId: string; number: number; model: ModelRef }; actor: Actor; why: string }): Promise<void> {
  const current = await tx.modelAlias.findUnique({ where: { modelId_name: { modelId: o.rollout.model.id, name: CHALLENGER_ALIAS } } });
  if (current?.versionId !== o.rollout.challengerVersionId) return;
  await moveAlias(tx, { model: o.rollout.model, alias: CHALLENGER_ALIAS, target: null, actor: o.actor, reason: `Rollout ${o.rollout.number} ${o.why}`, via: "rollout", requestId: o.rollout.requestId, action: "alias.delete" });
}

/** Stops a live rollout without a breach: cancelled or superseded request, a rejected checkpoint, or an abort. */
export async function endRollout(tx: Tx, o: { rolloutId: string; status: Extract<RolloutStatus, "aborted" | "rolled-back">; actor: Actor; reason: string; now: Date; kind?: string }): Promise<void> {
  const r = await loadRollout(tx, o.rolloutId);
  if (!r || !["running", "paused", "waiting"].includes(r.status)) return;
  const before = { status: r.status, stepIndex: r.stepIndex, trafficPercent: r.trafficPercent };
  const updated = await tx.rollout.update({ where: { id: r.id }, data: { status: o.status, mode: "none", trafficPercent: 0, waitingFor: null, pausedAt: null, endedAt: o.now, statusReason: o.reason } });
  await clearChallenger(tx, { rollout: { ...r, model: r.model }, actor: o.actor, why: o.status === "aborted" ? "was aborted" : "was rolled back" });
  await recordTransition(tx, { rollout: { ...updated, model: r.model }, kind: o.kind ?? o.status, event: o.status === "aborted" ? "rollout.aborted" : "rollout.rolled_back", actor: o.actor, reason: o.reason, before, at: o.now });
}

/** The rollout of a request that is being cancelled or superseded stops with it. */
export async function endRolloutOfRequest(tx: Tx, o: { requestId: string; actor: Actor; reason: string; now: Date }): Promise<void> {
  const r = await tx.rollout.findUnique({ where: { requestId: o.requestId }, select: { id: true } });
  if (r) await endRollout(tx, { rolloutId: r.id, status: "aborted", actor: o.actor, reason: o.reason, now: o.now });
}

/** A manual rollback of the alias a completed rollout moved ends its watch window (there is nothing left to watch). */
export async function endWatch(tx: Tx, o: { requestId: string; actor: Actor; reason: string }): Promise<void> {
  const r = await tx.rollout.findUnique({ where: { requestId: o.requestId }, include: { model: true } });
  if (!r || r.status !== "watching") return;
  const updated = await tx.rollout.update({ where: { id: r.id }, data: { status: "rolled-back", endedAt: new Date(), statusReason: o.reason } });
  await recordTransition(tx, { rollout: { ...updated, model: r.model }, kind: "watch-ended", event: "rollout.rolled_back", actor: o.actor, reason: o.reason, before: { status: r.status, stepIndex: r.stepIndex, trafficPercent: r.trafficPercent } });
}

/** Opens an incident for an automatic rollback, with the criteria and the data that showed the breach. */
export async function openIncident(
  tx: Tx,
  o: { rollout: TransitionRollout; kind: "rollback" | "watch-rollback"; breaches: readonly MetricJudgement[]; evidence: Record<string, unknown>; actor: Actor; now: Date },
): Promise<{ id: string; number: number }> {
  const r = o.rollout;
  const names = o.breaches.map((b) => b.metric).join(", ");
  const title = `${r.model.name} v${r.challengerVersion}: ${names || "criteria"} breached ${o.kind === "watch-rollback" ? "after completion" : "during the rollout"}`;
  const incident = await tx.incident.create({
    data: {
      modelId: r.model.id,
      rolloutId: r.id,
      kind: o.kind,
      status: "open",
      title,
      criteria: o.breaches as unknown as object,
      evidence: o.evidence as object,
      championVersion: r.championVersion,
      challengerVersion: r.challengerVersion,
      openedAt: o.now,
    },
  });
  const reason = o.breaches.map((b) => b.explanation).join(" ");
  await recordAuditEvent(tx, { actor: o.actor, action: "incident.opened", target: { type: "incident", id: incident.id, teamId: r.model.teamId }, after: { status: "open", kind: o.kind, rollout: r.number, criteria: o.breaches.map((b) => b.metric) }, reason });
  await emitWebhookEvent(tx, { event: "incident.opened", actor: o.actor, model: r.model, previousVersion: r.challengerVersion, newVersion: r.championVersion, request: { id: r.requestId }, data: { incident: incident.number, rollout: r.number, kind: o.kind, title, criteria: o.breaches.map((b) => ({ metric: b.metric, outcome: b.outcome, explanation: b.explanation })) } });
  const request = await tx.promotionRequest.findUnique({ where: { id: r.requestId }, select: { requesterId: true } });
  const leads = await usersWithRoles(tx, ["ml-lead"], r.model.teamId);
  await notify(tx, {
    event: "incident.opened",
    userIds: [...new Set([...leads, ...(request?.requesterId ? [request.requesterId] : [])])],
    title: `Incident ${incident.number}: ${title}`,
    body: reason,
    link: `/incidents/${incident.number}`,
  });
  return incident;
}
