import { fmt } from "./format";

/** A chart's data as a table, for screen readers and for reading exact values. */
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
