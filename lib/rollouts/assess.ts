import "server-only";
import type { Tx } from "@/lib/db";
import { listDimensions, readRollups, type RollupView } from "@/lib/metrics/read";
import { agreement, bucketPoints, judgeWindow, sideOf, stableDays, type Agreement, type Baseline, type MetricSeries, type RollupRow } from "./judge";
import type { Judgement } from "./machine";
import { formatDuration, seriesKey, type RolloutPlan } from "./plan";

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** How far before the rollout the champion's own traffic is looked for, when it serves nothing in the window. */
export const BASELINE_LOOKBACK_MS = DAY;
/** Groups of a groupBy criterion's dimension that are judged (the first, in order of their dimensions). */
export const MAX_GROUPS = 20;

export type Assessment = {
  judgement: Judgement;
  /** For each breached criterion, both versions' values per bucket over the window: an incident's chart data. */
  charts: Record<string, { challenger: { at: string; value: number }[]; champion: { at: string; value: number }[] }>;
  /** What is stored on the rollout and shown: the window, every metric's judgement, stability and agreement. */
  record: {
    at: string;
    window: { from: string; to: string };
    verdict: Judgement["verdict"];
    rollback: Judgement["breaches"];
    breaches: string[];
    stableDays: number | null;
    daily: { from: string; outcome: string; score: number | null }[];
    agreement: Agreement[];
  };
};

type AssessedRollout = {
  modelId: string;
  status: string;
  stepIndex: number;
  stepStartedAt: Date;
  startedAt: Date;
  completedAt: Date | null;
  championVersionId: string | null;
  challengerVersionId: string;
  plan: RolloutPlan;
};

/**
 * Reads the rollups the judgement needs (one query per metric, both versions) and judges them: the current step's
 * window (or, once completed, the watch window), with the champion's own last traffic as the baseline when it
 * served nothing in the window (a 100% step, blue-green, the watch window).
 */
export async function assessRollout(tx: Tx, r: AssessedRollout, now: Date): Promise<Assessment> {
  const plan = r.plan;
  const watching = r.status === "watching";
  const from = watching && r.completedAt ? r.completedAt : r.stepStartedAt;
  const step = plan.steps[r.stepIndex];
  const shadowDays = !watching && step?.phase === "shadow" ? step.stableDays : 0;
  const readFrom = new Date(Math.min(r.startedAt.getTime() - BASELINE_LOOKBACK_MS, now.getTime() - shadowDays * DAY));
  const versionIds = [r.challengerVersionId, ...(r.championVersionId ? [r.championVersionId] : [])];
  const series = new Map<string, MetricSeries>();
  const baseline = new Map<string, Baseline>();
  const length = Math.max(now.getTime() - from.getTime(), HOUR);
  const of = (rows: readonly RollupView[], versionId: string | null): RollupRow[] => rows.filter((x) => x.versionId === versionId);
  const read = (metric: string, dims?: string) => readRollups(tx, { modelId: r.modelId, metric, versionIds, from: readFrom, to: now, dims });
  for (const c of plan.criteria) {
    const key = seriesKey(c);
    if (series.has(key)) continue;
    const rows = await read(c.metric);
    const challenger = of(rows, r.challengerVersionId);
    const champion = r.championVersionId ? of(rows, r.championVersionId) : null;
    const entry: MetricSeries = { challenger, champion };
    if (c.groupBy) {
      const groups = { challenger: new Map<string, RollupRow[]>(), champion: r.championVersionId ? new Map<string, RollupRow[]>() : null };
      // A bounded number of groups keeps a tick's work bounded whatever a sender puts in its dimensions.
      for (const d of (await listDimensions(tx, { modelId: r.modelId, metric: c.metric, versionIds, from: readFrom, to: now })).slice(0, MAX_GROUPS)) {
        const group = d.dimensions[c.groupBy];
        if (group === undefined) continue;
        const grouped = await read(c.metric, d.dims);
        groups.challenger.set(group, [...(groups.challenger.get(group) ?? []), ...of(grouped, r.challengerVersionId)]);
        if (groups.champion && r.championVersionId) groups.champion.set(group, [...(groups.champion.get(group) ?? []), ...of(grouped, r.championVersionId)]);
      }
      entry.groups = groups;
    }
    series.set(key, entry);
    const before = (champion ?? []).filter((x) => x.bucket < from);
    if (before.length && !c.groupBy) {
      const to = new Date(before.at(-1)!.bucket.getTime() + 60_000);
      const start = new Date(to.getTime() - length);
      baseline.set(key, { rows: before.filter((x) => x.bucket >= start), from: start, to, phrase: `the champion's last ${formatDuration(Math.round(length / 60_000) * 60)} of traffic before ${watching ? "completion" : "this step"}` });
    }
  }
  const { verdict, rollback, breaches } = judgeWindow(plan, series, from, now, baseline);
  const stable = shadowDays > 0 ? stableDays(plan, series, r.stepStartedAt, now, shadowDays) : null;
  const agreed = step?.phase === "shadow" && !watching ? await liveOfflineAgreement(tx, r, from, now) : [];
  const charts: Assessment["charts"] = {};
  for (const c of plan.criteria.filter((k) => !k.groupBy && breaches.some((b) => b.metric === k.metric))) {
    const s = series.get(seriesKey(c))!;
    // The champion over the same window, or (when it served nothing there) the baseline it was judged against.
    const own = bucketPoints(c, s.champion ?? [], from, now);
    const base = baseline.get(c.metric);
    charts[c.metric] = { challenger: bucketPoints(c, s.challenger, from, now), champion: own.length || !base ? own : bucketPoints(c, base.rows, base.from, base.to) };
  }
  return {
    judgement: { verdict, breaches, stableDays: stable?.days ?? null },
    charts,
    record: {
      at: now.toISOString(),
      window: { from: from.toISOString(), to: now.toISOString() },
      verdict,
      rollback,
      breaches: breaches.map((b) => b.metric),
      stableDays: stable?.days ?? null,
      daily: stable?.daily ?? [],
      agreement: agreed,
    },
  };
}

/** Shadow: the challenger's live metrics next to the same metrics in its latest offline-metrics report. */
async function liveOfflineAgreement(tx: Tx, r: AssessedRollout, from: Date, to: Date): Promise<Agreement[]> {
  const report = await tx.evaluationReport.findFirst({ where: { versionId: r.challengerVersionId, kind: "offline-metrics" }, orderBy: { createdAt: "desc" }, select: { payload: true } });
  const offline = ((report?.payload ?? {}) as { metrics?: Record<string, number> }).metrics ?? {};
  const live = new Map<string, number>();
  for (const metric of Object.keys(offline).slice(0, 50)) {
    const rows = await readRollups(tx, { modelId: r.modelId, metric, versionIds: [r.challengerVersionId], from, to });
    if (!rows.length) continue;
    const kind = rows.some((x) => x.denominator > 0) ? "ratio" : "mean";
    const { value } = sideOf({ kind, quantile: "p95" }, rows, from, to);
    if (value !== null) live.set(metric, value);
  }
  return agreement(live, offline);
}
