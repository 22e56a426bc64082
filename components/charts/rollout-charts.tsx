"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { inputStyles } from "@/components/ui/styles";
import type { RolloutMetric, RolloutSeries } from "@/lib/rollouts/series";
import { COLORS, t } from "./format";
import { MetricPlot, SmallPlot, preloadPlots } from "./lazy-plots";
import { PointsTable } from "./points-table";

/**
 * Challenger against champion for one metric at a time: both series (downsampled on the server, spikes kept), the
 * policy's thresholds, phase changes and checkpoints, the traffic share and the score over time. Polls while the
 * rollout is live (React Query stops when the tab is hidden). Every chart has its data as a table for screen readers.
 */
const RANGES = [
  { value: "hour", label: "Last hour" },
  { value: "day", label: "Last day" },
  { value: "all", label: "Whole rollout" },
] as const;


async function fetchSeries(rolloutId: string, metric: string, range: string, dims: string): Promise<RolloutSeries> {
  const q = new URLSearchParams({ metric, range, ...(dims ? { dims } : {}) });
  const res = await fetch(`/api/v1/rollouts/${rolloutId}/series?${q}`, { cache: "no-store" });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error?.message ?? `The series did not load (${res.status})`);
  return body as RolloutSeries;
}

export function RolloutCharts({ rolloutId, metrics, live }: { rolloutId: string; metrics: RolloutMetric[]; live: boolean }) {
  const [metric, setMetric] = useState(metrics[0]?.metric ?? "");
  const [range, setRange] = useState<string>("all");
  const [dims, setDims] = useState("");
  const ids = { metric: useId(), range: useId(), group: useId() };
  useEffect(preloadPlots, []);
  const { data, error, isPending, isFetching } = useQuery({
    queryKey: ["rollout-series", rolloutId, metric, range, dims],
    queryFn: () => fetchSeries(rolloutId, metric, range, dims),
    enabled: Boolean(metric),
    refetchInterval: live ? 15_000 : false,
    refetchIntervalInBackground: false,
    placeholderData: (previous) => previous,
  });
  if (!metrics.length) return <p className="text-sm">No live metrics have arrived for this rollout yet.</p>;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3 text-sm">
        <label htmlFor={ids.metric} className="flex flex-col gap-1">
          <span className="font-medium">Metric</span>
          <select id={ids.metric} value={metric} onChange={(e) => (setMetric(e.target.value), setDims(""))} className={inputStyles}>
            {metrics.map((m) => (
              <option key={m.metric} value={m.metric}>
                {m.metric}
                {m.criterion ? "" : " (not a criterion)"}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={ids.range} className="flex flex-col gap-1">
          <span className="font-medium">Range</span>
          <select id={ids.range} value={range} onChange={(e) => setRange(e.target.value)} className={inputStyles}>
            {RANGES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        {data && data.groups.length > 0 && (
          <label htmlFor={ids.group} className="flex flex-col gap-1">
            <span className="font-medium">Group</span>
            <select id={ids.group} value={dims} onChange={(e) => setDims(e.target.value)} className={inputStyles}>
              <option value="">All groups</option>
              {data.groups.map((g) => (
                <option key={g.dims} value={g.dims}>
                  {g.label}
                </option>
              ))}
            </select>
          </label>
        )}
        <span className="text-xs text-slate-700 dark:text-slate-300" aria-live="polite">
          {isFetching ? "Updating…" : live ? "Updates every 15 s while this tab is visible." : ""}
        </span>
      </div>
      {error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error.message}
        </p>
      )}
      {isPending && !data ? <p aria-busy="true" className="text-sm">Loading the series…</p> : data ? <SeriesCharts s={data} /> : null}
    </div>
  );
}

function SeriesCharts({ s }: { s: RolloutSeries }) {
  const domain: [number, number] = [t(s.range.from), t(s.range.to)];
  const challenger = s.challenger.points.map((p) => ({ t: t(p.at), v: p.value }));
  const champion = (s.champion?.points ?? []).map((p) => ({ t: t(p.at), v: p.value }));
  const what = s.kind === "ratio" ? "ratio (Σnumerator / Σdenominator per minute)" : s.kind === "percentile" ? `${s.quantile ?? "p95"} per minute` : "mean per minute";
  return (
    <>
      <figure aria-label={`${s.metric}: challenger against champion`}>
        <figcaption className="mb-1 text-sm">
          <span className="font-medium">{s.metric}</span>, {what}; {s.direction === "higher" ? "higher" : "lower"} is better. Challenger v{s.challenger.version} ({s.challenger.total} minutes)
          {s.champion ? `, champion v${s.champion.version} (${s.champion.total} minutes)` : ", no champion"}.
        </figcaption>
        <MetricPlot s={s} domain={domain} challenger={challenger} champion={champion} />
        <details className="mt-1 text-sm">
          <summary className="cursor-pointer">Show as table</summary>
          <PointsTable caption={`${s.metric} per time bucket`} columns={[`challenger v${s.challenger.version}`, s.champion ? `champion v${s.champion.version}` : "champion"]} series={[challenger, champion]} />
        </details>
      </figure>
      <div className="grid gap-4 md:grid-cols-2">
        <SmallChart title="Challenger traffic (%)" points={s.traffic.map((p) => ({ t: t(p.at), v: p.value }))} domain={domain} step color={COLORS.challenger} />
        <SmallChart title="Verdict score (0-100)" points={s.score.filter((p) => p.score !== null).map((p) => ({ t: t(p.at), v: p.score! }))} domain={domain} color={COLORS.advance} />
      </div>
    </>
  );
}

function SmallChart({ title, points, domain, step = false, color }: { title: string; points: { t: number; v: number }[]; domain: [number, number]; step?: boolean; color: string }) {
  return (
    <figure aria-label={title}>
      <figcaption className="mb-1 text-sm font-medium">{title}</figcaption>
      {points.length === 0 ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">Nothing to show yet.</p>
      ) : (
        <SmallPlot title={title} points={points} domain={domain} step={step} color={color} />
      )}
      <details className="mt-1 text-sm">
        <summary className="cursor-pointer">Show as table</summary>
        <PointsTable caption={title} columns={[title]} series={[points]} />
      </details>
    </figure>
  );
}
