import Link from "next/link";
import { PromotionStatusBadge } from "@/components/promotions/status-badge";
import { STATUS_TONES } from "@/components/rollouts/tones";
import { Badge } from "@/components/ui/layout";
import { linkStyles } from "@/components/ui/styles";
import type { ReleaseView } from "@/lib/releases/views";

type Member = ReleaseView["memberViews"][number];

/** Members that closed without their alias ever moving: their move sentence ("moves from v1 to v2") no longer applies. */
const NOT_MOVED: readonly string[] = ["rejected", "cancelled", "expired", "superseded"];

/** "2 of 3 pass; 1 failing: lineage", or what the gate run says when there are none. */
function gateLine(m: Member) {
  const results = m.gates?.results ?? [];
  if (!results.length) return <span>No gates apply to {m.stage}.</span>;
  const named = (status: string) => results.filter((g) => g.status === status).map((g) => g.id);
  const pass = named("pass").length;
  const warn = named("warn").length;
  const groups = [
    { label: "failing", ids: named("fail") },
    { label: "missing evidence", ids: named("missing-evidence") },
  ].filter((g) => g.ids.length);
  return (
    <span>
      <Badge tone={m.gates.status === "ready" ? "good" : "bad"}>{m.gates.status}</Badge> {pass} of {results.length} pass{warn ? `, ${warn} with a warning` : ""}
      {groups.map((g) => (
        <span key={g.label}>
          ; {g.ids.length} {g.label}:{" "}
          {g.ids.map((id, i) => (
            <span key={id}>
              {i > 0 && ", "}
              <span className="font-mono">{id}</span>
            </span>
          ))}
        </span>
      ))}
      {!groups.length && m.gates.status !== "ready" && <span className="block">{m.gates.summary}</span>}
    </span>
  );
}

function approvalsLine(m: Member) {
  if (m.approvals.automatic) return <p className="text-sm">None: the policy asks for no approvals for {m.stage}.</p>;
  return (
    <ul className="space-y-1 text-sm" aria-label={`Approvals for #${m.number}`}>
      {m.approvals.slots.map((s, i) => {
        const missing = s.count - s.filledBy.length;
        return (
          <li key={`${s.role}-${i}`} className="flex flex-wrap items-center gap-2">
            <Badge tone={missing <= 0 ? "good" : "warn"}>
              {s.filledBy.length}/{s.count}
            </Badge>
            <span className="font-medium">{s.role}</span>
            <span className="text-slate-700 dark:text-slate-300">
              {s.filledBy.length ? `by ${s.filledBy.map((f) => f.userLabel).join(", ")}` : "nobody yet"}
              {missing > 0 && s.filledBy.length > 0 ? `; ${missing} more needed` : ""}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

function rolloutLine(m: Member) {
  const r = m.rollout;
  if (!r) return <p className="text-sm">{m.strategy === "direct" ? "None: the alias moves directly." : `A ${m.strategy} rollout starts when the release applies.`}</p>;
  return (
    <div className="text-sm">
      <p className="flex flex-wrap items-center gap-2">
        <Badge tone={STATUS_TONES[r.status] ?? "neutral"}>{r.statusLabel}</Badge>
        <Link className={linkStyles} href={`/rollouts/${r.number}`}>
          Rollout {r.number}
        </Link>
        <span>
          {r.mode === "none" ? "no challenger traffic" : r.mode === "shadow" ? "shadow (mirrored traffic)" : `${r.mode} ${r.trafficPercent}%`}
          {r.steps ? `, step ${Math.min(r.step, r.steps)} of ${r.steps}` : ""}
        </span>
      </p>
      {r.statusReason && <p className="mt-1 text-slate-700 dark:text-slate-300">{r.statusReason}</p>}
    </div>
  );
}

/** Each member of a release: what it moves, where it is and why, its gates, approvals and rollout. */
export function ReleaseMembers({ members }: { members: Member[] }) {
  return (
    <ul className="grid gap-4 lg:grid-cols-2" aria-label="Members">
      {members.map((m) => (
        <li key={m.id} className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900">
          <h3 className="text-base font-semibold">
            <Link className={linkStyles} href={`/promotions/${m.id}`}>
              #{m.number} {m.model} v{m.version} → {m.stage}
            </Link>
          </h3>
          <p className="mt-1 text-sm font-medium">{NOT_MOVED.includes(m.status) ? `${m.move.alias} was not moved to v${m.move.to}.` : m.move.sentence}</p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <PromotionStatusBadge status={m.status} />
            <span className="text-xs text-slate-700 dark:text-slate-300">team {m.team}</span>
          </div>
          {m.statusReason && <p className="mt-1 text-sm">{m.statusReason}</p>}
          <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-3 gap-y-2 text-sm">
            <dt className="font-medium text-slate-700 dark:text-slate-300">Gates</dt>
            <dd>{gateLine(m)}</dd>
            <dt className="font-medium text-slate-700 dark:text-slate-300">Approvals</dt>
            <dd>
              {approvalsLine(m)}
              {m.approvals.electronicSignature && <p className="mt-1 text-xs text-slate-700 dark:text-slate-300">Decisions are signed electronically.</p>}
            </dd>
            <dt className="font-medium text-slate-700 dark:text-slate-300">Rollout</dt>
            <dd>{rolloutLine(m)}</dd>
          </dl>
          <p className="mt-3 text-sm">
            <Link className={linkStyles} href={`/promotions/${m.id}`}>
              Request #{m.number}: gates, decisions and evidence
            </Link>
          </p>
        </li>
      ))}
    </ul>
  );
}
