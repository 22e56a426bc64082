"use client";

import { t } from "./format";
import { EvidencePlot } from "./lazy-plots";
import { PointsTable } from "./points-table";

type Points = { at: string; value: number }[];

/** An incident's evidence: the breached metric for both versions over the judged window, with its data as a table. */
export function EvidenceChart({ metric, challenger, champion, labels }: { metric: string; challenger: Points; champion: Points; labels: { challenger: string; champion: string } }) {
  const a = challenger.map((p) => ({ t: t(p.at), v: p.value }));
  const b = champion.map((p) => ({ t: t(p.at), v: p.value }));
  return (
    <figure aria-label={`${metric}: the evidence`}>
      <EvidencePlot a={a} b={b} labels={labels} />
      <details className="mt-1 text-sm">
        <summary className="cursor-pointer">Show as table</summary>
        <PointsTable caption={`${metric}: challenger and champion per time bucket`} columns={[labels.challenger, labels.champion]} series={[a, b]} />
      </details>
    </figure>
  );
}
