import { describe, expect, it } from "vitest";
import hlReference from "./fixtures/hodges-lehmann.json";
import { StatsInputError, judgeMetric, scoreVerdict, type MetricJudgeInput, type MetricJudgement, type MetricOutcome, type Side } from "./index";
import { sample, type SampleSpec } from "./testing";

/** n per-bucket values spread evenly and symmetrically over center ± spread/2, in a shuffled order, pooled as center. */
function series(center: number, spread: number, n = 20): Side {
  return { samples: Array.from({ length: n }, (_, i) => center + spread * (((i * 7) % n + 0.5) / n - 0.5)), value: center };
}
const withValue = (side: Side, value: number): Side => ({ ...side, value });
const input = (overrides: Partial<MetricJudgeInput>): MetricJudgeInput => ({
  metric: "latency_p95_ms", direction: "lower", critical: false, bound: { relative: 10 }, challenger: series(200, 4), champion: series(200, 4), ...overrides,
});

describe("judgeMetric against a champion", () => {
  const ctr = (challenger: number, champion: number, relative = 10): Partial<MetricJudgeInput> => ({
    metric: "ctr", direction: "higher", bound: { relative }, challenger: series(challenger, 0.004), champion: series(champion, 0.004),
  });
  const errorRate = (challenger: Side, champion: Side, absolute: number): Partial<MetricJudgeInput> => ({ metric: "error_rate", bound: { absolute }, challenger, champion });
  const constant = (value: number): Side => ({ samples: Array(12).fill(value), value });

  it.each<[string, Partial<MetricJudgeInput>, MetricOutcome, boolean, RegExp]>([
    ["latency 2.5% higher, within a 10% allowance", { challenger: series(205, 4) }, "pass", false,
      /5 \(2\.5%\) higher, which is worse.*significant \(p < 0\.001.*\) but within the allowance, so it passes/],
    ["latency 15% higher, beyond a 10% allowance", { challenger: series(230, 4) }, "high", true,
      /30 \(15\.0%\) higher, which is worse, and it must be at most 10% worse than the champion; the difference is significant .* so it fails as too high\.$/],
    ["CTR 20% lower, beyond a 5% allowance", ctr(0.04, 0.05, 5), "low", true,
      /^ctr is 0\.04 against 0\.05 for the champion: 0\.01 \(20\.0%\) lower, which is worse.*fails as too low\.$/],
    ["error rate 0.005 higher, beyond an absolute 0.002", errorRate(series(0.015, 0.002), series(0.01, 0.002), 0.002), "high", true,
      /0\.005 higher, which is worse, and it must be at most 0\.002 worse than the champion; .* too high/],
    ["error rate 0.001 higher, within an absolute 0.002", errorRate(series(0.011, 0.002), series(0.01, 0.002), 0.002), "pass", false,
      /0\.001 higher, which is worse.*so it passes\.$/],
    ["latency 25% lower, significantly better", { challenger: series(150, 4) }, "pass", false,
      /50 \(25\.0%\) lower, which is better.*it is significantly better \(p < 0\.001.*\), so it passes\.$/],
    ["CTR 20% higher, significantly better", ctr(0.06, 0.05), "pass", false, /higher, which is better.*significantly better/],
    ["pooled latency 30% higher from a few buckets, samples alike: not significant", { challenger: withValue(series(200, 40), 260), champion: series(200, 40) }, "pass", false,
      /60 \(30\.0%\) higher, which is worse.*not significant \(p = 1\), so it passes although the pooled values differ by more than allowed\.$/],
    ["identical constant series", errorRate(constant(0.01), constant(0.01), 0), "pass", false, /no difference.*not significant \(p = 1\)/],
    ["two different constant series", errorRate(constant(0.02), constant(0.01), 0.005), "high", true, /interval of the shift 0\.01 to 0\.01\), so it fails as too high/],
  ])("%s", (_name, overrides, outcome, failed, explanation) => {
    const j = judgeMetric(input(overrides));
    expect(j.outcome).toBe(outcome);
    expect(j.failed).toBe(failed);
    expect(j.explanation).toMatch(explanation);
    expect(j.effect).toBeCloseTo(j.challenger! - j.champion!, 12);
    expect(j.pValue).not.toBeNull();
    expect(j.interval).not.toBeNull();
  });

  it("gives p = 1 and a zero shift for identical constant series", () => {
    const constant = { samples: Array(12).fill(3), value: 3 };
    const j = judgeMetric(input({ challenger: constant, champion: constant }));
    expect(j).toMatchObject({ pValue: 1, interval: { estimate: 0, lower: 0, upper: 0 }, effect: 0, relativeEffect: 0 });
  });

  // Samples made with numpy (default_rng(7), normal 200 ± 12 and 210 ± 12, rounded to 0.1: ties within and across).
  // scipy.stats.mannwhitneyu(challenger, champion, alternative="two-sided", method="asymptotic", use_continuity=True)
  // gives p = 0.011869102666753046; R's wilcox.test(challenger, champion, conf.int = TRUE, exact = FALSE,
  // correct = TRUE) gives p = 0.011869102666753057 and 8.4999606896507292 in [2.799999185815885, 14.900069245902543].
  const champion = [200.0, 203.6, 196.7, 189.3, 194.5, 188.1, 200.7, 216.1, 194.1, 192.6, 205.9, 204.3, 201.3, 188.8, 199.6, 208.3, 183.9, 194.5, 177.2, 184.5];
  const challenger = [187.9, 207.2, 194.8, 213.3, 211.9, 207.8, 179.8, 203.5, 209.4, 211.4, 191.6, 204.3, 198.3, 200.3, 222.7, 200.3, 209.6, 220.6, 203.0, 208.7];
  const reference = (overrides: Partial<MetricJudgeInput>) =>
    judgeMetric(input({ challenger: { samples: challenger, value: 204.32 }, champion: { samples: champion, value: 196.2 }, ...overrides }));

  it("matches SciPy's p-value and R's interval, and fails a 2% allowance with one sentence naming it all", () => {
    const j = reference({ bound: { relative: 2 }, baseline: "the champion's last 2 hours before the switch" });
    expect(Math.abs(j.pValue! - 0.011869102666753046)).toBeLessThanOrEqual(1e-6);
    expect(Math.abs(j.interval!.estimate - 8.4999606896507292)).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(j.interval!.lower - 2.799999185815885)).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(j.interval!.upper - 14.900069245902543)).toBeLessThanOrEqual(1e-4);
    expect(j).toMatchObject({ outcome: "high", failed: true, n: { challenger: 20, champion: 20 }, allowed: "at most 2% worse than the champion" });
    expect(j.relativeEffect).toBeCloseTo(8.12 / 196.2, 12);
    expect(j.explanation).toBe(
      "latency_p95_ms is 204.3 against 196.2 for the champion (the champion's last 2 hours before the switch): 8.12 (4.1%) higher, which is worse, " +
        "and it must be at most 2% worse than the champion; the difference is significant (p = 0.012; 95% interval of the shift 2.8 to 14.9), so it fails as too high.",
    );
  });

  it.each<[string, Partial<MetricJudgeInput>, MetricOutcome]>([
    ["a 5% allowance covers the 4.1% rise", { bound: { relative: 5 } }, "pass"],
    ["at 99% confidence p = 0.012 is not significant", { bound: { relative: 2 }, confidence: 0.99 }, "pass"],
    ["for a metric where higher is better the rise is an improvement", { bound: { relative: 2 }, direction: "higher" }, "pass"],
  ])("on the same samples, %s", (_name, overrides, outcome) => {
    expect(reference(overrides).outcome).toBe(outcome);
  });

  // Counts with ties across the samples: p is just under 0.05 but the interval's lower end is 0 (R: p =
  // 0.047742348199548888, interval −7.8815305354994176e-05 to 3.0000373892587242), so the shift is not established.
  it("passes when the buckets shift one way and the pooled values the other (a few heavy buckets)", () => {
    const lower = Array.from({ length: 20 }, (_, i) => 90 + (i % 5));
    const higher = Array.from({ length: 20 }, (_, i) => 100 + (i % 5));
    const j = judgeMetric({ metric: "latency_ms", direction: "lower", critical: true, bound: { relative: 5 }, challenger: { samples: lower, value: 110 }, champion: { samples: higher, value: 100 } });
    expect(j).toMatchObject({ outcome: "pass", failed: false });
    expect(j.explanation).toMatch(/shift the other way/);
  });

  it("needs the interval to exclude 0 as well as p below 1 − confidence", () => {
    const j = judgeMetric(input({
      metric: "timeouts", bound: { absolute: 0.5 },
      challenger: { samples: [3, 2, 1, 5, 3, 6, 5, 4, 3, 2], value: 3.4 }, champion: { samples: [1, 1, 4, 1, 1, 1, 1, 5, 4, 0], value: 1.9 },
    }));
    expect(Math.abs(j.pValue! - 0.047742348199548888)).toBeLessThanOrEqual(1e-6);
    expect(j.interval!.lower).toBeLessThanOrEqual(0);
    expect(j).toMatchObject({ outcome: "pass", failed: false });
    expect(j.explanation).toMatch(/the difference is not significant \(p = 0\.048; 95% interval of the shift -0\.00007882 to 3, which includes 0\), so it passes\.$/);
  });

  it.each(hlReference.cases.filter((c) => ["ties", "unequal sizes"].includes(c.name)).map((c) => [c.name, c] as const))("passes on R's Hodges-Lehmann interval (%s)", (_name, c) => {
    const x = sample(c.x as SampleSpec);
    const y = sample(c.y as SampleSpec);
    const j = judgeMetric(input({ challenger: { samples: x, value: 1 }, champion: { samples: y, value: 1 }, confidence: c.confidence, minSamples: 8 }));
    expect(Math.abs(j.interval!.estimate - c.estimate)).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(j.interval!.lower - c.lower)).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(j.interval!.upper - c.upper)).toBeLessThanOrEqual(1e-4);
  });
});

