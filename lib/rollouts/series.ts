import "server-only";
import { badRequest, notFound } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { canonicalDims } from "@/lib/metrics/aggregate";
import { listDimensions, listMetrics, readRollups } from "@/lib/metrics/read";
import type { MetricKind } from "@/lib/metrics/validate";
import { metricDirection } from "@/lib/registry/rules";
import type { Bound } from "@/lib/stats";
import { findReadableRollout } from "./lifecycle";
import { minMax } from "./downsample";
import { sideOf, valueOf } from "./judge";
import { planOf } from "./lifecycle";
import { describeCheckpoint, describeStep, type CriterionKind, type PlanCriterion } from "./plan";
import { ZRolloutSeriesQuery, type SeriesRange } from "./series-schemas";

/**
 * A rollout's chart data: both versions' values of one metric per minute, downsampled, with what the chart marks on
 * them (thresholds, step changes, pauses, checkpoint decisions), traffic over time and the score over time. Reads only.
 */

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** A line of at most this many points per version; min/max buckets (see downsample.ts) keep every spike. */
export const MAX_POINTS = 1_000;
/** "Whole rollout" starts this long before it: the champion's traffic just before, the baseline a 100% step is judged against. */
const CONTEXT_BEFORE_MS = 60 * 60_000;
/** Groups of a metric with dimensions offered to pick from. */
export const MAX_GROUPS_LISTED = 100;
const RANGE_MS: Record<Exclude<SeriesRange, "all">, number> = { hour: HOUR, day: DAY };

export type SeriesPoint = { at: string; value: number };
export type SeriesThreshold = {
  criterion: "advance" | "rollback";
  bound: Bound;
  allowed: string;
  /** parity: the bound is on the lowest group's value over the highest's (a groupBy criterion), not on this line. */
  of: "value" | "parity";
  /** fixed: min or max. champion: the champion's value pooled over the range, moved by the allowance the worse way. */
  basis: "fixed" | "champion";
  /** Where to draw the line; null when the champion has no data in the range. */
  value: number | null;
};
export type RolloutSeries = {
  rollout: { id: string; number: number; model: string; status: string; startedAt: string; endedAt: string | null };
  metric: string;
  criterion: boolean;
  kind: CriterionKind;
  quantile: PlanCriterion["quantile"] | null;
  direction: "higher" | "lower";
  range: { name: SeriesRange; from: string; to: string };
  dims: string | null;
  /** total: minute buckets with a value before downsampling; points: at most MAX_POINTS of them. */
  challenger: { version: number; total: number; points: SeriesPoint[] };
  champion: { version: number; total: number; points: SeriesPoint[] } | null;
  thresholds: SeriesThreshold[];
  markers: { at: string; kind: string; label: string; trafficPercent: number; actor: string; reason: string }[];
  checkpoints: { at: string; checkpoint: string; decision: string; user: string; label: string }[];
  pauses: { from: string; to: string }[];
  /** The challenger's share of traffic, a step series (draw with stepAfter): a point at the range's start, each change, the end. */
  traffic: SeriesPoint[];
  score: { at: string; score: number | null; outcome: string; step: number }[];
  groups: { dims: string; dimensions: Record<string, string>; label: string }[];
  groupsTruncated: boolean;
};
export type RolloutMetric = { metric: string; criterion: boolean; kind: CriterionKind; kinds: MetricKind[] };

const EVENT_LABELS: Record<string, string> = {
  started: "Started",
  advanced: "Advanced",
  waiting: "Waiting at a checkpoint",
  paused: "Paused",
  resumed: "Resumed",
  completed: "Completed",
  "rolled-back": "Rolled back",
  aborted: "Aborted",
  "watch-ended": "Watch window ended",
  "watch-rolled-back": "Rolled back after completion",
};
const ENDS_PAUSE = new Set(["resumed", "completed", "rolled-back", "aborted"]);

/** The rollout, and the span its charts cover: from an hour before it started to its end (or now). */
async function loadRollout(actor: Actor | null, id: string, now: Date) {
  const found = await findReadableRollout(db, actor, id);
  const r = await db.rollout.findUniqueOrThrow({
    where: { id: found.id },
    select: { id: true, number: true, modelId: true, status: true, plan: true, startedAt: true, endedAt: true, championVersionId: true, championVersion: true, challengerVersionId: true, challengerVersion: true, model: { select: { name: true } } },
  });
  const end = r.endedAt && r.endedAt < now ? r.endedAt : now;
  // Whole minutes, so the current minute's bucket is in and the last hour is 60 buckets.
  const to = new Date(Math.ceil(end.getTime() / MINUTE) * MINUTE);
  const from = new Date(Math.floor((r.startedAt.getTime() - CONTEXT_BEFORE_MS) / MINUTE) * MINUTE);
  const versionIds = [r.challengerVersionId, ...(r.championVersionId ? [r.championVersionId] : [])];
  return { r, plan: planOf(r), span: { from, to }, versionIds };
}

