// Shared by the charts and their tables; no Recharts here, so importing these costs the page nothing.

export const COLORS = { challenger: "#3b82f6", champion: "#f59e0b", advance: "#16a34a", rollback: "#dc2626", marker: "#94a3b8" };
export const t = (iso: string) => Date.parse(iso);
/** Evenly spaced time ticks across the range (a time axis otherwise gets very few). */
export const ticksOf = ([from, to]: [number, number], n: number) => Array.from({ length: n }, (_, i) => Math.round(from + ((to - from) * i) / (n - 1)));
export const fmtTime = (ms: number) => new Date(ms).toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
export const fmt = (v: number | null | undefined) => (v === null || v === undefined ? "—" : Number(v.toPrecision(4)).toString());
export type XY = { t: number; v: number };
