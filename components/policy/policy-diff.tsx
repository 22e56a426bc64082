import { diffStats, type DiffLine } from "@/lib/policy/diff";

const MARK = { same: " ", added: "+", removed: "−" } as const;
const ROW = {
  same: "",
  added: "bg-emerald-50 text-emerald-950 dark:bg-emerald-950/60 dark:text-emerald-100",
  removed: "bg-red-50 text-red-950 dark:bg-red-950/60 dark:text-red-100",
} as const;

/** A line diff, readable without colour: each changed line is marked + or − and announced as added or removed. */
export function PolicyDiff({ lines, caption }: { lines: DiffLine[]; caption: string }) {
  const { added, removed } = diffStats(lines);
  return (
    <figure>
      <figcaption className="mb-2 text-sm text-slate-700 dark:text-slate-300">
        {caption}: {added} line{added === 1 ? "" : "s"} added, {removed} removed.
      </figcaption>
      {added + removed === 0 ? (
        <p className="text-sm">The two texts are identical.</p>
      ) : (
        <div role="region" aria-label={caption} tabIndex={0} className="max-h-[32rem] overflow-auto rounded border border-slate-200 font-mono text-xs dark:border-slate-800">
          <table className="w-full border-collapse">
            <tbody>
              {lines.map((l, i) => (
                <tr key={i} className={ROW[l.kind]}>
                  <td className="w-10 select-none px-2 text-right text-slate-600 dark:text-slate-400">{l.oldLine ?? ""}</td>
                  <td className="w-10 select-none px-2 text-right text-slate-600 dark:text-slate-400">{l.newLine ?? ""}</td>
                  <td className="w-4 select-none px-1" aria-hidden="true">
                    {MARK[l.kind]}
                  </td>
                  <td className="whitespace-pre px-2">
                    {l.kind !== "same" && <span className="sr-only">{l.kind}: </span>}
                    {l.text || " "}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </figure>
  );
}

/** A read-only text with line numbers. */
export function NumberedText({ text, label }: { text: string; label: string }) {
  const lines = text.replace(/\n$/, "").split("\n");
  return (
    <div role="region" aria-label={label} tabIndex={0} className="max-h-[36rem] overflow-auto rounded border border-slate-200 bg-slate-50 font-mono text-xs dark:border-slate-800 dark:bg-slate-950">
      <table className="w-full border-collapse">
        <tbody>
          {lines.map((line, i) => (
            <tr key={i}>
              <td className="w-10 select-none px-2 text-right align-top text-slate-600 dark:text-slate-400">{i + 1}</td>
              <td className="whitespace-pre px-2">{line || " "}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
