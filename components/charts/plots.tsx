"use client";

// Everything on the rollout and incident pages that needs Recharts (about 110 KB of JavaScript, gzipped). The pages
// load this module lazily (./lazy-plots.tsx), after their first paint, so their first-load JavaScript stays small;
// the series' data arrives by fetch anyway, so nothing is drawn later than before.
import { CartesianGrid, Legend, Line, LineChart, ReferenceArea, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { RolloutSeries } from "@/lib/rollouts/series";
import { COLORS, fmt, fmtTime, t, ticksOf, type XY } from "./format";

/** One metric of a rollout: both versions, the policy's thresholds, step changes, pauses and checkpoints. */
export function MetricPlot({ s, domain, challenger, champion }: { s: RolloutSeries; domain: [number, number]; challenger: XY[]; champion: XY[] }) {
  const lines = s.thresholds.filter((h) => h.value !== null && h.of !== "parity");
  return (
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
  );
}

/** A small time series: traffic share or verdict score. */
export function SmallPlot({ title, points, domain, step, color }: { title: string; points: XY[]; domain: [number, number]; step: boolean; color: string }) {
  return (
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
  );
}

/** An incident's evidence: the breached metric for both versions over the judged window. */
export function EvidencePlot({ a, b, labels }: { a: XY[]; b: XY[]; labels: { challenger: string; champion: string } }) {
  return (
    <div className="h-64 text-slate-700 dark:text-slate-300" data-testid="evidence-chart">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
          <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={fmtTime} tick={{ fill: "currentColor", fontSize: 12 }} />
          <YAxis dataKey="v" tick={{ fill: "currentColor", fontSize: 12 }} tickFormatter={(v: number) => fmt(v)} width={64} domain={["auto", "auto"]} />
          <Tooltip labelFormatter={(v) => fmtTime(Number(v))} formatter={(v) => fmt(Number(v))} contentStyle={{ color: "#0f172a" }} />
          <Legend />
          <Line data={b} dataKey="v" name={labels.champion} stroke={COLORS.champion} dot={false} strokeWidth={2} isAnimationActive={false} />
          <Line data={a} dataKey="v" name={labels.challenger} stroke={COLORS.challenger} dot={false} strokeWidth={2} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