describe("judgeMetric without enough to compare", () => {
  const few = series(200, 4, 4);
  it.each<[string, Partial<MetricJudgeInput>, MetricOutcome, string]>([
    ["no champion at all", { champion: null }, "no-champion", "latency_p95_ms is not judged: there is no champion to compare with (the challenger is at 200)."],
    ["no challenger samples", { challenger: { samples: [], value: null } }, "no-data", "latency_p95_ms has no data on the challenger yet."],
    ["no champion samples", { champion: { samples: [], value: null } }, "no-data", "latency_p95_ms has no data on the champion yet."],
    ["samples but no pooled value", { challenger: { samples: [1, 2], value: null }, champion: { samples: [], value: null } }, "no-data", "latency_p95_ms has no data on either side yet."],
    ["4 challenger samples of 10", { challenger: few }, "too-little-data", "latency_p95_ms has 4 of the 10 samples needed on the challenger (the champion has 20)."],
    ["4 and 4 samples of 10", { challenger: few, champion: few }, "too-little-data", "latency_p95_ms has 4 and 4 of the 10 samples needed on either side."],
    ["4 champion samples of 5", { champion: few, minSamples: 5 }, "too-little-data", "latency_p95_ms has 4 of the 5 samples needed on the champion (the challenger has 20)."],
  ])("%s", (_name, overrides, outcome, explanation) => {
    const j = judgeMetric(input(overrides));
    expect(j).toMatchObject({ outcome, failed: false, pValue: null, interval: null, explanation });
  });

  it("judges 4 samples a side when minSamples is 4", () => {
    expect(judgeMetric(input({ challenger: series(230, 4, 4), champion: few, minSamples: 4 })).outcome).toBe("high");
  });
});

