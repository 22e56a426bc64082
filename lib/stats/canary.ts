import { hodgesLehmannInterval } from "./hodges-lehmann";
import { mannWhitneyU } from "./mann-whitney";
import { StatsInputError, finiteNumber, finiteSample } from "./validate";

/** The allowed effect of one metric; exactly one key is set. relative is in percent of the champion's value. */
export type Bound = { relative?: number; absolute?: number; min?: number; max?: number };
/** One side of the comparison: the per-time-bucket values, and the value pooled over the whole window (null: no data). */
export type Side = { samples: readonly number[]; value: number | null };
export type MetricJudgeInput = {
  metric: string;
  /** Which way is better for this metric. */
  direction: "higher" | "lower";
  critical: boolean;
  bound: Bound;
  challenger: Side;
  /** null: there is no champion at all (a first production rollout). */
  champion: Side | null;
  /** Per side; default 10. */
  minSamples?: number;
  /** Default 0.95. */
  confidence?: number;
  /** Where the champion's data came from, e.g. "the champion's last 2 hours before the switch". */
  baseline?: string;
};
export type MetricOutcome = "pass" | "high" | "low" | "no-data" | "too-little-data" | "no-champion";
export type MetricJudgement = {
  metric: string;
  critical: boolean;
  direction: "higher" | "lower";
  outcome: MetricOutcome;
  /** True only for high or low in the harmful direction, or outside a min/max bound. */
  failed: boolean;
  challenger: number | null;
  champion: number | null;
  n: { challenger: number; champion: number };
  /** challenger − champion, pooled values. */
  effect: number | null;
  /** effect / |champion| as a fraction; null when the champion's value is 0 or missing. */
  relativeEffect: number | null;
  /** Hodges-Lehmann shift of the challenger's samples against the champion's. */
  interval: { estimate: number; lower: number; upper: number } | null;
  /** Two-sided Mann-Whitney p-value. */
  pValue: number | null;
  allowed: string;
  explanation: string;
};
export type VerdictOutcome = "pass" | "marginal" | "fail" | "no-data" | "too-little-data";
export type Verdict = { outcome: VerdictOutcome; score: number | null; judged: number; passed: number; criticalFailures: string[]; explanation: string; metrics: MetricJudgement[] };

/**
 * Judges one canary metric the way Kayenta's Mann-Whitney classifier does: the challenger fails only when its
 * per-bucket samples differ significantly from the champion's (two-sided Mann-Whitney p below 1 − confidence and a
 * Hodges-Lehmann interval of the shift that excludes 0) and the pooled values are worse by more than the bound allows.
 * A difference that is not significant passes however large it looks, because a few noisy buckets must not fail a
 * rollout. min/max bounds judge the challenger's pooled value alone.
 */
