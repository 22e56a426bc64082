import { Badge, Card } from "@/components/ui/layout";
import { Time } from "@/components/ui/time";
import { formatDuration } from "@/lib/policy/duration";
import type { RolloutView } from "@/lib/rollouts/views";
import { OUTCOME_LABELS, OUTCOME_TONES, STATUS_TONES } from "./tones";

const label = (o: string) => OUTCOME_LABELS[o] ?? o;
const num = (v: number | null) => (v === null ? "—" : Number(v.toPrecision(4)).toString());

/** A rollout as the request page shows it: where it is, why, the latest verdict per metric, and its timeline. */
export function RolloutSummary({ rollout: r }: { rollout: RolloutView }) {
  const j = r.judgement;
  return (
    <Card>
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={STATUS_TONES[r.status] ?? "neutral"}>{r.statusLabel}</Badge>
        <span className="text-sm">
          Rollout {r.number}: {r.strategy}, {r.mode === "none" ? "no traffic to the challenger" : r.mode === "shadow" ? "shadow (mirrored traffic)" : `${r.mode} ${r.trafficPercent}%`}
        </span>
        {r.verdict && (
          <Badge tone={OUTCOME_TONES[r.verdict.outcome] ?? "neutral"}>
            verdict {label(r.verdict.outcome)}
            {r.verdict.score === null ? "" : ` · ${Math.round(r.verdict.score)}`}
          </Badge>
        )}
      </div>
      {r.step && (
        <p className="mt-2 text-sm">
          {r.step.label}: {formatDuration(Math.floor(r.step.heldMs / 60_000) * 60)} of {formatDuration(Math.round(r.step.holdMs / 1000))} held.
        </p>
      )}
      {j && j.stableDays !== null && r.step && (
        <p className="mt-2 text-sm">
          Shadow stable for {j.stableDays} of the {r.plan.steps[r.step.index]?.stableDays ?? 0} day(s) needed (a Pass verdict every whole day).
        </p>
      )}
      {r.waitingFor && <p className="mt-2 text-sm font-medium">Waiting for {r.waitingFor} to approve.</p>}
      {r.statusReason && <p className="mt-2 text-sm">{r.statusReason}</p>}
      {j && j.verdict.metrics.length > 0 && (
        <div className="mt-4 overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Latest verdict per metric</caption>
            <thead>
              <tr className="border-b border-slate-200 dark:border-slate-800">
                <th scope="col" className="py-1 pr-3 font-semibold">Metric</th>
                <th scope="col" className="py-1 pr-3 font-semibold">Challenger</th>
                <th scope="col" className="py-1 pr-3 font-semibold">Champion</th>
                <th scope="col" className="py-1 pr-3 font-semibold">Interval (95%)</th>
                <th scope="col" className="py-1 pr-3 font-semibold">Outcome</th>
                <th scope="col" className="py-1 font-semibold">Why</th>
              </tr>
            </thead>
            <tbody>
              {j.verdict.metrics.map((m) => (
                <tr key={m.metric} className="border-b border-slate-100 align-top dark:border-slate-900">
                  <th scope="row" className="py-1 pr-3 font-mono font-normal">{m.metric}</th>
                  <td className="py-1 pr-3">{num(m.challenger)}</td>
                  <td className="py-1 pr-3">{num(m.champion)}</td>
                  <td className="py-1 pr-3 whitespace-nowrap">{m.interval ? `${num(m.interval.lower)} to ${num(m.interval.upper)}` : "—"}</td>
                  <td className="py-1 pr-3">
                    <Badge tone={OUTCOME_TONES[m.outcome] ?? "neutral"}>{label(m.outcome)}</Badge>
                  </td>
                  <td className="py-1">{m.explanation}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="mt-1 text-xs text-slate-700 dark:text-slate-300">
            Judged <Time value={j.at} /> over the window from <Time value={j.window.from} />.
          </p>
        </div>
      )}
      <h3 className="mt-4 text-sm font-semibold">Timeline</h3>
      <ol className="mt-1 space-y-1 text-sm" aria-label="Rollout timeline">
        {r.events.map((e, i) => (
          <li key={i}>
            <Time value={e.at} /> · <span className="font-medium">{e.kind}</span> ({e.mode === "none" ? "no challenger traffic" : `${e.mode} ${e.trafficPercent}%`}) · {e.actor}: {e.reason}
          </li>
        ))}
      </ol>
    </Card>
  );
}