describe("judgeMetric with a fixed bound", () => {
  it.each<[string, Partial<MetricJudgeInput>, MetricOutcome, string]>([
    ["accuracy below its minimum", { metric: "accuracy", direction: "higher", bound: { min: 0.8 }, challenger: series(0.78, 0.02), champion: null }, "low",
      "accuracy is 0.78 but must be at least 0.8, so it fails as too low."],
    ["accuracy at its minimum", { metric: "accuracy", direction: "higher", bound: { min: 0.8 }, challenger: series(0.8, 0.02), champion: null }, "pass",
      "accuracy is 0.8 and must be at least 0.8, so it passes."],
    ["latency above its maximum", { bound: { max: 200 }, challenger: series(210, 4) }, "high", "latency_p95_ms is 210 but must be at most 200, so it fails as too high (the champion is at 200)."],
    ["latency under its maximum, far above the champion", { bound: { max: 200 }, challenger: series(190, 4), champion: series(100, 4) }, "pass",
      "latency_p95_ms is 190 and must be at most 200, so it passes (the champion is at 100)."],
    ["no challenger data", { bound: { max: 200 }, challenger: { samples: [], value: null }, champion: null }, "no-data", "latency_p95_ms has no data on the challenger yet."],
    ["3 challenger samples", { bound: { max: 200 }, challenger: series(150, 4, 3) }, "too-little-data", "latency_p95_ms has 3 of the 10 samples needed on the challenger."],
  ])("%s", (_name, overrides, outcome, explanation) => {
    const j = judgeMetric(input(overrides));
    expect(j).toMatchObject({ outcome, failed: outcome === "high" || outcome === "low", pValue: null, interval: null, explanation });
  });

  it("still shows the champion and the effect", () => {
    expect(judgeMetric(input({ bound: { max: 200 }, challenger: series(190, 4), champion: series(100, 4) }))).toMatchObject({ champion: 100, effect: 90, relativeEffect: 0.9, allowed: "at most 200" });
  });
});