function metricsOf(ctx: Awaited<ReturnType<typeof loadRollout>>, seen: { metric: string; kinds: MetricKind[] }[]): RolloutMetric[] {
  const out = new Map<string, RolloutMetric>();
  for (const c of ctx.plan.criteria) {
    if (!out.has(c.metric) || !c.groupBy) out.set(c.metric, { metric: c.metric, criterion: true, kind: c.kind, kinds: [] });
  }
  for (const s of seen) {
    const known = out.get(s.metric);
    out.set(s.metric, known ? { ...known, kinds: s.kinds } : { metric: s.metric, criterion: false, kind: s.kinds.includes("ratio") ? "ratio" : "mean", kinds: s.kinds });
  }
  return [...out.values()];
}

/** The metrics there are to chart for a rollout: its criteria first (in the plan's order), then the others sent. */
export async function rolloutMetrics(opts: { actor: Actor | null; id: string; now?: Date }): Promise<{ rollout: { id: string; number: number }; metrics: RolloutMetric[] }> {
  const ctx = await loadRollout(opts.actor, opts.id, opts.now ?? new Date());
  const seen = await listMetrics(db, { modelId: ctx.r.modelId, versionIds: ctx.versionIds, ...ctx.span });
  return { rollout: { id: ctx.r.id, number: ctx.r.number }, metrics: metricsOf(ctx, seen) };
}

function parseDims(dims: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(dims);
  } catch {
    parsed = null;
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === "string")) {
    throw badRequest('dims is one group as JSON, e.g. {"group":"A"}', [{ path: "dims", message: "Not a JSON object of strings" }]);
  }
  return canonicalDims(parsed as Record<string, string>);
}

const fmt = (x: number) => String(Number(x.toPrecision(4)));
function allowedOf(b: Bound): string {
  if (b.relative !== undefined) return `at most ${fmt(b.relative)}% worse than the champion`;
  if (b.absolute !== undefined) return `at most ${fmt(b.absolute)} worse than the champion`;
  return b.min !== undefined ? `at least ${fmt(b.min)}` : `at most ${fmt(b.max!)}`;
}

/** A criterion's bound as a line: fixed bounds where they are; comparative ones the allowance away from the champion, the worse way. */
function thresholdOf(c: PlanCriterion, criterion: "advance" | "rollback", bound: Bound, champion: number | null): SeriesThreshold {
  const base = { criterion, bound, allowed: allowedOf(bound), of: c.groupBy ? ("parity" as const) : ("value" as const) };
  if (bound.min !== undefined) return { ...base, basis: "fixed", value: bound.min };
  if (bound.max !== undefined) return { ...base, basis: "fixed", value: bound.max };
  if (champion === null || c.groupBy) return { ...base, basis: "champion", value: null };
  const allowance = bound.absolute ?? ((bound.relative ?? 0) / 100) * Math.abs(champion);
  return { ...base, basis: "champion", value: c.direction === "lower" ? champion + allowance : champion - allowance };
}

const iso = (d: Date) => d.toISOString();
const inRange = (at: Date, from: Date, to: Date) => at >= from && at <= to;

/**
 * One metric of a rollout over the last hour, the last day, or the whole rollout: each version's value per minute
 * bucket as its criterion reads it (or, for a metric that is no criterion, a ratio when counter pairs were sent, else
 * the mean), at most MAX_POINTS per version, and what the chart marks on it. With `dims`, one group's figures only.
 */
