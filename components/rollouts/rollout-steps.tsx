import { Badge, Card } from "@/components/ui/layout";
import { formatDuration } from "@/lib/policy/duration";
import type { RolloutView } from "@/lib/rollouts/views";

const STATE_TONES = { done: "good", current: "info", next: "neutral", stopped: "bad", "not-reached": "neutral" } as const;
const STATE_LABELS = { done: "done", current: "now", next: "next", stopped: "stopped here", "not-reached": "not reached" } as const;

/** The plan as a list: each step's traffic and hold, where the rollout is, and the checkpoints between steps. */
export function RolloutSteps({ rollout: r }: { rollout: RolloutView }) {
  return (
    <Card>
      <ol className="space-y-2 text-sm" aria-label="Rollout steps">
        {r.steps.map((s) => (
          <li key={s.index}>
            <div className="flex flex-wrap items-center gap-2">
              <Badge tone={STATE_TONES[s.state]}>{STATE_LABELS[s.state]}</Badge>
              <span className="font-medium">
                {s.index + 1}. {s.phase === "shadow" ? "Shadow (mirrored, 0% served)" : `${s.phase} ${s.percent}%`}
              </span>
              <span className="text-slate-700 dark:text-slate-300">
                hold {formatDuration(Math.round(s.holdMs / 1000))}
                {s.stableDays ? `, then stable ${s.stableDays} day${s.stableDays === 1 ? "" : "s"}` : ""}
              </span>
            </div>
            {s.checkpoints.map((c) => (
              <p key={c} className="ml-6 mt-1 text-slate-700 dark:text-slate-300">
                Then an approval checkpoint: {c}.
              </p>
            ))}
          </li>
        ))}
      </ol>
      <p className="mt-3 text-xs text-slate-700 dark:text-slate-300">
        Verdict thresholds: Pass at {r.plan.verdict.pass}, Marginal at {r.plan.verdict.marginal}; each metric needs {r.plan.minSamples} time buckets per version before it is judged.
        {r.plan.watchWindowMs ? ` After completion, a breach within ${formatDuration(Math.round(r.plan.watchWindowMs / 1000))} rolls the champion back.` : ""}
      </p>
    </Card>
  );
}
