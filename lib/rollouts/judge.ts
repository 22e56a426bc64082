/**
 * From minute rollups to a verdict: the samples each side contributes (per time bucket, the metric's value as its
 * kind defines it), the Kayenta-style judgement of every criterion, shadow stability by day, and live-versus-offline
 * agreement. Pure: the caller reads the rollups and passes them in.
 */
import type { RollupFigures } from "@/lib/metrics/aggregate";
import { judgeMetric, scoreVerdict, type Bound, type MetricJudgement, type Side, type Verdict } from "@/lib/stats";
import { seriesKey, type PlanCriterion, type RolloutPlan } from "./plan";

/** A minute rollup as judgement reads it (items, how many were sent, plays no part). */
export type RollupRow = Omit<RollupFigures, "items"> & { bucket: Date };
type Aggregate = Omit<RollupRow, "bucket">;

/** Samples per side are capped so the Hodges-Lehmann interval stays cheap over a week-long shadow phase. */
export const MAX_SAMPLES = 200;
const MINUTE = 60_000;
const DAY = 86_400_000;

/** The width of one sample: a minute, or wider so that a window holds at most MAX_SAMPLES of them. */
export function sampleWidthMs(windowMs: number): number {
  return Math.max(MINUTE, Math.ceil(windowMs / MAX_SAMPLES / MINUTE) * MINUTE);
}

function combine(rows: readonly RollupRow[]): Aggregate {
  const a: Aggregate = { count: 0, sum: 0, min: null, max: null, p50Sum: 0, p95Sum: 0, p99Sum: 0, pWeight: 0, numerator: 0, denominator: 0 };
  for (const r of rows) {
    a.count += r.count;
    a.sum += r.sum;
    if (r.min !== null) a.min = a.min === null ? r.min : Math.min(a.min, r.min);
    if (r.max !== null) a.max = a.max === null ? r.max : Math.max(a.max, r.max);
    a.p50Sum += r.p50Sum;
    a.p95Sum += r.p95Sum;
    a.p99Sum += r.p99Sum;
    a.pWeight += r.pWeight;
    a.numerator += r.numerator;
    a.denominator += r.denominator;
  }
  return a;
}

/**
 * A criterion's value over some rollups: a ratio metric is Σnumerator / Σdenominator (never an average of ratios); a
 * percentile metric sent as windows is the count-weighted mean of the windows' chosen percentile; anything else is
 * the mean of what was observed.
 */
export function valueOf(c: Pick<PlanCriterion, "kind" | "quantile">, a: Aggregate): number | null {
  if (c.kind === "ratio") return a.denominator > 0 ? a.numerator / a.denominator : null;
  if (c.kind === "percentile" && a.pWeight > 0) return a[`${c.quantile}Sum`] / a.pWeight;
  return a.count > 0 ? a.sum / a.count : null;
}

