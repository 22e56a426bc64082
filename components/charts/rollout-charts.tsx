"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { inputStyles } from "@/components/ui/styles";
import type { RolloutMetric, RolloutSeries } from "@/lib/rollouts/series";

/**
 * Challenger against champion for one metric at a time: both series (downsampled on the server, spikes kept), the
 * policy's thresholds, phase changes and checkpoints, the traffic share and the score over time. Polls while the
 * rollout is live (React Query stops when the tab is hidden). Every chart has its data as a table for screen readers.
 */
export const COLORS = { challenger: "#3b82f6", champion: "#f59e0b", advance: "#16a34a", rollback: "#dc2626", marker: "#94a3b8" };
const RANGES = [
  { value: "hour", label: "Last hour" },
  { value: "day", label: "Last day" },
  { value: "all", label: "Whole rollout" },
] as const;

export const t = (iso: string) => Date.parse(iso);
/** Evenly spaced time ticks across the range (a time axis otherwise gets very few). */
const ticksOf = ([from, to]: [number, number], n: number) => Array.from({ length: n }, (_, i) => Math.round(from + ((to - from) * i) / (n - 1)));
export const fmtTime = (ms: number) => new Date(ms).toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
export const fmt = (v: number | null | undefined) => (v === null || v === undefined ? "—" : Number(v.toPrecision(4)).toString());

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
  const lines = s.thresholds.filter((h) => h.value !== null && h.of !== "parity");
  const what = s.kind === "ratio" ? "ratio (Σnumerator / Σdenominator per minute)" : s.kind === "percentile" ? `${s.quantile ?? "p95"} per minute` : "mean per minute";
  return (
    <>
      <figure aria-label={`${s.metric}: challenger against champion`}>
        <figcaption className="mb-1 text-sm">
          <span className="font-medium">{s.metric}</span>, {what}; {s.direction === "higher" ? "higher" : "lower"} is better. Challenger v{s.challenger.version} ({s.challenger.total} minutes)
          {s.champion ? `, champion v${s.champion.version} (${s.champion.total} minutes)` : ", no champion"}.
        </figcaption>
        <div className="h-72 text-slate-700 dark:text-slate-300" data-testid="metric-chart">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
              <XAxis dataKey="t" type="number" scale="time" domain={domain} ticks={ticksOf(domain, 5)} tickFormatter={fmtTime} tick={{ fill: "currentColor", fontSize: 12 }} allowDataOverflow />
              <YAxis dataKey="v" tick={{ fill: "currentColor", fontSize: 12 }} tickFormatter={(v: number) => fmt(v)} width={64} domain={["auto", "auto"]} />
              <Tooltip labelFormatter={(v) => fmtTime(Number(v))} formatter={(v) => fmt(Number(v))} contentStyle={{ color: "#0f172a" }} />
              <Legend />
              {s.pauses.map((p, i) => (
                <ReferenceArea key={`pause-${i}`} x1={t(p.from)} x2={t(p.to)} fill={COLORS.marker} fillOpacity={0.15} ifOverflow="hidden" />
              ))}
              {s.markers.map((m, i) => (
                <ReferenceLine key={`m-${i}`} x={t(m.at)} stroke={COLORS.marker} strokeDasharray="2 4" ifOverflow="hidden" label={{ value: m.kind, position: "insideTopLeft", fill: "currentColor", fontSize: 10 }} />
              ))}
              {s.checkpoints.map((c, i) => (
                <ReferenceLine key={`c-${i}`} x={t(c.at)} stroke={COLORS.advance} ifOverflow="hidden" label={{ value: `checkpoint ${c.decision}`, position: "insideBottomLeft", fill: "currentColor", fontSize: 10 }} />
              ))}
              {lines.map((h, i) => (
                <ReferenceLine key={`h-${i}`} y={h.value!} stroke={h.criterion === "rollback" ? COLORS.rollback : COLORS.advance} strokeDasharray="6 4" ifOverflow="extendDomain" label={{ value: `${h.criterion}: ${h.allowed}`, position: "insideTopRight", fill: "currentColor", fontSize: 10 }} />
              ))}
              <Line data={champion} dataKey="v" name={s.champion ? `champion v${s.champion.version}` : "champion"} stroke={COLORS.champion} dot={false} strokeWidth={2} isAnimationActive={false} />
              <Line data={challenger} dataKey="v" name={`challenger v${s.challenger.version}`} stroke={COLORS.challenger} dot={false} strokeWidth={2} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
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
        <div className="h-36 text-slate-700 dark:text-slate-300">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={points} margin={{ top: 4, right: 16, bottom: 4, left: 4 }}>
              <XAxis dataKey="t" type="number" scale="time" domain={domain} ticks={ticksOf(domain, 3)} tickFormatter={fmtTime} tick={{ fill: "currentColor", fontSize: 11 }} allowDataOverflow />
              <YAxis dataKey="v" domain={[0, 100]} tick={{ fill: "currentColor", fontSize: 11 }} width={36} />
              <Tooltip labelFormatter={(v) => fmtTime(Number(v))} contentStyle={{ color: "#0f172a" }} />
              <Line dataKey="v" name={title} type={step ? "stepAfter" : "linear"} stroke={color} dot={false} strokeWidth={2} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
      <details className="mt-1 text-sm">
        <summary className="cursor-pointer">Show as table</summary>
        <PointsTable caption={title} columns={[title]} series={[points]} />
      </details>
    </figure>
  );
}

export function PointsTable({ caption, columns, series }: { caption: string; columns: string[]; series: { t: number; v: number }[][] }) {
  const rows = new Map<number, (number | undefined)[]>();
  series.forEach((points, i) => points.forEach((p) => rows.set(p.t, Object.assign([...(rows.get(p.t) ?? [])], { [i]: p.v }))));
  const sorted = [...rows.entries()].sort(([a], [b]) => a - b);
  return (
    // Focusable, so a keyboard can scroll it (axe: scrollable-region-focusable).
    <div className="mt-2 max-h-64 overflow-auto" tabIndex={0} role="region" aria-label={`${caption} (table)`}>
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col" className="pr-3 font-semibold">Time</th>
            {columns.map((c) => (
              <th key={c} scope="col" className="pr-3 font-semibold">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.map(([time, values]) => (
            <tr key={time}>
              <td className="pr-3">{new Date(time).toISOString().replace("T", " ").slice(0, 16)} UTC</td>
              {columns.map((c, i) => (
                <td key={c} className="pr-3">
                  {fmt(values[i])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
