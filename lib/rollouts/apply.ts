import "server-only";
import type { Actor } from "@/lib/auth/permissions";
import type { Tx } from "@/lib/db";
import { notify } from "@/lib/notifications/notify";
import { notifyApplied, usersWithRoles } from "@/lib/promotions/notify";
import { transition } from "@/lib/promotions/request";
import { SYSTEM, reevaluateModel, supersedeOthers } from "@/lib/promotions/settle";
import { moveAlias } from "@/lib/registry/aliases";
import { emitWebhookEvent } from "@/lib/webhooks/emit";
import type { Assessment } from "./assess";
import { clearChallenger, endRollout, loadRollout, openIncident, planOf, recordTransition, type RolloutRow } from "./lifecycle";
import { modeOf, type Decision } from "./machine";
import { describeCheckpoint } from "./plan";

/**
 * Carries out what the state machine decided, in the caller's transaction (which holds the model's lock): the
 * rollout row, the aliases, the request's status, incidents, audit events, webhooks and notifications together.
 */
export async function applyDecision(tx: Tx, o: { rollout: RolloutRow; decision: Decision; actor: Actor; now: Date; assessment?: Assessment; comment?: string }): Promise<void> {
  const { rollout: r, decision: d, now, actor } = o;
  const plan = planOf(r);
  const model = { id: r.model.id, name: r.model.name, teamId: r.model.teamId };
  const before = { status: r.status, stepIndex: r.stepIndex, trafficPercent: r.trafficPercent };
  const reason = o.comment ? `${d.reason} ${actor.label}: ${o.comment}` : d.reason;
  switch (d.action) {
    case "hold":
      await tx.rollout.update({ where: { id: r.id }, data: { statusReason: d.reason } });
      return;
    case "advance": {
      const next = modeOf(plan, d.toStep);
      const updated = await tx.rollout.update({
        where: { id: r.id },
        data: { status: "running", stepIndex: d.toStep, mode: next.mode, trafficPercent: next.percent, stepStartedAt: now, pausedAt: null, pausedSeconds: 0, waitingFor: null, statusReason: reason },
      });
      await recordTransition(tx, { rollout: { ...updated, model }, kind: "advanced", event: "rollout.advanced", actor, reason, before, at: now });
      return;
    }
    case "wait": {
      const updated = await tx.rollout.update({ where: { id: r.id }, data: { status: "waiting", waitingFor: d.checkpoint, pausedAt: null, statusReason: reason } });
      await recordTransition(tx, { rollout: { ...updated, model }, kind: "waiting", event: "rollout.waiting", actor, reason, before, extra: { checkpoint: d.checkpoint }, at: now });
      const wanted = plan.checkpoints.filter((c) => c.key === d.checkpoint);
      const holders = await usersWithRoles(tx, wanted.map((c) => c.role), model.teamId);
      await notify(tx, {
        event: "checkpoint.needed",
        userIds: holders,
        title: `Checkpoint: ${model.name} v${r.challengerVersion} rollout waits for ${wanted.map(describeCheckpoint).join(" and ")}`,
        body: d.reason,
        link: `/rollouts/${r.number}`,
        requestId: r.requestId,
      });
      return;
    }
    case "complete":
      return completeRollout(tx, { rollout: r, actor, now, reason });
    case "rollback": {
      await endRollout(tx, { rolloutId: r.id, status: "rolled-back", actor, reason: d.reason, now });
      const request = await tx.promotionRequest.findUniqueOrThrow({ where: { id: r.requestId }, include: { model: true } });
      if (request.status === "rolling-out") await transition(tx, { actor, request, to: "rolled-back", reason: `The rollout was rolled back automatically: ${d.reason}` });
      const ended = (await loadRollout(tx, r.id))!;
      // A member rolled back with its release (another member breached) has no breach of its own: the incident is the other's.
      if (d.breaches.length) await openIncident(tx, { rollout: { ...ended, model }, kind: "rollback", breaches: d.breaches, evidence: evidenceOf(o.assessment), actor, now });
      return;
    }
    case "watch-rollback":
      return watchRollback(tx, { rollout: r, actor, now, reason: d.reason, breaches: d.breaches, assessment: o.assessment });
    case "end-watch": {
      const updated = await tx.rollout.update({ where: { id: r.id }, data: { status: "completed", endedAt: now, statusReason: d.reason } });
      await recordTransition(tx, { rollout: { ...updated, model }, kind: "watch-ended", event: null, actor, reason: d.reason, before, at: now });
      return;
    }
    case "abort": {
      await endRollout(tx, { rolloutId: r.id, status: "aborted", actor, reason, now });
      const request = await tx.promotionRequest.findUniqueOrThrow({ where: { id: r.requestId }, include: { model: true } });
      if (request.status === "rolling-out") await transition(tx, { actor, request, to: "cancelled", reason: `The rollout was aborted: ${reason}` });
      return;
    }
  }
}

/** The evidence kept with an incident: the judgement that showed the breach, with its values and windows. */
function evidenceOf(a?: Assessment): Record<string, unknown> {
  return a ? { window: a.record.window, rollback: a.record.rollback, verdict: { outcome: a.record.verdict.outcome, score: a.record.verdict.score, metrics: a.record.verdict.metrics }, charts: a.charts } : {};
}

