import Link from "next/link";
import { Badge, Card } from "@/components/ui/layout";
import { linkStyles } from "@/components/ui/styles";
import type { GateResult, GateStatus } from "@/lib/policy/gates";
import type { Readiness } from "@/lib/policy/readiness";

const STATUS: Record<GateStatus, { label: string; icon: string; tone: "good" | "bad" | "warn" | "neutral" }> = {
  pass: { label: "pass", icon: "✓", tone: "good" },
  fail: { label: "fail", icon: "✗", tone: "bad" },
  warn: { label: "warning", icon: "!", tone: "warn" },
  "missing-evidence": { label: "missing evidence", icon: "?", tone: "warn" },
};

// Problems first, in policy order within each status.
export const GATE_ORDER: Record<GateStatus, number> = { fail: 0, "missing-evidence": 1, warn: 2, pass: 3 };

export function GateStatusBadge({ status }: { status: GateStatus }) {
  const s = STATUS[status];
  return (
    <Badge tone={s.tone}>
      <span aria-hidden="true" className="mr-1">
        {s.icon}
      </span>
      {s.label}
    </Badge>
  );
}

export function GateRow({ r }: { r: GateResult }) {
  return (
    <li className="py-3">
      <div className="flex flex-wrap items-center gap-2">
        <GateStatusBadge status={r.status} />
        <span className="font-mono text-sm">{r.id}</span>
        <span className="text-xs text-slate-700 dark:text-slate-300">{r.type}</span>
        {r.mandatory && <Badge>mandatory</Badge>}
        {r.source === "model" && <Badge tone="info">model policy</Badge>}
      </div>
      <p className="mt-1 text-sm">{r.summary}</p>
      {r.onFail && <p className="mt-1 text-sm font-medium text-red-800 dark:text-red-300">{r.onFail}</p>}
      {r.details.length > 0 && (
        <details className="mt-1">
          <summary className="cursor-pointer text-sm text-indigo-700 dark:text-indigo-300">Details ({r.details.length})</summary>
          <ul className="mt-1 space-y-0.5 text-sm">
            {r.details.map((d, i) => (
              <li key={`${d.label}-${i}`}>
                {d.status && <span className="sr-only">{STATUS[d.status].label}: </span>}
                <span aria-hidden="true" className={d.status === "fail" ? "text-red-700 dark:text-red-300" : d.status === "pass" ? "text-emerald-700 dark:text-emerald-300" : "text-amber-700 dark:text-amber-300"}>
                  {d.status ? `${STATUS[d.status].icon} ` : "· "}
                </span>
                <span className="font-medium">{d.label}</span>: {d.value}
              </li>
            ))}
          </ul>
        </details>
      )}
    </li>
  );
}

/** Per stage: would this version pass its gates now? So engineers see what would block before they ask. */
export function ReadinessPanel({ model, readiness }: { model: string; readiness: Readiness[] }) {
  if (!readiness.length) return null;
  const policy = readiness[0].policy;
  return (
    <section aria-labelledby="readiness-heading" className="mt-8">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="readiness-heading" className="text-lg font-semibold">
          Readiness
        </h2>
        <p className="text-sm text-slate-700 dark:text-slate-300">
          Judged by the organisation default v{policy.defaultVersion} and{" "}
          <Link className={linkStyles} href={`/models/${model}/policy`}>
            {policy.modelVersion ? `${model}'s policy v${policy.modelVersion}` : `${model}'s policy (none yet)`}
          </Link>
        </p>
      </div>
      {readiness[0].notes.map((n) => (
        <p key={n} className="mb-2 text-sm text-amber-800 dark:text-amber-200">
          {n}
        </p>
      ))}
      <div className="grid gap-4 lg:grid-cols-2">
        {readiness.map((r) => (
          <Card key={r.stage}>
            <div className="mb-1 flex flex-wrap items-center gap-2">
              <h3 className="text-base font-semibold">
                {r.stage} <span className="font-normal text-slate-700 dark:text-slate-300">(@{r.alias})</span>
              </h3>
              {r.status === "ready" ? <Badge tone="good">ready</Badge> : <Badge tone="bad">{r.freeze.frozen && r.counts.fail + r.counts["missing-evidence"] === 0 ? "frozen" : "blocked"}</Badge>}
            </div>
            <p className="text-sm">{r.summary}</p>
            {r.results.length > 0 && (
              <ul aria-label={`Gates for ${r.stage}`} className="mt-2 divide-y divide-slate-200 dark:divide-slate-800">
                {[...r.results].sort((a, b) => GATE_ORDER[a.status] - GATE_ORDER[b.status]).map((g) => (
                  <GateRow key={g.id} r={g} />
                ))}
              </ul>
            )}
          </Card>
        ))}
      </div>
    </section>
  );
}