describe("judgeMetric refuses bad input", () => {
  it.each<[string, Partial<MetricJudgeInput>, RegExp]>([
    ["NaN in the samples", { challenger: { samples: [1, Number.NaN], value: 1 } }, /^challenger\.samples\[1\] is NaN/],
    ["an infinite pooled value", { champion: { samples: [1, 2], value: Number.POSITIVE_INFINITY } }, /^champion\.value is Infinity/],
    ["two bound keys", { bound: { relative: 10, max: 200 } }, /relative and max set/],
    ["no bound key", { bound: {} }, /no key set/],
    ["a negative allowance", { bound: { absolute: -1 } }, /cannot be negative/],
    ["minSamples of 1", { minSamples: 1 }, /minSamples is 1/],
    ["a fractional minSamples", { minSamples: 2.5 }, /minSamples is 2\.5/],
    ["confidence of 1", { confidence: 1 }, /strictly between 0 and 1/],
    ["an unknown direction", { direction: "up" as "higher" }, /direction is up/],
  ])("%s", (_name, overrides, message) => {
    const call = () => judgeMetric(input(overrides));
    expect(call).toThrow(StatsInputError);
    expect(call).toThrow(message);
  });
});

function judgement(metric: string, outcome: MetricOutcome, critical = false): MetricJudgement {
  const comparative = outcome === "pass" || outcome === "high" || outcome === "low";
  return {
    metric, critical, direction: "lower", outcome, failed: outcome === "high" || outcome === "low", challenger: 0.03, champion: 0.01,
    n: { challenger: 20, champion: 20 }, effect: 0.02, relativeEffect: 2, interval: comparative ? { estimate: 0.02, lower: 0.01, upper: 0.03 } : null,
    pValue: comparative ? 0.001 : null, allowed: "at most 0.002 worse than the champion", explanation: `${metric} has 4 of the 10 samples needed on the challenger.`,
  };
}
const many = (passes: number, others: MetricJudgement[] = []) => [...Array.from({ length: passes }, (_, i) => judgement(`m${i}`, "pass")), ...others];

