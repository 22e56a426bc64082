"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { COLORS, PointsTable, fmt, fmtTime, t } from "./rollout-charts";

type Points = { at: string; value: number }[];

/** An incident's evidence: the breached metric for both versions over the judged window, with its data as a table. */
export function EvidenceChart({ metric, challenger, champion, labels }: { metric: string; challenger: Points; champion: Points; labels: { challenger: string; champion: string } }) {
  const a = challenger.map((p) => ({ t: t(p.at), v: p.value }));
  const b = champion.map((p) => ({ t: t(p.at), v: p.value }));
  return (
    <figure aria-label={`${metric}: the evidence`}>
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
      <details className="mt-1 text-sm">
        <summary className="cursor-pointer">Show as table</summary>
        <PointsTable caption={`${metric}: challenger and champion per time bucket`} columns={[labels.challenger, labels.champion]} series={[a, b]} />
      </details>
    </figure>
  );
}
