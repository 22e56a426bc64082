"use client";

import dynamic from "next/dynamic";

// ./plots.tsx on demand: Recharts is not part of any page's first-load JavaScript (bench/README.md, figure 6). Each
// placeholder takes the chart's own height, so nothing moves when it arrives.
const placeholder = (height: string, label: string) =>
  function Placeholder() {
    return (
      <div className={`${height} animate-pulse rounded bg-slate-100 dark:bg-slate-800`} aria-busy="true">
        <span className="sr-only">Loading the {label}…</span>
      </div>
    );
  };

/** Starts loading the charts' code at once, while the page fetches the data they will draw. */
export function preloadPlots(): void {
  void import("./plots");
}

export const MetricPlot = dynamic(() => import("./plots").then((m) => m.MetricPlot), { ssr: false, loading: placeholder("h-72", "chart") });
export const SmallPlot = dynamic(() => import("./plots").then((m) => m.SmallPlot), { ssr: false, loading: placeholder("h-36", "chart") });
export const EvidencePlot = dynamic(() => import("./plots").then((m) => m.EvidencePlot), { ssr: false, loading: placeholder("h-64", "chart") });