describe("scoreVerdict", () => {
  it.each<[string, MetricJudgement[], { pass?: number; marginal?: number } | undefined, string, number | null]>([
    ["19 of 20 pass: 95 is a pass", many(19, [judgement("error_rate", "high")]), undefined, "pass", 95],
    ["18 of 20 pass: 90 is marginal", many(18, [judgement("a", "high"), judgement("b", "low")]), undefined, "marginal", 90],
    ["3 of 4 pass: 75 is marginal", many(3, [judgement("error_rate", "high")]), undefined, "marginal", 75],
    ["2 of 3 pass: 66.67 fails", many(2, [judgement("error_rate", "high")]), undefined, "fail", (100 * 2) / 3],
    ["1 of 2 at custom pass 50", many(1, [judgement("error_rate", "high")]), { pass: 50, marginal: 40 }, "pass", 50],
    ["3 of 4 at custom 90/70", many(3, [judgement("error_rate", "high")]), { pass: 90, marginal: 70 }, "marginal", 75],
    ["2 of 3 at custom 90/70", many(2, [judgement("error_rate", "high")]), { pass: 90, marginal: 70 }, "fail", (100 * 2) / 3],
    ["all pass", many(3), undefined, "pass", 100],
    ["a critical failure among 19 passes", many(19, [judgement("error_rate", "high", true)]), undefined, "fail", 95],
    ["a critical failure while data is missing", many(1, [judgement("error_rate", "low", true), judgement("b", "no-data")]), undefined, "fail", 50],
    ["every metric without data", [judgement("a", "no-data"), judgement("b", "no-data")], undefined, "no-data", null],
    ["no data, and a metric without a champion", [judgement("a", "no-data"), judgement("b", "no-champion")], undefined, "no-data", null],
    ["one metric without data among passes", many(5, [judgement("b", "no-data")]), undefined, "too-little-data", 100],
    ["one metric short of samples among passes", many(5, [judgement("b", "too-little-data")]), undefined, "too-little-data", 100],
    ["no data and too little data", [judgement("a", "no-data"), judgement("b", "too-little-data")], undefined, "too-little-data", null],
    ["no metrics", [], undefined, "pass", null],
    ["only metrics without a champion", [judgement("a", "no-champion")], undefined, "pass", null],
    ["passes, and a metric without a champion left out of the score", many(2, [judgement("a", "no-champion")]), undefined, "pass", 100],
  ])("%s", (_name, metrics, thresholds, outcome, score) => {
    const v = scoreVerdict(metrics, thresholds);
    expect(v.outcome).toBe(outcome);
    expect(v.score).toBe(score);
    expect(v.metrics).toEqual(metrics);
  });

  it.each<[string, MetricJudgement[], string]>([
    ["a failing score", many(2, [judgement("error_rate", "high")]),
      "Score 66.67 (2 of 3 metrics pass), below the marginal threshold 75: error_rate is too high (0.03 against 0.01 for the champion; must be at most 0.002 worse than the champion)."],
    ["a critical failure", many(19, [judgement("error_rate", "high", true)]),
      "Critical metric error_rate failed: error_rate is too high (0.03 against 0.01 for the champion; must be at most 0.002 worse than the champion); the score 95 (19 of 20 metrics pass) does not outweigh it."],
    ["missing samples", many(1, [judgement("latency_p95_ms", "too-little-data")]), "Waiting for data: latency_p95_ms has 4 of the 10 samples needed on the challenger."],
    ["nothing to compare with", [judgement("ctr", "no-champion"), judgement("latency", "no-champion")], "Nothing to judge: there is no champion to compare ctr and latency with."],
    ["a metric left out", many(1, [judgement("ctr", "no-champion")]), "Score 100 (1 of 1 metric passes), at or above the pass threshold 95. Ctr is not judged, as there is no champion to compare with."],
  ])("explains %s", (_name, metrics, explanation) => {
    expect(scoreVerdict(metrics).explanation).toBe(explanation);
  });

  it("counts judged and passed metrics and names the critical failures", () => {
    const v = scoreVerdict([judgement("a", "pass", true), judgement("b", "high", true), judgement("c", "low"), judgement("d", "no-champion"), judgement("e", "too-little-data")]);
    expect(v).toMatchObject({ judged: 3, passed: 1, score: 100 / 3, criticalFailures: ["b"], outcome: "fail" });
  });

  it("waits for a metric judgeMetric found short of samples, whatever the others say", () => {
    const short = judgeMetric(input({ challenger: series(200, 4, 4) }));
    const v = scoreVerdict([...many(10), short]);
    expect(v.outcome).toBe("too-little-data");
    expect(v.explanation).toBe("Waiting for data: latency_p95_ms has 4 of the 10 samples needed on the challenger (the champion has 20).");
  });

  it.each<[string, { pass?: number; marginal?: number }, RegExp]>([
    ["a marginal threshold above the pass threshold", { pass: 70, marginal: 80 }, /must not exceed thresholds\.pass/],
    ["a pass threshold above 100", { pass: 101 }, /thresholds\.pass is 101/],
    ["a NaN threshold", { marginal: Number.NaN }, /thresholds\.marginal is NaN/],
  ])("refuses %s", (_name, thresholds, message) => {
    expect(() => scoreVerdict(many(1), thresholds)).toThrow(StatsInputError);
    expect(() => scoreVerdict(many(1), thresholds)).toThrow(message);
  });
});