export function judgeMetric(input: MetricJudgeInput): MetricJudgement {
  const { metric, direction, critical, bound, challenger, champion, baseline } = input;
  const minSamples = input.minSamples ?? 10;
  const confidence = input.confidence ?? 0.95;
  validateInput(input, minSamples, confidence);
  const kind = boundKind(bound);
  const c = challenger.value;
  const h = champion?.value ?? null;
  const effect = c !== null && h !== null ? c - h : null;
  const base: MetricJudgement = {
    metric, critical, direction, outcome: "pass", failed: false, challenger: c, champion: h,
    n: { challenger: challenger.samples.length, champion: champion?.samples.length ?? 0 },
    effect, relativeEffect: effect !== null && h !== null && h !== 0 ? effect / Math.abs(h) : null,
    interval: null, pValue: null, allowed: describeBound(bound), explanation: "",
  };
  const against = h === null ? "" : ` against ${num(h)} for the champion${baseline ? ` (${baseline})` : ""}`;

  if (kind === "min" || kind === "max") {
    if (c === null || base.n.challenger === 0) return { ...base, outcome: "no-data", explanation: `${metric} has no data on the challenger yet.` };
    if (base.n.challenger < minSamples) return { ...base, outcome: "too-little-data", explanation: `${metric} has ${base.n.challenger} of the ${minSamples} samples needed on the challenger.` };
    const outcome = kind === "min" && c < bound.min! ? "low" : kind === "max" && c > bound.max! ? "high" : "pass";
    const verdict = outcome === "pass" ? `${num(c)} and must be ${base.allowed}, so it passes` : `${num(c)} but must be ${base.allowed}, so it fails as too ${outcome}`;
    const championNote = h === null ? "" : ` (the champion is at ${num(h)}${baseline ? ` over ${baseline}` : ""})`;
    return { ...base, outcome, failed: outcome !== "pass", explanation: `${metric} is ${verdict}${championNote}.` };
  }

  if (champion === null) return { ...base, outcome: "no-champion", explanation: `${metric} is not judged: there is no champion to compare with${c === null ? "" : ` (the challenger is at ${num(c)})`}.` };
  const empty = sideNames(c === null || base.n.challenger === 0, h === null || base.n.champion === 0);
  if (empty) return { ...base, effect: null, relativeEffect: null, outcome: "no-data", explanation: `${metric} has no data on ${empty} yet.` };
  const shortSides = sideNames(base.n.challenger < minSamples, base.n.champion < minSamples);
  if (shortSides) {
    const counts = base.n.challenger < minSamples && base.n.champion < minSamples ? `${base.n.challenger} and ${base.n.champion}` : `${Math.min(base.n.challenger, base.n.champion)}`;
    const other = base.n.challenger < minSamples && base.n.champion < minSamples ? "" : base.n.challenger < minSamples ? ` (the champion has ${base.n.champion})` : ` (the challenger has ${base.n.challenger})`;
    return { ...base, outcome: "too-little-data", explanation: `${metric} has ${counts} of the ${minSamples} samples needed on ${shortSides}${other}.` };
  }

  const pValue = mannWhitneyU(challenger.samples, champion.samples, { alternative: "two-sided" }).pvalue;
  const interval = shiftInterval(challenger.samples, champion.samples, confidence);
  const d = effect!;
  const harm = direction === "higher" ? -d : d;
  const allowance = kind === "absolute" ? bound.absolute! : (bound.relative! / 100) * Math.abs(h!);
  const significant = pValue < 1 - confidence && (interval.lower > 0 || interval.upper < 0);
  // The samples' shift must point the same way as the pooled difference: buckets significantly better while the
  // pooled value is worse (a few heavy buckets) is no evidence of harm.
  const agrees = interval.lower > 0 ? d > 0 : d < 0;
  const failed = significant && agrees && harm > allowance;
  const outcome: MetricOutcome = failed ? (d > 0 ? "high" : "low") : "pass";

  const size = kind === "relative" && base.relativeEffect !== null ? `${num(Math.abs(d))} (${pct(Math.abs(base.relativeEffect))})` : num(Math.abs(d));
  const change = d === 0 ? "no difference" : `${size} ${d > 0 ? "higher" : "lower"}, which is ${harm > 0 ? "worse" : "better"}`;
  const evidence = `${pText(pValue)}; ${num(confidence * 100)}% interval of the shift ${num(interval.lower)} to ${num(interval.upper)}`;
  const test = significant
    ? failed ? `the difference is significant (${evidence}), so it fails as too ${outcome}`
      : !agrees ? `the buckets shift the other way from the pooled values (${evidence}), so it passes`
      : harm < 0 ? `it is significantly better (${evidence}), so it passes`
      : `the difference is significant (${evidence}) but within the allowance, so it passes`
    : pValue < 1 - confidence ? `the difference is not significant (${evidence}, which includes 0), so it passes`
      : `the difference is not significant (${pText(pValue)}), so it passes${harm > allowance ? " although the pooled values differ by more than allowed" : ""}`;
  return { ...base, outcome, failed, interval, pValue, explanation: `${metric} is ${num(c!)}${against}: ${change}, and it must be ${base.allowed}; ${test}.` };
}

/**
 * Kayenta's score: the share of judged metrics that pass, in percent, against a pass and a marginal threshold. A failed
 * critical metric fails the verdict whatever the score, and missing data never passes.
 */
export function scoreVerdict(metrics: readonly MetricJudgement[], thresholds: { pass?: number; marginal?: number } = {}): Verdict {
  const pass = finiteNumber("thresholds.pass", thresholds.pass ?? 95, [0, 100]);
  const marginal = finiteNumber("thresholds.marginal", thresholds.marginal ?? 75, [0, 100]);
  if (marginal > pass) throw new StatsInputError(`thresholds.marginal is ${marginal}; it must not exceed thresholds.pass (${pass})`);
  const judgedMetrics = metrics.filter((m) => m.outcome === "pass" || m.outcome === "high" || m.outcome === "low");
  const judged = judgedMetrics.length;
  const passed = judgedMetrics.filter((m) => !m.failed).length;
  const score = judged ? (100 * passed) / judged : null;
  const failures = judgedMetrics.filter((m) => m.failed);
  const criticalFailures = failures.filter((m) => m.critical).map((m) => m.metric);
  const comparable = metrics.filter((m) => m.outcome !== "no-champion");
  const uncompared = metrics.filter((m) => m.outcome === "no-champion").map((m) => m.metric);
  const scoreText = score === null ? "" : `score ${num(score)} (${passed} of ${judged} ${judged === 1 ? "metric passes" : "metrics pass"})`;
  const note = uncompared.length ? ` ${capitalize(list(uncompared))} ${uncompared.length === 1 ? "is" : "are"} not judged, as there is no champion to compare with.` : "";
  const verdict = (outcome: VerdictOutcome, explanation: string): Verdict => ({ outcome, score, judged, passed, criticalFailures, explanation, metrics: [...metrics] });

  if (criticalFailures.length) {
    const critical = failures.filter((m) => m.critical);
    return verdict("fail", `Critical metric${critical.length === 1 ? "" : "s"} ${list(criticalFailures)} failed: ${summaries(critical)}; the ${scoreText} does not outweigh ${critical.length === 1 ? "it" : "them"}.`);
  }
  if (comparable.length && comparable.every((m) => m.outcome === "no-data")) return verdict("no-data", `No data yet for ${list(comparable.map((m) => m.metric))}.${note}`);
  const waiting = comparable.filter((m) => m.outcome === "no-data" || m.outcome === "too-little-data");
  if (waiting.length) {
    const shown = waiting.slice(0, 3).map((m) => m.explanation.replace(/\.$/, ""));
    return verdict("too-little-data", `Waiting for data: ${shown.join("; ")}${waiting.length > 3 ? `; and ${waiting.length - 3} more` : ""}.${note}`);
  }
  if (score === null) return verdict("pass", `Nothing to judge: ${uncompared.length ? `there is no champion to compare ${list(uncompared)} with` : "no metrics were given"}.`);
  const why = failures.length ? `: ${summaries(failures)}` : "";
  if (score >= pass) return verdict("pass", `${capitalize(scoreText)}, at or above the pass threshold ${num(pass)}${why}.${note}`);
  if (score >= marginal) return verdict("marginal", `${capitalize(scoreText)}, below the pass threshold ${num(pass)} but at or above the marginal threshold ${num(marginal)}${why}.${note}`);
  return verdict("fail", `${capitalize(scoreText)}, below the marginal threshold ${num(marginal)}${why}.${note}`);
}

