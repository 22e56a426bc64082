/**
 * The rollout state machine, as one pure function of (rollout, plan, judgement, checkpoint decisions, now). The
 * scheduler calls it on every tick and carries out what it returns; people's controls (pause, resume, advance early,
 * abort) are the small pure functions at the end. No I/O, the clock is an argument.
 */
import type { Verdict } from "@/lib/stats";
import type { MetricJudgement } from "@/lib/stats";
import { checkpointsAfter, describeCheckpoint, describeStep, formatDuration, type Mode, type PlanCheckpoint, type RolloutPlan } from "./plan";

export const ROLLOUT_STATUSES = ["running", "paused", "waiting", "watching", "completed", "rolled-back", "aborted"] as const;
export type RolloutStatus = (typeof ROLLOUT_STATUSES)[number];
/** The challenger takes (or mirrors) traffic. */
export const LIVE_STATUSES: readonly RolloutStatus[] = ["running", "paused", "waiting"];
/** The scheduler still has work: live, or completed and inside the watch window. */
export const ACTIVE_STATUSES: readonly RolloutStatus[] = ["running", "paused", "waiting", "watching"];

export const STATUS_LABELS: Record<RolloutStatus, string> = {
  running: "Running",
  paused: "Paused",
  waiting: "Waiting for approval",
  watching: "Completed, watching",
  completed: "Completed",
  "rolled-back": "Rolled back",
  aborted: "Aborted",
};

export type RolloutState = {
  status: RolloutStatus;
  stepIndex: number;
  stepStartedAt: Date;
  pausedAt: Date | null;
  pausedSeconds: number;
  waitingFor: string | null;
  watchUntil: Date | null;
};

export type Judgement = {
  /** The advance criteria over the current step (or, when watching, the watch window). */
  verdict: Verdict;
  /** Rollback criteria that are breached now. */
  breaches: MetricJudgement[];
  /** Shadow only: consecutive days, counting back from now, whose verdict was Pass. */
  stableDays: number | null;
};

/** Checkpoint decisions so far, per checkpoint key and role. */
export type CheckpointTally = Record<string, { approvals: Record<string, number>; rejectedBy: string | null }>;

export type Decision =
  | { action: "hold"; reason: string }
  | { action: "advance"; toStep: number; reason: string }
  | { action: "wait"; checkpoint: string; reason: string }
  | { action: "complete"; reason: string }
  | { action: "rollback"; reason: string; breaches: MetricJudgement[] }
  | { action: "watch-rollback"; reason: string; breaches: MetricJudgement[] }
  | { action: "end-watch"; reason: string }
  | { action: "abort"; reason: string };

export function modeOf(plan: RolloutPlan, stepIndex: number): { mode: Mode; percent: number } {
  const s = plan.steps[stepIndex];
  return s ? { mode: s.phase, percent: s.percent } : { mode: "none", percent: 0 };
}

/** Time the current step has run, not counting time paused. */
export function heldMs(state: RolloutState, now: Date): number {
  const pausedNow = state.pausedAt ? Math.max(0, now.getTime() - state.pausedAt.getTime()) : 0;
  return Math.max(0, now.getTime() - state.stepStartedAt.getTime() - state.pausedSeconds * 1000 - pausedNow);
}

export function describeBreaches(breaches: readonly MetricJudgement[]): string {
  return breaches.map((b) => b.explanation).join(" ");
}

/** Whether each role a checkpoint asks for has enough approvals. */
export function checkpointMet(c: PlanCheckpoint, tally: CheckpointTally): boolean {
  return (tally[c.key]?.approvals[c.role] ?? 0) >= c.count;
}

/** Where the rollout goes once the step at `stepIndex` is done: a checkpoint, the next step, or completion. */
function pastStep(plan: RolloutPlan, stepIndex: number, tally: CheckpointTally, why: string): Decision {
  const open = checkpointsAfter(plan, stepIndex).filter((c) => !checkpointMet(c, tally));
  const rejected = checkpointsAfter(plan, stepIndex).find((c) => tally[c.key]?.rejectedBy);
  if (rejected) return { action: "abort", reason: `${tally[rejected.key].rejectedBy} rejected the rollout at the checkpoint ${describeCheckpoint(rejected)}.` };
  if (open.length) return { action: "wait", checkpoint: open[0].key, reason: `${why} Waiting for ${open.map(describeCheckpoint).join(" and ")} to approve.` };
  if (stepIndex + 1 >= plan.steps.length) return { action: "complete", reason: `${why} The rollout is complete.` };
  return { action: "advance", toStep: stepIndex + 1, reason: `${why} Moving to ${describeStep(plan, stepIndex + 1)}.` };
}