export async function rolloutSeries(opts: { actor: Actor | null; id: string; metric: string; range?: SeriesRange; dims?: string; now?: Date }): Promise<RolloutSeries> {
  const q = ZRolloutSeriesQuery.parse({ metric: opts.metric, range: opts.range, dims: opts.dims });
  const metric = q.metric!;
  const now = opts.now ?? new Date();
  const ctx = await loadRollout(opts.actor, opts.id, now);
  const { r, plan, span, versionIds } = ctx;
  const from = q.range === "all" ? span.from : new Date(span.to.getTime() - RANGE_MS[q.range]);
  const to = span.to;
  const where = { modelId: r.modelId, versionIds, ...span };
  const [seen, dimensions, events, decisions, judgements] = await Promise.all([
    listMetrics(db, where),
    listDimensions(db, { ...where, metric }),
    db.rolloutEvent.findMany({ where: { rolloutId: r.id }, orderBy: { createdAt: "asc" }, take: 10_000 }),
    db.rolloutDecision.findMany({ where: { rolloutId: r.id, createdAt: { gte: from, lte: to } }, orderBy: { createdAt: "asc" } }),
    db.rolloutJudgement.findMany({ where: { rolloutId: r.id, createdAt: { gte: from, lte: to } }, orderBy: { createdAt: "asc" }, select: { createdAt: true, score: true, outcome: true, stepIndex: true } }),
  ]);
  const entry = metricsOf(ctx, seen).find((m) => m.metric === metric);
  if (!entry) throw notFound(`No metric "${metric}" for rollout ${r.number}: it is no criterion of the rollout, and neither version sent it`);
  const dims = q.dims === undefined ? undefined : parseDims(q.dims);
  if (dims !== undefined && !dimensions.some((d) => d.dims === dims)) throw notFound(`No group ${dims} of "${metric}" for rollout ${r.number}`);

  const criteria = plan.criteria.filter((c) => c.metric === metric);
  const main = criteria.find((c) => !c.groupBy) ?? criteria[0];
  const read: Pick<PlanCriterion, "kind" | "quantile"> = main ?? { kind: entry.kind, quantile: "p95" };
  const rows = await readRollups(db, { modelId: r.modelId, metric, versionIds, from, to, dims });
  const line = (versionId: string) => {
    const mine = rows.filter((x) => x.versionId === versionId);
    const points = mine.map((x) => ({ t: x.bucket.getTime(), v: valueOf(read, x) ?? Number.NaN })).filter((p) => Number.isFinite(p.v));
    return { rows: mine, total: points.length, points: minMax(points, MAX_POINTS / 2 - 1).map((p) => ({ at: new Date(p.t).toISOString(), value: p.v })) };
  };
  const challenger = line(r.challengerVersionId);
  const champion = r.championVersionId ? line(r.championVersionId) : null;
  const pooled = champion ? sideOf(read, champion.rows, from, to).value : null;

  const trafficAt = (at: Date) => events.findLast((e) => e.createdAt <= at)?.trafficPercent ?? 0;
  const pauses: { from: Date; to: Date }[] = [];
  let pausedAt: Date | null = null;
  for (const e of events) {
    if (e.kind === "paused") pausedAt ??= e.createdAt;
    else if (pausedAt && ENDS_PAUSE.has(e.kind)) {
      pauses.push({ from: pausedAt, to: e.createdAt });
      pausedAt = null;
    }
  }
  if (pausedAt) pauses.push({ from: pausedAt, to });
  // Judgements come once a minute: a week-long phase is downsampled like the metric, a judgement without a score kept as a dip below 0.
  const scored = minMax(judgements.map((j) => ({ t: j.createdAt.getTime(), v: j.score ?? -1, j })), MAX_POINTS / 2 - 1);

  return {
    rollout: { id: r.id, number: r.number, model: r.model.name, status: r.status, startedAt: iso(r.startedAt), endedAt: r.endedAt ? iso(r.endedAt) : null },
    metric,
    criterion: Boolean(main),
    kind: read.kind,
    quantile: read.kind === "percentile" ? read.quantile : null,
    direction: main && !main.groupBy ? main.direction : metricDirection(metric),
    range: { name: q.range, from: iso(from), to: iso(to) },
    dims: dims ?? null,
    challenger: { version: r.challengerVersion, total: challenger.total, points: challenger.points },
    champion: champion && r.championVersion !== null ? { version: r.championVersion, total: champion.total, points: champion.points } : null,
    thresholds: criteria.flatMap((c) => [
      ...(c.advance ? [thresholdOf(c, "advance", c.advance, pooled)] : []),
      ...(c.rollback ? [thresholdOf(c, "rollback", c.rollback, pooled)] : []),
    ]),
    markers: events
      .filter((e) => inRange(e.createdAt, from, to))
      .map((e) => {
        const label = EVENT_LABELS[e.kind] ?? e.kind;
        return { at: iso(e.createdAt), kind: e.kind, label: e.kind === "started" || e.kind === "advanced" ? `${label}: ${describeStep(plan, e.stepIndex)}` : label, trafficPercent: e.trafficPercent, actor: e.actorLabel, reason: e.reason };
      }),
    checkpoints: decisions.map((d) => {
      const wanted = plan.checkpoints.filter((c) => c.key === d.checkpoint).map(describeCheckpoint).join(" and ");
      return { at: iso(d.createdAt), checkpoint: d.checkpoint, decision: d.decision, user: d.userLabel, label: `${d.userLabel} ${d.decision === "approve" ? "approved" : "rejected"}${wanted ? ` (${wanted})` : ""}` };
    }),
    pauses: pauses.filter((p) => p.to >= from && p.from <= to).map((p) => ({ from: iso(p.from < from ? from : p.from), to: iso(p.to > to ? to : p.to) })),
    traffic: [
      { at: iso(from), value: trafficAt(from) },
      ...events.filter((e) => e.createdAt > from && e.createdAt < to).map((e) => ({ at: iso(e.createdAt), value: e.trafficPercent })),
      { at: iso(to), value: trafficAt(to) },
    ],
    score: scored.map(({ j }) => ({ at: iso(j.createdAt), score: j.score, outcome: j.outcome, step: j.stepIndex + 1 })),
    groups: dimensions.slice(0, MAX_GROUPS_LISTED).map((d) => ({ ...d, label: Object.entries(d.dimensions).map(([k, v]) => `${k}=${v}`).join(", ") })),
    groupsTruncated: dimensions.length > MAX_GROUPS_LISTED,
  };
}