type BoundKind = "relative" | "absolute" | "min" | "max";

function boundKind(bound: Bound): BoundKind {
  const set = (["relative", "absolute", "min", "max"] as const).filter((k) => bound?.[k] !== undefined);
  if (set.length !== 1) throw new StatsInputError(`bound has ${set.length ? set.join(" and ") : "no key"} set; set exactly one of relative, absolute, min or max`);
  const kind = set[0];
  finiteNumber(`bound.${kind}`, bound[kind]!);
  if ((kind === "relative" || kind === "absolute") && bound[kind]! < 0) throw new StatsInputError(`bound.${kind} is ${bound[kind]}; an allowance cannot be negative`);
  return kind;
}

function describeBound(bound: Bound): string {
  if (bound.relative !== undefined) return `at most ${num(bound.relative)}% worse than the champion`;
  if (bound.absolute !== undefined) return `at most ${num(bound.absolute)} worse than the champion`;
  if (bound.min !== undefined) return `at least ${num(bound.min)}`;
  return `at most ${num(bound.max!)}`;
}

function validateInput(input: MetricJudgeInput, minSamples: number, confidence: number): void {
  if (typeof input.metric !== "string" || !input.metric) throw new StatsInputError("metric must be a non-empty name");
  if (input.direction !== "higher" && input.direction !== "lower") throw new StatsInputError(`direction is ${String(input.direction)}; use higher or lower`);
  if (!Number.isInteger(minSamples) || minSamples < 2) throw new StatsInputError(`minSamples is ${minSamples}; it must be a whole number of at least 2, as the test needs two samples a side`);
  finiteNumber("confidence", confidence, [0, 1]);
  if (!(confidence > 0 && confidence < 1)) throw new StatsInputError(`confidence is ${confidence}; it must be strictly between 0 and 1`);
  const sides: [string, Side | null][] = [["challenger", input.challenger], ["champion", input.champion]];
  for (const [name, side] of sides) {
    if (side === null && name === "champion") continue;
    if (!side) throw new StatsInputError(`${name} is missing`);
    finiteSample(`${name}.samples`, side.samples, 0);
    if (side.value !== null) finiteNumber(`${name}.value`, side.value);
  }
}

/** hodgesLehmannInterval cannot rank two constant series; their shift is then known exactly: the difference of the constants. */
function shiftInterval(x: readonly number[], y: readonly number[], confidence: number): { estimate: number; lower: number; upper: number } {
  try {
    return hodgesLehmannInterval(x, y, confidence);
  } catch (error) {
    if (!(error instanceof StatsInputError) || !isConstant(x) || !isConstant(y)) throw error;
    const shift = x[0] - y[0];
    return { estimate: shift, lower: shift, upper: shift };
  }
}

const isConstant = (values: readonly number[]) => values.every((v) => v === values[0]);

function sideNames(challenger: boolean, champion: boolean): string {
  return challenger && champion ? "either side" : challenger ? "the challenger" : champion ? "the champion" : "";
}

function summaries(failures: readonly MetricJudgement[]): string {
  const shown = failures.slice(0, 3).map((m) => {
    const values = m.pValue !== null && m.champion !== null ? `${num(m.challenger!)} against ${num(m.champion)} for the champion` : num(m.challenger!);
    return `${m.metric} is too ${m.outcome} (${values}; must be ${m.allowed})`;
  });
  return shown.join("; ") + (failures.length > 3 ? `; and ${failures.length - 3} more` : "");
}

function list(names: readonly string[]): string {
  return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Up to 4 significant digits, without trailing zeros or a negative zero. */
function num(x: number): string {
  const rounded = Number(x.toPrecision(4));
  return rounded === 0 ? "0" : String(rounded);
}

const pct = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;

const pText = (p: number) => (p < 0.001 ? "p < 0.001" : `p = ${Number(p.toFixed(3))}`);