export function decideRollout(o: { plan: RolloutPlan; state: RolloutState; judgement: Judgement; checkpoints: CheckpointTally; now: Date }): Decision {
  const { plan, state, judgement, now } = o;
  const breaches = judgement.breaches;
  switch (state.status) {
    case "completed":
    case "rolled-back":
    case "aborted":
      return { action: "hold", reason: "The rollout has ended." };
    case "watching":
      if (breaches.length) return { action: "watch-rollback", breaches, reason: `Rollback criteria breached inside the watch window: ${describeBreaches(breaches)}` };
      if (state.watchUntil && now >= state.watchUntil) return { action: "end-watch", reason: "The watch window ended without a breach." };
      return { action: "hold", reason: "Watching the new champion until the watch window ends." };
  }
  // Breaches roll back whatever else is going on, paused or waiting included: safety does not wait for people.
  if (breaches.length) return { action: "rollback", breaches, reason: `Rollback criteria breached: ${describeBreaches(breaches)}` };
  if (state.status === "paused") return { action: "hold", reason: "Paused; resume to let the rollout advance." };
  const step = plan.steps[state.stepIndex];
  if (state.status === "waiting") {
    const c = plan.checkpoints.find((k) => k.key === state.waitingFor);
    if (!c) return pastStep(plan, state.stepIndex, o.checkpoints, "");
    if (o.checkpoints[c.key]?.rejectedBy) return { action: "abort", reason: `${o.checkpoints[c.key].rejectedBy} rejected the rollout at the checkpoint ${describeCheckpoint(c)}.` };
    const all = checkpointsAfter(plan, state.stepIndex);
    if (all.every((k) => checkpointMet(k, o.checkpoints))) return pastStep(plan, state.stepIndex, o.checkpoints, "Checkpoint approved.");
    return { action: "hold", reason: `Waiting for ${all.filter((k) => !checkpointMet(k, o.checkpoints)).map(describeCheckpoint).join(" and ")} to approve.` };
  }
  if (!step) return { action: "hold", reason: "The plan has no such step." };
  const held = heldMs(state, now);
  const v = judgement.verdict;
  if (held < step.holdMs) return { action: "hold", reason: `Holding ${describeStep(plan, state.stepIndex)}: ${formatDuration(Math.floor(held / 60_000) * 60)} of ${formatDuration(Math.round(step.holdMs / 1000))} done. ${v.explanation}` };
  if (step.phase === "shadow" && step.stableDays > 0) {
    const stable = judgement.stableDays ?? 0;
    if (stable < step.stableDays) return { action: "hold", reason: `Shadow stable for ${stable} of the ${step.stableDays} day${step.stableDays === 1 ? "" : "s"} needed. ${v.explanation}` };
    return pastStep(plan, state.stepIndex, o.checkpoints, `Shadow stable for ${stable} day${stable === 1 ? "" : "s"}.`);
  }
  if (v.outcome !== "pass") {
    const what = { marginal: "The verdict is Marginal", fail: "The verdict is Fail", "no-data": "No data yet", "too-little-data": "Too little data yet" }[v.outcome];
    const next = v.outcome === "marginal" || v.outcome === "fail" ? " An ml-lead may advance early or abort." : "";
    return { action: "hold", reason: `${what}: holding ${describeStep(plan, state.stepIndex)}. ${v.explanation}${next}` };
  }
  return pastStep(plan, state.stepIndex, o.checkpoints, `Verdict Pass${v.score === null ? "" : ` (score ${Math.round(v.score)})`} after ${formatDuration(Math.round(step.holdMs / 1000))}.`);
}

export class ControlRefused extends Error {}

/** An ml-lead skips the rest of the current step's hold and verdict; checkpoints still need their approvers. */
export function advanceEarly(plan: RolloutPlan, state: RolloutState, tally: CheckpointTally): Decision {
  if (state.status === "waiting") throw new ControlRefused(`The rollout is waiting for ${checkpointsAfter(plan, state.stepIndex).filter((c) => !checkpointMet(c, tally)).map(describeCheckpoint).join(" and ")}; advancing early cannot skip an approval checkpoint.`);
  if (state.status !== "running" && state.status !== "paused") throw new ControlRefused(`The rollout is ${STATUS_LABELS[state.status].toLowerCase()}; only a running or paused rollout can advance.`);
  return pastStep(plan, state.stepIndex, tally, "Advanced early by hand.");
}

export function assertCanPause(state: RolloutState): void {
  if (state.status === "paused") throw new ControlRefused("The rollout is already paused.");
  if (state.status !== "running" && state.status !== "waiting") throw new ControlRefused(`The rollout is ${STATUS_LABELS[state.status].toLowerCase()}; only a running rollout can be paused.`);
}

export function assertCanResume(state: RolloutState): void {
  if (state.status !== "paused") throw new ControlRefused(`The rollout is ${STATUS_LABELS[state.status].toLowerCase()}, not paused.`);
}

export function assertCanAbort(state: RolloutState): void {
  if (!LIVE_STATUSES.includes(state.status)) throw new ControlRefused(`The rollout is ${STATUS_LABELS[state.status].toLowerCase()}; only a live rollout can be aborted.`);
}

/** Paused time folded into the step, so its hold counts only time spent running. */
export function resumedState(state: RolloutState, now: Date): Pick<RolloutState, "pausedAt" | "pausedSeconds"> {
  const paused = state.pausedAt ? Math.max(0, Math.round((now.getTime() - state.pausedAt.getTime()) / 1000)) : 0;
  return { pausedAt: null, pausedSeconds: state.pausedSeconds + paused };
}
