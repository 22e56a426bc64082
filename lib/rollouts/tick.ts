import "server-only";
import { db, transaction, type Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { SYSTEM, decisionInputs, evaluateRequest, loadRequest } from "@/lib/promotions/settle";
import { lockModel } from "@/lib/registry/aliases";
import { applyDecision } from "./apply";
import { assessRollout, type Assessment } from "./assess";
import { loadRollout, planOf, startRollout, type RolloutRow } from "./lifecycle";
import { completeRelease, failingRules, lockRelease, reconcileRelease, releaseNeedsSettling } from "@/lib/releases/sync";
import { together } from "@/lib/releases/state";
import { ACTIVE_STATUSES, decideRollout, type CheckpointTally, type RolloutState, type RolloutStatus } from "./machine";

/**
 * The scheduler: every tick, each active rollout is judged and moved on by the state machine. A tick runs exactly
 * once across all instances: whoever first records its run in scheduler_ticks runs it, the others skip.
 * Each rollout is handled in its own transaction under its model's lock, re-read inside the lock, so even two ticks
 * racing on one rollout cannot advance it twice.
 */
export const SCHEDULER = "rollouts";
/** The verdict-over-time chart gets a point at most this often (and whenever the outcome changes). */
const JUDGEMENT_EVERY_MS = 60_000;

export function tickMs(): number {
  return env().GATEHOUSE_ROLLOUT_TICK_SECONDS * 1000;
}

export function stateOf(r: Pick<RolloutRow, "status" | "stepIndex" | "stepStartedAt" | "pausedAt" | "pausedSeconds" | "waitingFor" | "watchUntil">): RolloutState {
  return { status: r.status as RolloutState["status"], stepIndex: r.stepIndex, stepStartedAt: r.stepStartedAt, pausedAt: r.pausedAt, pausedSeconds: r.pausedSeconds, waitingFor: r.waitingFor, watchUntil: r.watchUntil };
}

export async function checkpointTally(tx: Tx, rolloutId: string): Promise<CheckpointTally> {
  const rows = await tx.rolloutDecision.findMany({ where: { rolloutId }, orderBy: { createdAt: "asc" } });
  const tally: CheckpointTally = {};
  for (const d of rows) {
    const t = (tally[d.checkpoint] ??= { approvals: {}, rejectedBy: null });
    if (d.decision === "reject") t.rejectedBy ??= d.userLabel;
    else for (const role of d.roles) t.approvals[role] = (t.approvals[role] ?? 0) + 1;
  }
  return tally;
}

/** Stores the latest judgement on the rollout, and a point of the verdict-over-time series when due. */
export async function storeAssessment(tx: Tx, r: RolloutRow, a: Assessment, now: Date): Promise<void> {
  await tx.rollout.update({ where: { id: r.id }, data: { verdict: a.record as object, judgedAt: now } });
  const last = await tx.rolloutJudgement.findFirst({ where: { rolloutId: r.id }, orderBy: { createdAt: "desc" } });
  const v = a.judgement.verdict;
  if (!last || last.outcome !== v.outcome || last.stepIndex !== r.stepIndex || now.getTime() - last.createdAt.getTime() >= JUDGEMENT_EVERY_MS) {
    await tx.rolloutJudgement.create({ data: { rolloutId: r.id, stepIndex: r.stepIndex, outcome: v.outcome, score: v.score, metrics: v.metrics.map((m) => ({ metric: m.metric, outcome: m.outcome, challenger: m.challenger, champion: m.champion })) as object, createdAt: now } });
  }
}

/** Judges one rollout and carries out what the state machine decides. Returns the action taken. */
export async function stepRollout(id: string, now: Date = new Date()): Promise<{ action: string; reason: string } | null> {
  const found = await db.rollout.findUnique({ where: { id }, select: { modelId: true, request: { select: { releaseId: true } } } });
  if (!found) return null;
  if (found.request.releaseId) return (await stepRelease(found.request.releaseId, now))?.find((d) => d.id === id) ?? null;
  return transaction(async (tx) => {
    await lockModel(tx, found.modelId);
    const r = await loadRollout(tx, id);
    if (!r || !(ACTIVE_STATUSES as readonly string[]).includes(r.status)) return null;
    const assessment = await assessRollout(tx, { ...r, plan: planOf(r) }, now);
    const decision = decideRollout({ plan: planOf(r), state: stateOf(r), judgement: assessment.judgement, checkpoints: await checkpointTally(tx, r.id), now });
    await storeAssessment(tx, r, assessment, now);
    await applyDecision(tx, { rollout: r, decision, actor: SYSTEM, now, assessment });
    return { action: decision.action, reason: decision.reason };
  }, { changesServing: (done) => done !== null && done.action !== "hold" });
}

/**
 * Judges the active rollouts of one release together, under every member model's lock: each member's state machine
 * decides on its own, `together` combines them (a breach anywhere rolls back everyone; nobody moves on until all
 * may), and the result is carried out in this one transaction. When the last rollouts complete, the members without
 * a rollout move in the same transaction and the release is applied.
 */
export async function stepRelease(releaseId: string, now: Date = new Date()): Promise<{ id: string; number: number; action: string; reason: string }[] | null> {
  return transaction(async (tx) => {
    const release = await lockRelease(tx, releaseId);
    if (!release || (release.status !== "rolling-out" && release.status !== "applied")) return null;
    // A member stopped or rolled back since (an abort, a cancel, a hand rollback) whose release has not followed yet:
    // the release follows now, and nothing steps on its own.
    if (await releaseNeedsSettling(tx, release)) {
      await reconcileRelease(tx, release, SYSTEM, now);
      return [];
    }
    const ids = await tx.rollout.findMany({ where: { request: { releaseId }, status: { in: [...ACTIVE_STATUSES] } }, select: { id: true }, orderBy: { number: "asc" } });
    const judged = [];
    for (const { id } of ids) {
      const r = (await loadRollout(tx, id))!;
      const assessment = await assessRollout(tx, { ...r, plan: planOf(r) }, now);
      const decision = decideRollout({ plan: planOf(r), state: stateOf(r), judgement: assessment.judgement, checkpoints: await checkpointTally(tx, r.id), now });
      await storeAssessment(tx, r, assessment, now);
      judged.push({ r, assessment, decision });
    }
    let joint = together(judged.map(({ r, decision }) => ({ key: r.id, label: `${r.model.name} v${r.challengerVersion}`, status: r.status as RolloutStatus, decision })));
    // The rules once more before the aliases move: a model outside the release may have moved during the rollout.
    if (joint.some((j) => j.decision.action === "complete")) {
      const failing = await failingRules(tx, release);
      if (failing) joint = joint.map((j) => (j.decision.action === "complete" ? { ...j, decision: { action: "hold", reason: `Ready to complete, but a compatibility rule fails: ${failing}` } } : j));
    }
    const done = [];
    for (const [i, { r, assessment }] of judged.entries()) {
      const decision = joint[i].decision;
      await applyDecision(tx, { rollout: r, decision, actor: SYSTEM, now, assessment });
      done.push({ id: r.id, number: r.number, action: decision.action, reason: decision.reason });
    }
    // `together` lets "complete" through only when every live member completes.
    if (release.status === "rolling-out" && done.some((d) => d.action === "complete")) {
      await completeRelease(tx, { release, actor: SYSTEM, now });
    }
    // A rollback or abort takes the members without a rollout (or already applied) with it, in this transaction.
    const after = (await tx.release.findUnique({ where: { id: releaseId } }))!;
    if (await releaseNeedsSettling(tx, after)) await reconcileRelease(tx, after, SYSTEM, now);
    return done;
  }, { changesServing: (done) => done !== null && done.some((d) => d.action !== "hold") });
}

/**
 * Records a run of scheduler `name` at `now`; false when one already ran less than half a period ago (another
 * instance, or an earlier call). Judged by time, not by tick number, so a changed period or instances with
 * different settings never starve each other.
 */
export async function claimTick(name: string, tick: number, now: Date, everyMs: number): Promise<boolean> {
  const rows = await db.$queryRaw<{ tick: bigint }[]>`
    INSERT INTO scheduler_ticks (name, tick, ran_at) VALUES (${name}, ${BigInt(tick)}, ${now})
    ON CONFLICT (name) DO UPDATE SET tick = EXCLUDED.tick, ran_at = EXCLUDED.ran_at
    WHERE scheduler_ticks.ran_at <= EXCLUDED.ran_at - make_interval(secs => ${everyMs / 2000})
    RETURNING tick`;
  return rows.length === 1;
}

export type TickResult = { ran: boolean; tick: number; rollouts: { id: string; number: number; action: string; reason: string }[]; failed: { id: string; error: string }[] };

/**
 * One scheduler tick at `now`: claims the tick, then steps every active rollout. `name` separates schedulers and
 * `only` limits the rollouts (tests use both, so their fake clocks touch nothing but their own rollouts).
 */
export async function tickRollouts(o: { now?: Date; name?: string; everyMs?: number; only?: readonly string[] } = {}): Promise<TickResult> {
  const now = o.now ?? new Date();
  const everyMs = o.everyMs ?? tickMs();
  const tick = Math.floor(now.getTime() / everyMs);
  const result: TickResult = { ran: false, tick, rollouts: [], failed: [] };
  if (!(await claimTick(o.name ?? SCHEDULER, tick, now, everyMs))) return result;
  result.ran = true;
  await adoptWaitingRequests(now);
  const active = await db.rollout.findMany({ where: { status: { in: [...ACTIVE_STATUSES] }, ...(o.only ? { id: { in: [...o.only] } } : {}) }, select: { id: true, number: true, request: { select: { releaseId: true } } }, orderBy: { startedAt: "asc" } });
  const releases = new Set<string>();
  for (const r of active) {
    try {
      const releaseId = r.request.releaseId;
      if (releaseId) {
        // A release's rollouts are judged together, once per tick.
        if (releases.has(releaseId)) continue;
        releases.add(releaseId);
        result.rollouts.push(...((await stepRelease(releaseId, now)) ?? []));
        continue;
      }
      const done = await stepRollout(r.id, now);
      if (done) result.rollouts.push({ id: r.id, number: r.number, ...done });
    } catch (err) {
      // One rollout's failure (a deleted version, a database hiccup) must not stop the others; the next tick retries.
      result.failed.push({ id: r.id, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return result;
}

/**
 * Requests that reached rolling-out without a rollout (approved before this Gatehouse had a rollout engine, or a
 * start that failed): their rollout starts now, with the policy's rollout section as it is today. A release's
 * members without a rollout are meant to be so: they move when the release's rollouts complete.
 */
async function adoptWaitingRequests(now: Date): Promise<void> {
  const orphans = await db.promotionRequest.findMany({ where: { status: "rolling-out", rollout: null, releaseId: null }, select: { id: true, modelId: true }, take: 100 });
  for (const o of orphans) {
    await transaction(async (tx) => {
      await lockModel(tx, o.modelId);
      const r = await loadRequest(tx, o.id);
      if (r.status !== "rolling-out" || (await tx.rollout.findUnique({ where: { requestId: r.id }, select: { id: true } }))) return;
      const e = await evaluateRequest(tx, { model: r.model, versionId: r.versionId, stage: r.stage, emergency: r.emergency, decisions: decisionInputs(r.decisions), round: r.round, status: "rolling-out", now });
      const policy = e.stage?.rollout;
      if (!policy || policy.strategy === "direct") return;
      await startRollout(tx, { request: r, policy, signature: e.signature, actor: SYSTEM, now });
    }).catch((err) => console.error(`[gatehouse] could not start the rollout of request ${o.id}: ${err instanceof Error ? err.message : String(err)}`));
  }
}
