import { describe, expect, it } from "vitest";
import type { MetricJudgement, Verdict } from "@/lib/stats";
import { ControlRefused, advanceEarly, assertCanAbort, assertCanPause, assertCanResume, decideRollout, heldMs, resumedState, type CheckpointTally, type Judgement, type RolloutState } from "./machine";
import { buildPlan } from "./plan";

const H = 3_600_000;
const T0 = new Date("2026-11-01T00:00:00Z");
const at = (hours: number) => new Date(T0.getTime() + hours * H);

const canary = buildPlan(
  { strategy: "canary", canary: { steps: [{ percent: 10, hold: "2h" }, { percent: 50, hold: "2h" }, { percent: 100, hold: "1h" }] }, criteria: [], checkpoints: [{ after: "canary", step: 2, role: "ml-lead", count: 1 }] },
  { signature: false },
);
const shadowThenCanary = buildPlan(
  { strategy: "shadow-then-canary", shadow: { minDuration: "3d", stableDays: 2 }, canary: { steps: [{ percent: 10, hold: "1h" }, { percent: 100, hold: "1h" }] }, checkpoints: [{ after: "shadow", role: "compliance-officer", count: 1 }], criteria: [] },
  { signature: true },
);
const blueGreen = buildPlan({ strategy: "blue-green", blueGreen: { bake: "30m" }, criteria: [], watchWindow: "24h" }, { signature: false });

function verdict(outcome: Verdict["outcome"], score: number | null = outcome === "pass" ? 100 : 50): Verdict {
  return { outcome, score, judged: 2, passed: outcome === "pass" ? 2 : 1, criticalFailures: [], explanation: `Verdict ${outcome}.`, metrics: [] };
}
const breach = { metric: "latency_p95_ms", failed: true, outcome: "high", explanation: "latency_p95_ms is 260 ms, above the rollback limit 200." } as MetricJudgement;
const judged = (o: Partial<Judgement> = {}): Judgement => ({ verdict: verdict("pass"), breaches: [], stableDays: null, ...o });
const state = (o: Partial<RolloutState> = {}): RolloutState => ({ status: "running", stepIndex: 0, stepStartedAt: T0, pausedAt: null, pausedSeconds: 0, waitingFor: null, watchUntil: null, ...o });
const approved = (key: string, role: string, n = 1): CheckpointTally => ({ [key]: { approvals: { [role]: n }, rejectedBy: null } });

type Case = [name: string, plan: typeof canary, s: RolloutState, j: Judgement, tally: CheckpointTally, now: Date, action: string, extra?: Record<string, unknown>, reason?: RegExp];

