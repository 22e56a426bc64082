/** An event's before and after, key by key, changed keys marked: what the change was, at a glance. */
const show = (v: unknown) => (v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));

export function EventDiff({ before, after }: { before: unknown; after: unknown }) {
  const b = (before && typeof before === "object" ? before : {}) as Record<string, unknown>;
  const a = (after && typeof after === "object" ? after : {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort();
  if (!keys.length) return <p className="text-xs text-slate-700 dark:text-slate-300">No recorded values.</p>;
  return (
    <table className="mt-1 w-full text-xs">
      <caption className="sr-only">Values before and after</caption>
      <thead>
        <tr className="text-left">
          <th scope="col" className="pr-3 font-semibold">Field</th>
          <th scope="col" className="pr-3 font-semibold">Before</th>
          <th scope="col" className="font-semibold">After</th>
        </tr>
      </thead>
      <tbody>
        {keys.map((k) => {
          const changed = JSON.stringify(b[k]) !== JSON.stringify(a[k]);
          return (
            <tr key={k} className={changed ? "bg-amber-50 dark:bg-amber-950/40" : undefined}>
              <th scope="row" className="pr-3 text-left font-mono font-normal">
                {k}
                {changed && <span className="sr-only"> (changed)</span>}
              </th>
              <td className="break-all pr-3 font-mono">{show(b[k])}</td>
              <td className="break-all font-mono">{show(a[k])}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
