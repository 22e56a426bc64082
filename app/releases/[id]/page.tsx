import type { Metadata } from "next";
import { CommentActionButton } from "@/components/promotions/comment-action";
import { ReleaseDecisionButton, type WaitingMember } from "@/components/releases/decision-form";
import { ReleaseMembers } from "@/components/releases/release-members";
import { RuleChecks } from "@/components/releases/rule-checks";
import { ReleaseStatusBadge } from "@/components/releases/status-badge";
import { Forbidden } from "@/components/ui/forbidden";
import { Alert, BackLink, Card, PageHeader } from "@/components/ui/layout";
import { Time } from "@/components/ui/time";
import { cancelReleaseAction, rollbackReleaseAction } from "@/app/releases/actions";
import { orNotFound } from "@/lib/api/page-data";
import { checkPagePermission } from "@/lib/auth/actor";
import { getRelease, releaseTimeline } from "@/lib/releases/views";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `Release ${(await params).id}` };
}

const NOTICES: Record<string, string> = {
  cancelled: "The release is cancelled: its open members are cancelled and nothing moves.",
  "rolled-back": "The release is rolled back: every member's alias points at the version it held before the release.",
};

export default async function ReleasePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ done?: string }> }) {
  const gate = await checkPagePermission("registry.read");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  const actor = gate.actor;
  const { id } = await params;
  const notice = NOTICES[(await searchParams).done ?? ""];
  const [r, timeline] = await orNotFound(Promise.all([getRelease({ actor, id }), releaseTimeline({ actor, id })]));

  // Which members the approver's decision lands on (lib/releases/views.ts works it out as decideRelease does).
  const user = actor.kind === "user" ? actor : null;
  const waiting: WaitingMember[] = [];
  const others: { label: string; reason: string }[] = [];
  for (const m of r.memberViews) {
    const label = `#${m.number} ${m.model} v${m.version}`;
    if (m.forYou.reason !== null) others.push({ label, reason: m.forYou.reason });
    else waiting.push({ label, roles: m.forYou.roles, move: m.status === "blocked" ? `blocked: ${m.statusReason ?? "its gates do not pass"}` : m.move.sentence, blocked: m.status === "blocked" });
  }
  const signature = r.memberViews.some((m) => m.approvals.electronicSignature);
  const alias = (m: (typeof r.memberViews)[number]) => `${m.model}@${m.alias}`;
  const backTo = r.memberViews.filter((m) => m.status === "applied").map((m) => `${alias(m)} back to ${m.move.from === null ? "nothing" : `v${m.move.from}`}`);
  const rollingOut = r.memberViews.filter((m) => m.status === "rolling-out").map((m) => `${m.model} v${m.version}`);

  return (
    <>
      <BackLink href="/releases">Releases</BackLink>
      <PageHeader
        title={`Release ${r.number}: ${r.name}`}
        description={`${r.members.length} models promoted together, all or nothing: ${r.memberViews.map((m) => `${m.model} v${m.version} → ${m.stage}`).join(", ")}.`}
        actions={
          <>
            {user && <ReleaseDecisionButton id={r.id} number={r.number} available={r.can.decide && waiting.length > 0} signature={signature} waiting={waiting} others={others} />}
            {r.can.rollback && (
              <CommentActionButton
                action={rollbackReleaseAction.bind(null, r.id)}
                label="Roll back release"
                title={`Roll back release ${r.number}`}
                description={
                  <>
                    <p>
                      {backTo.length ? `Every member's alias is repointed to the version it held before the release (${backTo.join("; ")}), all in one change: the serving layer never sees half of the release.` : ""}
                      {rollingOut.length ? `${backTo.length ? " " : ""}The rollouts still in progress (${rollingOut.join(", ")}) stop and their challengers get no more traffic; those aliases have not moved.` : ""}
                    </p>
                    <p className="mt-2">It is refused, naming the alias, if any alias has moved on since the release or the version it would go back to is archived.</p>
                  </>
                }
                submitLabel="Roll back release"
                variant="danger"
                commentLabel="Why (recorded on every member and in the audit log)"
              />
            )}
            {r.can.cancel && (
              <CommentActionButton
                action={cancelReleaseAction.bind(null, r.id)}
                label="Cancel release"
                title={`Cancel release ${r.number}`}
                description={`Every member still open is cancelled${r.status === "rolling-out" ? " and the rollouts in progress stop (challengers get no more traffic)" : ""}; nothing moves.`}
                submitLabel="Cancel release"
                variant="danger"
              />
            )}
          </>
        }
      />
      {notice && (
        <div className="mb-4">
          <Alert tone="success">{notice}</Alert>
        </div>
      )}
      <div className="grid gap-4 lg:grid-cols-3">
        <Card title="Status" className="lg:col-span-2">
          <div className="flex flex-wrap items-center gap-2">
            <ReleaseStatusBadge status={r.status} />
          </div>
          {r.statusReason && <p className="mt-2 text-sm">{r.statusReason}</p>}
          <h3 className="mt-4 text-sm font-semibold">Justification</h3>
          <p className="mt-1 whitespace-pre-wrap text-sm">{r.justification}</p>
        </Card>
        <Card title="Release">
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
            <dt className="text-slate-700 dark:text-slate-300">Requested by</dt>
            <dd>{r.requester}</dd>
            <dt className="text-slate-700 dark:text-slate-300">Requested</dt>
            <dd>
              <Time value={r.createdAt} />
            </dd>
            {r.appliedAt && (
              <>
                <dt className="text-slate-700 dark:text-slate-300">Applied</dt>
                <dd>
                  <Time value={r.appliedAt} />
                </dd>
              </>
            )}
            {r.rolledBackAt && (
              <>
                <dt className="text-slate-700 dark:text-slate-300">Rolled back</dt>
                <dd>
                  <Time value={r.rolledBackAt} />
                </dd>
              </>
            )}
            {r.closedAt && (
              <>
                <dt className="text-slate-700 dark:text-slate-300">Closed</dt>
                <dd>
                  <Time value={r.closedAt} />
                </dd>
              </>
            )}
            <dt className="text-slate-700 dark:text-slate-300">Last change</dt>
            <dd>
              <Time value={r.updatedAt} />
            </dd>
          </dl>
        </Card>
      </div>

      <section aria-labelledby="members-heading" className="mt-8">
        <h2 id="members-heading" className="mb-1 text-lg font-semibold">
          Members ({r.memberViews.length})
        </h2>
        <p className="mb-3 text-sm text-slate-700 dark:text-slate-300">Each member is a promotion request with its own gates and approvals. None applies until every one is approved; then all apply together.</p>
        <ReleaseMembers members={r.memberViews} />
      </section>

      <section aria-labelledby="rules-heading" className="mt-8">
        <h2 id="rules-heading" className="mb-1 text-lg font-semibold">
          Compatibility rules
        </h2>
        <p className="mb-3 text-sm text-slate-700 dark:text-slate-300">
          The rules declared with the release and those of the members&apos; policies, checked against what the release would leave in place. {r.status === "open" ? "Checked now" : "Last checked"} <Time value={r.checkedAt} />.
        </p>
        <RuleChecks checks={r.checks} />
      </section>

      <section aria-labelledby="timeline-heading" className="mt-8">
        <h2 id="timeline-heading" className="mb-3 text-lg font-semibold">
          Timeline
        </h2>
        {timeline.length ? (
          <ol className="space-y-2 border-l border-slate-300 pl-4 dark:border-slate-700" aria-label="Release timeline">
            {timeline.map((e) => (
              <li key={e.id} className="text-sm">
                <Time value={e.at} /> · <span className="font-medium">{e.actor}</span> · <span className="font-mono text-xs">{e.action}</span>
                {e.reason && <p className="text-slate-700 dark:text-slate-300">{e.reason}</p>}
              </li>
            ))}
          </ol>
        ) : (
          <p className="text-sm">Nothing recorded yet.</p>
        )}
        <p className="mt-3 text-sm text-slate-700 dark:text-slate-300">Each member&apos;s own decisions and alias moves are on its request page.</p>
      </section>
    </>
  );
}