const cases: Case[] = [
  ["first step, hold not elapsed", canary, state(), judged(), {}, at(1), "hold", {}, /1 hour of 2 hours/],
  ["first step, hold elapsed and Pass: advance", canary, state(), judged(), {}, at(2), "advance", { toStep: 1 }, /Moving to canary 50%/],
  ["hold elapsed but Marginal: hold for a person", canary, state(), judged({ verdict: verdict("marginal", 80) }), {}, at(3), "hold", {}, /Marginal.*advance early or abort/],
  ["hold elapsed but Fail without a breach: hold", canary, state(), judged({ verdict: verdict("fail", 40) }), {}, at(3), "hold", {}, /Fail/],
  ["no data: hold, never advance", canary, state(), judged({ verdict: verdict("no-data", null) }), {}, at(9), "hold", {}, /No data yet/],
  ["too little data: hold", canary, state(), judged({ verdict: verdict("too-little-data", null) }), {}, at(9), "hold", {}, /Too little data/],
  ["step 2 passed, its checkpoint not given: wait", canary, state({ stepIndex: 1 }), judged(), {}, at(2), "wait", { checkpoint: "canary:2" }, /a ml-lead after canary step 2/],
  ["waiting, checkpoint not given: hold", canary, state({ stepIndex: 1, status: "waiting", waitingFor: "canary:2" }), judged(), {}, at(5), "hold", {}, /Waiting for a ml-lead/],
  ["waiting, checkpoint given: advance", canary, state({ stepIndex: 1, status: "waiting", waitingFor: "canary:2" }), judged(), approved("canary:2", "ml-lead"), at(5), "advance", { toStep: 2 }, /Checkpoint approved/],
  ["waiting, checkpoint rejected: abort", canary, state({ stepIndex: 1, status: "waiting", waitingFor: "canary:2" }), judged(), { "canary:2": { approvals: {}, rejectedBy: "Lena Lead" } }, at(5), "abort", {}, /Lena Lead rejected/],
  ["checkpoint given before the step ended: no wait", canary, state({ stepIndex: 1 }), judged(), approved("canary:2", "ml-lead"), at(2), "advance", { toStep: 2 }],
  ["last step passed: complete", canary, state({ stepIndex: 2 }), judged(), {}, at(1), "complete", {}, /complete/],
  ["breach while running: rollback", canary, state(), judged({ breaches: [breach] }), {}, at(0.1), "rollback", {}, /latency_p95_ms is 260 ms/],
  ["breach while paused: still rollback", canary, state({ status: "paused", pausedAt: at(0.5) }), judged({ breaches: [breach] }), {}, at(1), "rollback"],
  ["breach while waiting: still rollback", canary, state({ stepIndex: 1, status: "waiting", waitingFor: "canary:2" }), judged({ breaches: [breach] }), {}, at(3), "rollback"],
  ["paused: hold whatever the clock", canary, state({ status: "paused", pausedAt: at(1) }), judged(), {}, at(50), "hold", {}, /Paused/],
  ["resumed: paused time does not count", canary, state({ pausedSeconds: 3_600 }), judged(), {}, at(2.5), "hold", {}, /90 minutes of 2 hours/],
  ["resumed: hold counts once running long enough", canary, state({ pausedSeconds: 3_600 }), judged(), {}, at(3), "advance", { toStep: 1 }],
  ["shadow: min duration not reached", shadowThenCanary, state(), judged({ stableDays: 5 }), {}, at(48), "hold", {}, /Holding shadow/],
  ["shadow: long enough but stable 1 of 2 days", shadowThenCanary, state(), judged({ stableDays: 1 }), {}, at(72), "hold", {}, /stable for 1 of the 2 days/],
  ["shadow: stable 2 days: wait for compliance", shadowThenCanary, state(), judged({ stableDays: 2 }), {}, at(72), "wait", { checkpoint: "shadow" }, /compliance-officer after shadow/],
  ["shadow checkpoint given: first canary step", shadowThenCanary, state({ status: "waiting", waitingFor: "shadow" }), judged({ stableDays: 2 }), approved("shadow", "compliance-officer"), at(73), "advance", { toStep: 1 }, /canary 10%/],
  ["blue-green: bake not done", blueGreen, state(), judged(), {}, at(0.25), "hold", {}, /blue-green 100%/],
  ["blue-green: baked and Pass: complete", blueGreen, state(), judged(), {}, at(0.5), "complete"],
  ["watching: no breach, window open", blueGreen, state({ status: "watching", watchUntil: at(24) }), judged(), {}, at(10), "hold", {}, /Watching/],
  ["watching: breach rolls the champion back", blueGreen, state({ status: "watching", watchUntil: at(24) }), judged({ breaches: [breach] }), {}, at(10), "watch-rollback", {}, /inside the watch window/],
  ["watching: window over", blueGreen, state({ status: "watching", watchUntil: at(24) }), judged(), {}, at(24), "end-watch"],
  ["ended: nothing to do", canary, state({ status: "rolled-back" }), judged({ breaches: [breach] }), {}, at(10), "hold"],
];

