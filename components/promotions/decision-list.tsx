import { Badge } from "@/components/ui/layout";
import { Time } from "@/components/ui/time";
import type { DecisionState } from "@/lib/promotions/quorum";
import type { DecisionView } from "@/lib/promotions/views";

const STATE: Record<DecisionState, { label: string; tone: "good" | "warn" | "neutral" | "bad" | "info" }> = {
  counted: { label: "counts", tone: "good" },
  "not-needed": { label: "not needed for the quorum", tone: "neutral" },
  stale: { label: "stale: evidence changed, give again", tone: "warn" },
  expired: { label: "expired", tone: "warn" },
  "earlier-round": { label: "earlier round", tone: "neutral" },
  replaced: { label: "replaced by a later decision", tone: "neutral" },
  "not-an-approval": { label: "recorded", tone: "info" },
};
const VERB = { approve: "approved", reject: "rejected", "request-changes": "requested changes" } as const;

/** Every decision on a request with its comment, what it counts for now, and its signature. */
export function DecisionList({ decisions, round }: { decisions: DecisionView[]; round: number }) {
  if (!decisions.length) return <p className="mt-4 text-sm text-slate-700 dark:text-slate-300">No decisions yet.</p>;
  return (
    <ol className="mt-4 space-y-3" aria-label="Decisions">
      {[...decisions].reverse().map((d) => (
        <li key={d.id} className={`rounded-md border p-3 text-sm ${d.state === "counted" ? "border-emerald-300 dark:border-emerald-800" : "border-slate-200 dark:border-slate-700"}`}>
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-medium">{d.user}</span>
            <span>{VERB[d.decision]}</span>
            <span className="text-slate-700 dark:text-slate-300">as {d.roles.join(", ")}</span>
            <Badge tone={STATE[d.state].tone}>{d.countedAs ? `counts as ${d.countedAs}` : STATE[d.state].label}</Badge>
            {d.round !== round && <Badge>round {d.round}</Badge>}
            {d.viaToken && <Badge>API token</Badge>}
            <span className="text-xs text-slate-700 dark:text-slate-300">
              <Time value={d.at} />
            </span>
          </div>
          <p className="mt-1 whitespace-pre-wrap">{d.comment}</p>
          {d.signature && (
            <p className="mt-2 rounded bg-slate-100 px-2 py-1 text-xs dark:bg-slate-800">
              <span className="font-semibold">Signed ({d.signature.meaning}):</span> {d.signature.statement} <span className="font-mono">sha256 {d.signature.hash.slice(0, 16)}…</span>
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}
