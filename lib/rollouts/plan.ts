/**
 * A rollout's plan: the policy's `rollout` section turned into the ordered steps the state machine walks, with every
 * default filled in. Stored on the rollout when it starts, so a policy edited mid-rollout does not change its course.
 * Pure.
 */
import type { Bound } from "@/lib/stats";
import { durationSeconds, formatDuration } from "@/lib/policy/duration";
import type { Rollout } from "@/lib/policy/schema";
import { metricDirection } from "@/lib/registry/rules";

export type Phase = "shadow" | "canary" | "blue-green";
export type Mode = "none" | Phase;
export type PlanStep = { phase: Phase; percent: number; holdMs: number; stableDays: number };
/** An approval between steps: `afterStep` is the index of the step it follows. */
export type PlanCheckpoint = { key: string; afterStep: number; role: string; count: number };
export type CriterionKind = "mean" | "ratio" | "percentile";
export type PlanCriterion = {
  metric: string;
  kind: CriterionKind;
  quantile: "p50" | "p95" | "p99";
  direction: "higher" | "lower";
  /** Judge the parity ratio across this dimension's groups (live fairness) instead of the metric itself. */
  groupBy: string | null;
  critical: boolean;
  advance: Bound | null;
  rollback: Bound | null;
};
export type RolloutPlan = {
  strategy: "shadow" | "canary" | "blue-green" | "shadow-then-canary";
  steps: PlanStep[];
  checkpoints: PlanCheckpoint[];
  criteria: PlanCriterion[];
  verdict: { pass: number; marginal: number };
  minSamples: number;
  watchWindowMs: number | null;
  lateLabelsMs: number | null;
  /** Checkpoint decisions are signed with the password, as the stage's approvals are. */
  signature: boolean;
};

export const DEFAULT_CANARY_STEPS = [
  { percent: 10, hold: "1h" },
  { percent: 50, hold: "1h" },
  { percent: 100, hold: "1h" },
];
export const DEFAULT_SHADOW = { minDuration: "24h", stableDays: 1 };
export const DEFAULT_BAKE = "1h";
/** Time buckets each side needs before a metric is judged (a bucket is at least a minute). */
export const DEFAULT_MIN_SAMPLES = 10;

const ms = (d: string) => (durationSeconds(d) ?? 0) * 1000;

export function buildPlan(rollout: Rollout, opts: { signature: boolean }): RolloutPlan {
  if (rollout.strategy === "direct") throw new Error("A direct promotion has no rollout plan");
  const steps: PlanStep[] = [];
  const shadowed = rollout.strategy === "shadow" || rollout.strategy === "shadow-then-canary";
  if (shadowed) {
    const s = { ...DEFAULT_SHADOW, ...rollout.shadow };
    steps.push({ phase: "shadow", percent: 0, holdMs: ms(s.minDuration), stableDays: s.stableDays });
  }
  if (rollout.strategy === "canary" || rollout.strategy === "shadow-then-canary") {
    for (const s of rollout.canary?.steps ?? DEFAULT_CANARY_STEPS) steps.push({ phase: "canary", percent: s.percent, holdMs: ms(s.hold), stableDays: 0 });
  }
  if (rollout.strategy === "blue-green") steps.push({ phase: "blue-green", percent: 100, holdMs: ms(rollout.blueGreen?.bake ?? DEFAULT_BAKE), stableDays: 0 });
  const firstCanary = steps.findIndex((s) => s.phase === "canary");
  const lastCanary = steps.findLastIndex((s) => s.phase === "canary");
  const checkpoints: PlanCheckpoint[] = [];
  for (const c of rollout.checkpoints ?? []) {
    let afterStep: number;
    let key: string;
    if (c.after === "shadow") {
      if (!shadowed) continue;
      afterStep = 0;
      key = "shadow";
    } else {
      if (firstCanary < 0) continue;
      afterStep = c.step ? Math.min(firstCanary + c.step - 1, lastCanary) : lastCanary;
      key = c.step ? `canary:${c.step}` : "canary";
    }
    const same = checkpoints.find((k) => k.key === key && k.role === c.role);
    if (same) same.count = Math.max(same.count, c.count);
    else checkpoints.push({ key, afterStep, role: c.role, count: c.count });
  }
  return {
    strategy: rollout.strategy,
    steps,
    checkpoints,
    criteria: rollout.criteria.map((c) => ({
      metric: c.metric,
      kind: c.kind,
      quantile: c.quantile ?? "p95",
      direction: c.direction ?? (c.groupBy ? "higher" : metricDirection(c.metric)),
      groupBy: c.groupBy ?? null,
      critical: c.critical,
      advance: c.advance ?? null,
      rollback: c.rollback ?? null,
    })),
    verdict: { pass: rollout.verdict?.pass ?? 95, marginal: rollout.verdict?.marginal ?? 75 },
    minSamples: rollout.minSamples ?? DEFAULT_MIN_SAMPLES,
    watchWindowMs: rollout.watchWindow ? ms(rollout.watchWindow) : null,
    lateLabelsMs: rollout.lateLabels ? ms(rollout.lateLabels) : null,
    signature: opts.signature,
  };
}

/** Where a criterion's data is kept while judging: a metric, or a metric's parity across a dimension's groups. */
export function seriesKey(c: Pick<PlanCriterion, "metric" | "groupBy">): string {
  return c.groupBy ? `${c.metric} by ${c.groupBy}` : c.metric;
}

/** The checkpoints that follow a step, all of which must be satisfied before the rollout moves past it. */
export function checkpointsAfter(plan: RolloutPlan, stepIndex: number): PlanCheckpoint[] {
  return plan.checkpoints.filter((c) => c.afterStep === stepIndex);
}

/** "canary 50% (step 3 of 4)", "shadow", "blue-green 100%". */
export function describeStep(plan: RolloutPlan, index: number): string {
  const s = plan.steps[index];
  if (!s) return "no step";
  const where = plan.steps.length > 1 ? ` (step ${index + 1} of ${plan.steps.length})` : "";
  return s.phase === "shadow" ? `shadow${where}` : `${s.phase} ${s.percent}%${where}`;
}

export function describeCheckpoint(c: Pick<PlanCheckpoint, "key" | "role" | "count">): string {
  const after = c.key === "shadow" ? "after shadow" : c.key === "canary" ? "after the canary" : `after canary step ${c.key.split(":")[1]}`;
  return `${c.count > 1 ? `${c.count} ${c.role}s` : `a ${c.role}`} ${after}`;
}

export { formatDuration };