describe("decideRollout", () => {
  it.each(cases)("%s", (_name, plan, s, j, tally, now, action, extra = {}, reason) => {
    const d = decideRollout({ plan, state: s, judgement: j, checkpoints: tally, now });
    expect(d.action).toBe(action);
    expect(d).toMatchObject(extra);
    if (reason) expect(d.reason).toMatch(reason);
  });
});

describe("plans", () => {
  it("fill defaults and place checkpoints between steps", () => {
    expect(canary.steps.map((s) => [s.phase, s.percent, s.holdMs / H])).toEqual([["canary", 10, 2], ["canary", 50, 2], ["canary", 100, 1]]);
    expect(canary.checkpoints).toEqual([{ key: "canary:2", afterStep: 1, role: "ml-lead", count: 1 }]);
    expect(shadowThenCanary.steps[0]).toMatchObject({ phase: "shadow", percent: 0, holdMs: 72 * H, stableDays: 2 });
    expect(shadowThenCanary.checkpoints).toEqual([{ key: "shadow", afterStep: 0, role: "compliance-officer", count: 1 }]);
    expect(blueGreen.steps).toEqual([{ phase: "blue-green", percent: 100, holdMs: 0.5 * H, stableDays: 0 }]);
    expect(blueGreen.watchWindowMs).toBe(24 * H);
    const defaults = buildPlan({ strategy: "canary", criteria: [{ metric: "latency_p95_ms", kind: "percentile", critical: false, rollback: { max: 200 } }] }, { signature: false });
    expect(defaults.steps.map((s) => s.percent)).toEqual([10, 50, 100]);
    expect(defaults.criteria[0]).toMatchObject({ direction: "lower", quantile: "p95", advance: null });
    expect(defaults.verdict).toEqual({ pass: 95, marginal: 75 });
    expect(() => buildPlan({ strategy: "direct", criteria: [] }, { signature: false })).toThrow();
  });
});

describe("controls", () => {
  it("advance early skips the hold and the verdict but never a checkpoint", () => {
    expect(advanceEarly(canary, state(), {})).toMatchObject({ action: "advance", toStep: 1 });
    expect(advanceEarly(canary, state({ stepIndex: 1 }), {})).toMatchObject({ action: "wait", checkpoint: "canary:2" });
    expect(() => advanceEarly(canary, state({ stepIndex: 1, status: "waiting", waitingFor: "canary:2" }), {})).toThrow(/cannot skip an approval checkpoint/);
    expect(advanceEarly(canary, state({ stepIndex: 2, status: "paused", pausedAt: at(1) }), {})).toMatchObject({ action: "complete" });
    expect(() => advanceEarly(canary, state({ status: "completed" }), {})).toThrow(ControlRefused);
  });

  it.each([
    ["pause a running rollout", () => assertCanPause(state()), null],
    ["pause twice", () => assertCanPause(state({ status: "paused" })), /already paused/],
    ["pause a finished one", () => assertCanPause(state({ status: "completed" })), /completed/],
    ["resume a running one", () => assertCanResume(state()), /not paused/],
    ["resume a paused one", () => assertCanResume(state({ status: "paused" })), null],
    ["abort a waiting one", () => assertCanAbort(state({ status: "waiting" })), null],
    ["abort a rolled back one", () => assertCanAbort(state({ status: "rolled-back" })), /only a live rollout/],
  ] as const)("%s", (_n, fn, error) => {
    if (error) expect(fn).toThrow(error);
    else expect(fn).not.toThrow();
  });

  it("counts paused time out of the hold", () => {
    const paused = state({ status: "paused", pausedAt: at(1) });
    expect(heldMs(paused, at(3))).toBe(1 * H);
    const resumed = { ...paused, status: "running" as const, ...resumedState(paused, at(3)) };
    expect(resumed.pausedSeconds).toBe(7_200);
    expect(heldMs(resumed, at(4))).toBe(2 * H);
  });
});
