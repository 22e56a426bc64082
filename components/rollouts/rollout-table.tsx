import Link from "next/link";
import { Badge } from "@/components/ui/layout";
import { linkStyles } from "@/components/ui/styles";
import { Time } from "@/components/ui/time";
import type { RolloutSummary } from "@/lib/rollouts/views";
import { OUTCOME_LABELS, OUTCOME_TONES, STATUS_TONES } from "./tones";

/** Rollouts as rows: which model and versions, where each is (phase, traffic), and its latest verdict. */
export function RolloutTable({ caption, items }: { caption: string; items: readonly RolloutSummary[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr className="border-b border-slate-200 dark:border-slate-800">
            <th scope="col" className="py-2 pr-3 font-semibold">Rollout</th>
            <th scope="col" className="py-2 pr-3 font-semibold">Status</th>
            <th scope="col" className="py-2 pr-3 font-semibold">Phase and traffic</th>
            <th scope="col" className="py-2 pr-3 font-semibold">Verdict</th>
            <th scope="col" className="py-2 font-semibold">Started</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.id} className="border-b border-slate-100 align-top dark:border-slate-900">
              <th scope="row" className="py-2 pr-3 font-normal">
                <Link className={linkStyles} href={`/rollouts/${r.number}`}>
                  {r.number}: {r.model} v{r.challenger}
                </Link>
                <span className="block text-xs text-slate-700 dark:text-slate-300">
                  {r.strategy} against {r.champion === null ? "no champion" : `v${r.champion}`} (@{r.alias})
                </span>
              </th>
              <td className="py-2 pr-3">
                <Badge tone={STATUS_TONES[r.status] ?? "neutral"}>{r.statusLabel}</Badge>
              </td>
              <td className="py-2 pr-3">{r.step ? r.step.label : r.mode === "none" ? "no challenger traffic" : r.mode}</td>
              <td className="py-2 pr-3">
                {r.verdict ? (
                  <Badge tone={OUTCOME_TONES[r.verdict.outcome] ?? "neutral"}>
                    {OUTCOME_LABELS[r.verdict.outcome] ?? r.verdict.outcome}
                    {r.verdict.score === null ? "" : ` · ${Math.round(r.verdict.score)}`}
                  </Badge>
                ) : (
                  "not judged yet"
                )}
              </td>
              <td className="py-2">
                <Time value={r.startedAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