/** A criterion's value per sample-width bucket of [from, to), with the bucket's start: the points a chart draws. */
export function bucketPoints(c: Pick<PlanCriterion, "kind" | "quantile">, rows: readonly RollupRow[], from: Date, to: Date): { at: string; value: number }[] {
  const width = sampleWidthMs(to.getTime() - from.getTime());
  const groups = new Map<number, RollupRow[]>();
  for (const r of rows) {
    if (r.bucket < from || r.bucket >= to) continue;
    const k = Math.floor((r.bucket.getTime() - from.getTime()) / width);
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return [...groups.keys()]
    .sort((a, b) => a - b)
    .flatMap((k) => {
      const v = valueOf(c, combine(groups.get(k)!));
      return v === null || !Number.isFinite(v) ? [] : [{ at: new Date(from.getTime() + k * width).toISOString(), value: v }];
    });
}

/** One side of a comparison over [from, to): a value per sample-width bucket, and the pooled value. */
export function sideOf(c: Pick<PlanCriterion, "kind" | "quantile">, rows: readonly RollupRow[], from: Date, to: Date): Side {
  const pooled = valueOf(c, combine(rows.filter((r) => r.bucket >= from && r.bucket < to)));
  return { samples: bucketPoints(c, rows, from, to).map((p) => p.value), value: pooled !== null && Number.isFinite(pooled) ? pooled : null };
}

export type MetricSeries = {
  challenger: readonly RollupRow[];
  /** null: there is no champion (a model's first production rollout). */
  champion: readonly RollupRow[] | null;
  /** For a criterion with `groupBy`: each version's rows per group (the dimension's value). */
  groups?: { challenger: ReadonlyMap<string, readonly RollupRow[]>; champion: ReadonlyMap<string, readonly RollupRow[]> | null };
};

/**
 * Live fairness: per sample bucket, the lowest group's value over the highest's (1 is parity), from buckets where
 * at least two groups have a value; pooled the same way over the whole window.
 */
export function paritySide(c: Pick<PlanCriterion, "kind" | "quantile">, groups: ReadonlyMap<string, readonly RollupRow[]>, from: Date, to: Date): Side {
  const perGroup = [...groups.values()].map((rows) => ({ rows, side: sideOf(c, rows, from, to) }));
  const ratio = (values: number[]) => {
    const max = Math.max(...values);
    return values.length >= 2 && max > 0 ? Math.min(...values) / max : null;
  };
  const width = sampleWidthMs(to.getTime() - from.getTime());
  const buckets = new Map<number, number[]>();
  for (const { rows } of perGroup) {
    const byBucket = new Map<number, RollupRow[]>();
    for (const r of rows) {
      if (r.bucket < from || r.bucket >= to) continue;
      const k = Math.floor((r.bucket.getTime() - from.getTime()) / width);
      byBucket.set(k, [...(byBucket.get(k) ?? []), r]);
    }
    for (const [k, rs] of byBucket) {
      const v = valueOf(c, combine(rs));
      if (v !== null && Number.isFinite(v)) buckets.set(k, [...(buckets.get(k) ?? []), v]);
    }
  }
  const samples = [...buckets.keys()].sort((a, b) => a - b).flatMap((k) => {
    const r = ratio(buckets.get(k)!);
    return r === null ? [] : [r];
  });
  const pooled = perGroup.map((g) => g.side.value).filter((v): v is number => v !== null);
  return { samples, value: ratio(pooled) };
}

/** Champion rows to compare against when the champion served nothing in the window (a 100% step, blue-green, watch). */
export type Baseline = { rows: readonly RollupRow[]; from: Date; to: Date; phrase: string };

function judgeOne(plan: RolloutPlan, c: PlanCriterion, bound: Bound, s: MetricSeries, from: Date, to: Date, baseline?: Baseline): MetricJudgement {
  if (c.groupBy && s.groups) {
    const challenger = paritySide(c, s.groups.challenger, from, to);
    const champion = s.groups.champion ? paritySide(c, s.groups.champion, from, to) : challenger.samples.length ? null : { samples: [], value: null };
    return judgeMetric({ metric: seriesKey(c), direction: c.direction, critical: c.critical, bound, challenger, champion, minSamples: plan.minSamples });
  }
  const challenger = sideOf(c, s.challenger, from, to);
  // With no champion a comparison is moot, but silence from the challenger is still no data, never a pass.
  let champion = s.champion ? sideOf(c, s.champion, from, to) : challenger.samples.length ? null : { samples: [], value: null };
  let phrase: string | undefined;
  if (champion && champion.samples.length < plan.minSamples && baseline) {
    const b = sideOf(c, baseline.rows, baseline.from, baseline.to);
    if (b.samples.length > champion.samples.length) {
      champion = b;
      phrase = baseline.phrase;
    }
  }
  return judgeMetric({ metric: c.metric, direction: c.direction, critical: c.critical, bound, challenger, champion, minSamples: plan.minSamples, baseline: phrase });
}

/** The advance verdict and the rollback breaches over one window. */
export function judgeWindow(plan: RolloutPlan, series: ReadonlyMap<string, MetricSeries>, from: Date, to: Date, baseline?: ReadonlyMap<string, Baseline>): { verdict: Verdict; rollback: MetricJudgement[]; breaches: MetricJudgement[] } {
  const empty: MetricSeries = { challenger: [], champion: null };
  const advance = plan.criteria.filter((c) => c.advance).map((c) => judgeOne(plan, c, c.advance!, series.get(seriesKey(c)) ?? empty, from, to, baseline?.get(seriesKey(c))));
  const rollback = plan.criteria.filter((c) => c.rollback).map((c) => judgeOne(plan, c, c.rollback!, series.get(seriesKey(c)) ?? empty, from, to, baseline?.get(seriesKey(c))));
  return { verdict: scoreVerdict(advance, plan.verdict), rollback, breaches: rollback.filter((j) => j.failed) };
}

/**
 * "Stable for N days": the verdict was Pass in each of the last N whole days (24-hour windows counting back from
 * now) of the shadow phase. Returns how many such days there are in a row, up to `maxDays`.
 */
export function stableDays(plan: RolloutPlan, series: ReadonlyMap<string, MetricSeries>, phaseStart: Date, now: Date, maxDays: number): { days: number; daily: { from: string; outcome: Verdict["outcome"]; score: number | null }[] } {
  const daily: { from: string; outcome: Verdict["outcome"]; score: number | null }[] = [];
  let days = 0;
  let counting = true;
  for (let d = 0; d < maxDays; d++) {
    const to = new Date(now.getTime() - d * DAY);
    const from = new Date(to.getTime() - DAY);
    if (from < phaseStart) break;
    const { verdict } = judgeWindow(plan, series, from, to);
    daily.push({ from: from.toISOString(), outcome: verdict.outcome, score: verdict.score });
    if (counting && verdict.outcome === "pass") days++;
    else counting = false;
  }
  return { days, daily };
}

export type Agreement = { metric: string; live: number; offline: number; difference: number; relative: number | null; agrees: boolean };

/** Live metrics agree with the offline report's when within 5% of it (or 0.01 of it, for values near zero). */
export const AGREEMENT_RELATIVE = 0.05;
export const AGREEMENT_ABSOLUTE = 0.01;

export function agreement(live: ReadonlyMap<string, number>, offline: Readonly<Record<string, number>>): Agreement[] {
  return [...live.entries()]
    .filter(([metric]) => typeof offline[metric] === "number")
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([metric, value]) => {
      const o = offline[metric];
      const difference = value - o;
      const relative = o !== 0 ? difference / Math.abs(o) : null;
      const agrees = Math.abs(difference) <= AGREEMENT_ABSOLUTE || (relative !== null && Math.abs(relative) <= AGREEMENT_RELATIVE);
      return { metric, live: value, offline: o, difference, relative, agrees };
    });
}