/** @champion moves to the challenger in one transaction with its audit event; @challenger is cleared; the request is applied. */
async function completeRollout(tx: Tx, o: { rollout: RolloutRow; actor: Actor; now: Date; reason: string }): Promise<void> {
  const r = o.rollout;
  const plan = planOf(r);
  const model = { id: r.model.id, name: r.model.name, teamId: r.model.teamId };
  const request = await tx.promotionRequest.findUniqueOrThrow({ where: { id: r.requestId }, include: { model: true, version: { select: { version: true } } } });
  const previous = await moveAlias(tx, { model, alias: r.alias, target: { id: r.challengerVersionId, version: r.challengerVersion }, actor: o.actor, reason: `Rollout ${r.number} of request #${request.number} completed`, via: "rollout", requestId: r.requestId, action: "alias.set" });
  await clearChallenger(tx, { rollout: { ...r, model }, actor: o.actor, why: "completed" });
  const watchUntil = plan.watchWindowMs ? new Date(o.now.getTime() + plan.watchWindowMs) : null;
  const updated = await tx.rollout.update({
    where: { id: r.id },
    data: { status: watchUntil ? "watching" : "completed", mode: "none", trafficPercent: 100, waitingFor: null, pausedAt: null, completedAt: o.now, watchUntil, endedAt: watchUntil ? null : o.now, statusReason: o.reason },
  });
  await recordTransition(tx, { rollout: { ...updated, model }, kind: "completed", event: "rollout.completed", actor: o.actor, reason: o.reason, before: { status: r.status, stepIndex: r.stepIndex, trafficPercent: r.trafficPercent }, extra: { alias: `${model.name}@${r.alias}`, previousVersion: previous?.version ?? null, watchUntil: watchUntil?.toISOString() ?? null }, at: o.now });
  const moved = `${model.name}@${r.alias} moved from ${previous ? `v${previous.version}` : "nothing"} to v${r.challengerVersion} after the ${plan.strategy} rollout.`;
  if (request.status === "rolling-out") {
    await transition(tx, { actor: o.actor, request, to: "applied", reason: moved, data: { fromVersion: previous?.version ?? null } });
    await notifyApplied(tx, { request, summary: moved });
    await emitWebhookEvent(tx, { event: "promotion.applied", actor: o.actor, model, alias: r.alias, previousVersion: previous?.version ?? null, newVersion: r.challengerVersion, request, data: { stage: request.stage, rollout: r.number, strategy: plan.strategy } });
    await supersedeOthers(tx, { request, actor: o.actor, now: o.now, why: `#${request.number} completed its rollout first` });
    await reevaluateModel(tx, { modelId: model.id, actor: SYSTEM, now: o.now, exceptId: request.id });
  }
}

/** A breach inside the watch window: @champion goes back to the previous champion, and an incident opens. */
async function watchRollback(tx: Tx, o: { rollout: RolloutRow; actor: Actor; now: Date; reason: string; breaches: Extract<Decision, { action: "watch-rollback" }>["breaches"]; assessment?: Assessment }): Promise<void> {
  const r = o.rollout;
  const model = { id: r.model.id, name: r.model.name, teamId: r.model.teamId };
  const before = { status: r.status, stepIndex: r.stepIndex, trafficPercent: r.trafficPercent };
  const holder = await tx.modelAlias.findUnique({ where: { modelId_name: { modelId: model.id, name: r.alias } } });
  const previous = r.championVersionId ? await tx.modelVersion.findUnique({ where: { id: r.championVersionId }, select: { status: true } }) : null;
  const canRepoint = r.championVersionId !== null && r.championVersion !== null && previous?.status === "ready" && holder?.versionId === r.challengerVersionId;
  const why = !r.championVersionId
    ? "There is no previous champion to go back to."
    : holder?.versionId !== r.challengerVersionId
      ? `@${r.alias} no longer points at v${r.challengerVersion}, so it was left as it is.`
      : `v${r.championVersion} has been archived, so @${r.alias} stays on v${r.challengerVersion}: act on the incident by hand.`;
  const reason = canRepoint ? `${o.reason} @${r.alias} is back on v${r.championVersion}.` : `${o.reason} ${why}`;
  if (canRepoint) {
    await moveAlias(tx, { model, alias: r.alias, target: { id: r.championVersionId!, version: r.championVersion! }, actor: o.actor, reason, via: "rollback", requestId: r.requestId, action: "alias.rollback" });
    const request = await tx.promotionRequest.findUniqueOrThrow({ where: { id: r.requestId }, include: { model: true } });
    if (request.status === "applied") await transition(tx, { actor: o.actor, request, to: "rolled-back", reason: `Rolled back inside the watch window: ${o.reason}` });
  }
  const updated = await tx.rollout.update({ where: { id: r.id }, data: { status: canRepoint ? "rolled-back" : "completed", endedAt: o.now, statusReason: reason } });
  await recordTransition(tx, { rollout: { ...updated, model }, kind: "watch-rolled-back", event: "rollout.rolled_back", actor: o.actor, reason, before, at: o.now });
  if (o.breaches.length) await openIncident(tx, { rollout: { ...updated, model }, kind: "watch-rollback", breaches: o.breaches, evidence: evidenceOf(o.assessment), actor: o.actor, now: o.now });
}
