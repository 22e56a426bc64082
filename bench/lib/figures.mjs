// The benchmark's arithmetic and its table, as pure functions (bench/lib/figures.test.ts).

/** The p-quantile (0..1) of `values` by the nearest-rank method; NaN for none. */
export function percentile(values, p) {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil(p * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** The median of several runs' figures: the middle one, or the mean of the middle two. */
export function median(values) {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Whether a figure meets its target: `{ atLeast }` or `{ atMost }`; null when it has none (it is printed for the
 * record), false when it could not be measured.
 */
export function meets(value, target) {
  if (!target) return null;
  if (!Number.isFinite(value)) return false;
  if (target.atLeast !== undefined) return value >= target.atLeast;
  return value <= target.atMost;
}

/**
 * A row of the table: the median over runs, whether it meets its target, and every run's value. `failure` is what
 * went wrong functionally (an error answer, a wrong body, a cache that was skipped): the row then misses whatever
 * its figure, and the smoke test fails on it.
 */
export function row({ section, name, unit, runs, target = null, note = "", digits = 1, failure = null }) {
  const value = median(runs);
  return { section, name, unit, value: round(value, digits), runs: runs.map((r) => round(r, digits)), target, ok: failure ? false : meets(value, target), note: failure ?? note, failure: failure ?? null };
}

const round = (x, digits) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : null);

export function formatValue(value, unit) {
  if (value === null || value === undefined) return "n/a";
  const text = Math.abs(value) >= 1000 ? Math.round(value).toLocaleString("en") : String(value);
  return unit ? `${text} ${unit}` : text;
}

export function formatTarget(target, unit) {
  if (!target) return "";
  return target.atLeast !== undefined ? `≥ ${formatValue(target.atLeast, unit)}` : `≤ ${formatValue(target.atMost, unit)}`;
}

/** The printed table: section, figure, median, target, met, runs, note. */
export function table(rows) {
  const head = ["section", "figure", "median", "target", "met", "runs", "note"];
  const body = rows.map((r) => [r.section, r.name, formatValue(r.value, r.unit), formatTarget(r.target, r.unit), r.ok === null ? "" : r.ok ? "yes" : "NO", r.runs.map((v) => formatValue(v, "")).join(" / "), r.note]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}
