import { describe, expect, it } from "vitest";
import { agreement, judgeWindow, paritySide, sampleWidthMs, sideOf, stableDays, valueOf, type MetricSeries, type RollupRow } from "./judge";
import { buildPlan } from "./plan";

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = new Date("2031-01-01T00:00:00Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * MIN);
const zero = { count: 0, sum: 0, min: null, max: null, p50Sum: 0, p95Sum: 0, p99Sum: 0, pWeight: 0, numerator: 0, denominator: 0 };
const point = (minute: number, value: number): RollupRow => ({ ...zero, bucket: at(minute), count: 1, sum: value, min: value, max: value });
const ratio = (minute: number, numerator: number, denominator: number): RollupRow => ({ ...zero, bucket: at(minute), numerator, denominator });
const window = (minute: number, count: number, mean: number, p95: number): RollupRow => ({ ...zero, bucket: at(minute), count, sum: mean * count, min: 0, max: p95 * 2, p95Sum: p95 * count, p50Sum: mean * count, pWeight: count });
const wobble = (i: number) => Math.sin(i * 12.9898);

describe("metric values", () => {
  it.each([
    ["a ratio metric is Σnumerator / Σdenominator, not a mean of ratios", { kind: "ratio", quantile: "p95" }, [ratio(0, 1, 10), ratio(1, 99, 990)], 0.1],
    ["a mean metric is Σsum / Σcount", { kind: "mean", quantile: "p95" }, [point(0, 1), point(1, 3), window(2, 2, 6, 9)], (1 + 3 + 12) / 4],
    ["a percentile metric sent as windows is the count-weighted mean of their percentile", { kind: "percentile", quantile: "p95" }, [window(0, 1, 100, 200), window(1, 3, 100, 300)], 275],
    ["a percentile metric sent as points is the mean of the points", { kind: "percentile", quantile: "p95" }, [point(0, 180), point(1, 220)], 200],
    ["no denominator: no value", { kind: "ratio", quantile: "p95" }, [point(0, 1)], null],
    ["no observations: no value", { kind: "mean", quantile: "p95" }, [ratio(0, 1, 10)], null],
  ] as const)("%s", (_name, c, rows, expected) => {
    expect(sideOf(c, rows, at(0), at(60)).value).toBe(expected);
  });

  it("buckets samples by a width that keeps a long window at most 200 samples", () => {
    expect(sampleWidthMs(60 * MIN)).toBe(MIN);
    expect(sampleWidthMs(7 * DAY)).toBe(51 * MIN);
    const rows = Array.from({ length: 120 }, (_, i) => point(i, i));
    expect(sideOf({ kind: "mean", quantile: "p95" }, rows, at(0), at(120)).samples).toHaveLength(120);
    expect(sideOf({ kind: "mean", quantile: "p95" }, rows, at(60), at(120)).samples).toEqual(Array.from({ length: 60 }, (_, i) => 60 + i));
    expect(valueOf({ kind: "mean", quantile: "p95" }, { ...zero, count: 2, sum: 10 })).toBe(5);
  });
});

describe("judging a window", () => {
  const plan = buildPlan(
    {
      strategy: "canary",
      minSamples: 5,
      criteria: [
        { metric: "latency_p95_ms", kind: "percentile", direction: "lower", critical: false, advance: { relative: 10 }, rollback: { max: 250 } },
        { metric: "error_rate", kind: "ratio", critical: true, advance: { absolute: 0.002 }, rollback: { absolute: 0.01 } },
      ],
    },
    { signature: false },
  );
  const series = (latency: [number, number], errors: [number, number], minutes = 30): Map<string, MetricSeries> =>
    new Map([
      ["latency_p95_ms", { challenger: Array.from({ length: minutes }, (_, i) => point(i, latency[0] * (1 + 0.02 * wobble(i)))), champion: Array.from({ length: minutes }, (_, i) => point(i, latency[1] * (1 + 0.02 * wobble(i + 100)))) }],
      ["error_rate", { challenger: Array.from({ length: minutes }, (_, i) => ratio(i, Math.round(1000 * errors[0] * (1 + 0.1 * wobble(i + 7))), 1000)), champion: Array.from({ length: minutes }, (_, i) => ratio(i, Math.round(1000 * errors[1] * (1 + 0.1 * wobble(i + 50))), 1000)) }],
    ]);

  it.each([
    ["same behaviour passes", [120, 120], [0.01, 0.01], "pass", []],
    ["latency 30% worse fails its advance bound and breaks no rollback bound", [156, 120], [0.01, 0.01], "fail", []],
    ["latency above 250 breaches the rollback bound", [300, 120], [0.01, 0.01], "fail", ["latency_p95_ms"]],
    ["errors 3 points worse: the critical metric fails and the rollback bound is breached", [120, 120], [0.045, 0.01], "fail", ["error_rate"]],
  ] as const)("%s", (_name, latency, errors, outcome, breached) => {
    const { verdict, breaches } = judgeWindow(plan, series([...latency], [...errors]), at(0), at(30));
    expect(verdict.outcome).toBe(outcome);
    expect(breaches.map((b) => b.metric)).toEqual(breached);
  });

  it("waits with too little data, and never passes on no data", () => {
    expect(judgeWindow(plan, series([120, 120], [0.01, 0.01], 3), at(0), at(30)).verdict.outcome).toBe("too-little-data");
    expect(judgeWindow(plan, new Map(), at(0), at(30)).verdict.outcome).toBe("no-data");
  });

  it("compares against the champion's baseline when the champion served nothing in the window", () => {
    const s = series([120, 120], [0.01, 0.01]);
    const shifted = new Map([...s].map(([k, v]) => [k, { challenger: v.challenger.map((r) => ({ ...r, bucket: new Date(r.bucket.getTime() + 60 * MIN) })), champion: [] }]));
    const baseline = new Map([...s].map(([k, v]) => [k, { rows: v.champion!, from: at(0), to: at(30), phrase: "the champion's last 30 minutes before this step" }]));
    const { verdict } = judgeWindow(plan, shifted, at(60), at(90), baseline);
    expect(verdict.outcome).toBe("pass");
    expect(verdict.metrics[0].explanation).toMatch(/last 30 minutes before this step/);
    expect(judgeWindow(plan, shifted, at(60), at(90)).verdict.outcome).toBe("no-data");
  });
});

describe("live fairness across a dimension's groups", () => {
  const plan = buildPlan({ strategy: "canary", minSamples: 5, criteria: [{ metric: "approval_rate", kind: "ratio", groupBy: "group", critical: false, advance: { min: 0.8 }, rollback: { min: 0.6 } }] }, { signature: false });
  const rates = (a: number, b: number) =>
    new Map([
      ["A", Array.from({ length: 20 }, (_, i) => ratio(i, Math.round(1000 * a * (1 + 0.02 * wobble(i))), 1000))],
      ["B", Array.from({ length: 20 }, (_, i) => ratio(i, Math.round(1000 * b * (1 + 0.02 * wobble(i + 9))), 1000))],
    ]);
  const series = (a: number, b: number): Map<string, MetricSeries> => new Map([["approval_rate by group", { challenger: [], champion: [], groups: { challenger: rates(a, b), champion: rates(0.5, 0.5) } }]]);

  it("the parity ratio is the lowest group's rate over the highest's, per bucket and pooled", () => {
    const side = paritySide({ kind: "ratio", quantile: "p95" }, rates(0.5, 0.45), at(0), at(20));
    expect(side.samples).toHaveLength(20);
    expect(side.value).toBeCloseTo(0.9, 1);
    expect(paritySide({ kind: "ratio", quantile: "p95" }, new Map([["A", rates(0.5, 0.5).get("A")!]]), at(0), at(20))).toEqual({ samples: [], value: null });
  });

  it.each([
    ["near parity passes", 0.5, 0.45, "pass", []],
    ["group B approved at 70% of A's rate fails the advance bound", 0.5, 0.35, "fail", []],
    ["group B at half of A's rate breaches the rollback bound", 0.5, 0.25, "fail", ["approval_rate by group"]],
  ] as const)("%s", (_name, a, b, outcome, breached) => {
    const { verdict, breaches } = judgeWindow(plan, series(a, b), at(0), at(20));
    expect(verdict.outcome).toBe(outcome);
    expect(breaches.map((x) => x.metric)).toEqual(breached);
  });
});

describe("shadow stability and agreement", () => {
  const plan = buildPlan({ strategy: "shadow", minSamples: 5, criteria: [{ metric: "auc", kind: "mean", critical: true, advance: { absolute: 0.01 } }] }, { signature: false });
  // Hourly AUC for 3 days: day 1 the challenger is clearly worse, days 2 and 3 it matches the champion.
  const hours = 72;
  const rows = (v: (h: number) => number) => Array.from({ length: hours }, (_, h) => point(h * 60, v(h) + 0.002 * wobble(h)));
  const s = new Map([["auc", { challenger: rows((h) => (h < 24 ? 0.8 : 0.9)), champion: rows(() => 0.9) }]]);

  it("counts the days in a row, back from now, whose verdict is Pass", () => {
    expect(stableDays(plan, s, T0, at(72 * 60), 7)).toMatchObject({ days: 2, daily: [{ outcome: "pass" }, { outcome: "pass" }, { outcome: "fail" }] });
    expect(stableDays(plan, s, T0, at(72 * 60), 1).days).toBe(1);
    // Only whole days inside the shadow phase count.
    expect(stableDays(plan, s, at(24 * 60 + 1), at(72 * 60), 7).days).toBe(1);
  });

  it.each([
    ["within 5% agrees", { precision: 0.81 }, { precision: 0.83 }, true],
    ["10% apart disagrees", { precision: 0.72 }, { precision: 0.8 }, false],
    ["near zero, within 0.01 agrees", { fpr: 0.004 }, { fpr: 0.012 }, true],
  ] as const)("live versus offline: %s", (_name, live, offline, agrees) => {
    const [a] = agreement(new Map(Object.entries(live)), offline);
    expect(a.agrees).toBe(agrees);
    expect(a.difference).toBeCloseTo(Object.values(live)[0] - Object.values(offline)[0], 10);
  });

  it("only metrics present in both are compared", () => {
    expect(agreement(new Map([["ctr", 0.1], ["auc", 0.9]]), { auc: 0.91, recall: 0.5 }).map((a) => a.metric)).toEqual(["auc"]);
  });
});
