import type { Metadata } from "next";
import Link from "next/link";
import { SyncOutcome, SyncStatus } from "@/components/mlflow/connector-status";
import { VersionComparison, type Metrics } from "@/components/models/version-comparison";
import { GATE_ORDER, GateRow } from "@/components/policy/readiness-panel";
import { CommentActionButton } from "@/components/promotions/comment-action";
import { DecisionButton } from "@/components/promotions/decision-form";
import { DecisionList } from "@/components/promotions/decision-list";
import { PromotionStatusBadge } from "@/components/promotions/status-badge";
import { RolloutSummary } from "@/components/rollouts/rollout-summary";
import { Forbidden } from "@/components/ui/forbidden";
import { Alert, BackLink, Badge, Card, PageHeader } from "@/components/ui/layout";
import { buttonStyles, linkStyles } from "@/components/ui/styles";
import { Time } from "@/components/ui/time";
import { cancelAction, resubmitAction, reviewAction } from "@/app/promotions/actions";
import { orNotFound } from "@/lib/api/page-data";
import { checkPagePermission } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { askedRolesHeld } from "@/lib/promotions/decide";
import { isOpen } from "@/lib/promotions/state";
import { getPromotion, promotionTimeline } from "@/lib/promotions/views";
import { RELEASE_STATUS_LABELS, type ReleaseStatus } from "@/lib/releases/state";
import { listReports } from "@/lib/registry/reports";
import { rolloutOfRequest } from "@/lib/rollouts/views";
import { getVersion } from "@/lib/registry/versions";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `Promotion request ${(await params).id}` };
}

const NOTICES: Record<string, string> = {
  decided: "Your decision is recorded.",
  cancelled: "The request is cancelled.",
  resubmitted: "Resubmitted: the gates ran again and a new round of approvals starts.",
  reviewed: "Your review is recorded.",
};

export default async function PromotionPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ done?: string }> }) {
  const gate = await checkPagePermission("registry.read");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  const { id } = await params;
  const notice = NOTICES[(await searchParams).done ?? ""];
  const actor = gate.actor;
  const [p, timeline] = await orNotFound(Promise.all([getPromotion({ actor, id }), promotionTimeline({ actor, id })]));
  const rollout = await rolloutOfRequest({ actor, requestId: p.id });
  const compareWith = p.move.from !== null && p.move.from !== p.version ? p.move.from : null;
  const side = (v: number) => Promise.all([getVersion({ actor, model: p.model, version: String(v) }), listReports({ actor, model: p.model, version: String(v), kind: "offline-metrics" })]);
  const [challenger, holder] = await Promise.all([side(p.version), compareWith !== null ? side(compareWith) : null]);
  const metrics = (reports: Awaited<ReturnType<typeof side>>[1]) => reports.find((r) => r.current)?.payload as Metrics | undefined;

  const user = actor.kind === "user" ? actor : null;
  const myRoles = user ? askedRolesHeld(user.grants, p.approvals.required, p.teamId) : [];
  const decidable = p.status === "awaiting-approval" || p.status === "blocked";
  const isRequester = user !== null && user.userId === p.requesterId;
  const canDecide = user !== null && decidable && !isRequester && myRoles.length > 0;
  const registrantBlocked = user !== null && p.registeredById === user.userId && p.approvals.lastStage;
  const approveBlockedReason = p.status === "blocked" ? `Not possible while the request is blocked: ${p.statusReason ?? "its gates do not pass"}` : registrantBlocked ? "You registered this version; someone else approves it for this stage." : null;
  const canCancel = (isOpen(p.status) || p.status === "rolling-out") && (isRequester || can(actor, "promotions.cancel-any", p.teamId));
  const involved = user !== null && (isRequester || p.decisions.some((d) => d.userId === user.userId));
  const canReview = p.reviewDue && !involved && can(actor, "promotions.review", p.teamId);
  const results = [...(p.gates.results ?? [])].sort((a, b) => GATE_ORDER[a.status] - GATE_ORDER[b.status]);

  return (
    <>
      <BackLink href="/promotions">Promotion requests</BackLink>
      <PageHeader
        title={`#${p.number} ${p.model} v${p.version} → ${p.stage}`}
        description={<span className="font-medium">{p.move.sentence}</span>}
        actions={
          <>
            {canDecide && <DecisionButton id={p.id} number={p.number} move={p.move.sentence} strategy={p.strategy} signature={p.approvals.electronicSignature} canApprove={!approveBlockedReason} approveBlockedReason={approveBlockedReason} roles={myRoles} />}
            {isRequester && p.status === "changes-requested" && (
              <CommentActionButton action={resubmitAction.bind(null, p.id)} label="Resubmit" title={`Resubmit request #${p.number}`} description="The gates run again and a new round of approvals starts." submitLabel="Resubmit" variant="primary" />
            )}
            {canReview && <CommentActionButton action={reviewAction.bind(null, p.id)} label="Review" title={`Review emergency promotion #${p.number}`} description="Record your review of this emergency change and its evidence." submitLabel="Record review" variant="primary" />}
            {can(actor, "audit.export", p.teamId) && (
              <Link className={`${buttonStyles.base} ${buttonStyles.secondary}`} href={`/promotions/${p.id}/evidence`}>
                Evidence
              </Link>
            )}
            {canCancel && <CommentActionButton action={cancelAction.bind(null, p.id)} label="Cancel request" title={`Cancel request #${p.number}`} description="The request closes; nothing moves." submitLabel="Cancel request" variant="danger" />}
          </>
        }
      />
      {notice && (
        <div className="mb-4">
          <Alert tone="success">
            {notice} The request is {p.statusLabel.toLowerCase()}
            {p.statusReason ? `: ${p.statusReason}` : "."}
          </Alert>
        </div>
      )}
      {p.release && (
        <div className="mb-4">
          <Alert tone="info">
            Part of{" "}
            {p.release.readable ? (
              <Link className={linkStyles} href={`/releases/${p.release.number}`}>
                release {p.release.number}: {p.release.name}
              </Link>
            ) : (
              <>release {p.release.number}, which also moves models of teams you cannot see,</>
            )}{" "}
            ({(RELEASE_STATUS_LABELS[p.release.status as ReleaseStatus] ?? p.release.status).toLowerCase()}): it applies only with the release, once every member is approved, and rolling it back rolls the whole release back.
          </Alert>
        </div>
      )}
      {p.emergency && (
        <div className="mb-4">
          <Alert tone="warning" title="Emergency promotion">
            {p.status === "applied" || p.status === "rolled-back" ? "Approved by an ML Lead and an admin instead of the policy's quorum, and applied directly. " : "Needs an ML Lead and an admin instead of the policy's quorum; it applies directly, even during a freeze. "}
            {p.review.reviewedAt ? `Reviewed by ${p.review.reviewedBy}: ${p.review.comment}` : p.status === "applied" ? "A compliance-officer review is due." : "A compliance-officer review follows once applied."}
          </Alert>
        </div>
      )}
      <div className="grid gap-4 lg:grid-cols-3">
        <Card title="Status" className="lg:col-span-2">
          <div className="flex flex-wrap items-center gap-2">
            <PromotionStatusBadge status={p.status} />
            {p.autoApplied && <Badge tone="info">applied automatically</Badge>}
          </div>
          {p.statusReason && <p className="mt-2 text-sm">{p.statusReason}</p>}
          {p.supersededBy && (
            <p className="mt-2 text-sm">
              Superseded by{" "}
              <Link className={linkStyles} href={`/promotions/${p.supersededBy.id}`}>
                request #{p.supersededBy.number}
              </Link>
              .
            </p>
          )}
          <h3 className="mt-4 text-sm font-semibold">Justification</h3>
          <p className="mt-1 whitespace-pre-wrap text-sm">{p.justification}</p>
        </Card>
        <Card title="Request">
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
            <dt className="text-slate-700 dark:text-slate-300">Requested by</dt>
            <dd>{p.requester}</dd>
            <dt className="text-slate-700 dark:text-slate-300">Requested</dt>
            <dd>
              <Time value={p.createdAt} />
            </dd>
            {isOpen(p.status) && (
              <>
                <dt className="text-slate-700 dark:text-slate-300">Expires</dt>
                <dd>
                  <Time value={p.expiresAt} />
                </dd>
              </>
            )}
            <dt className="text-slate-700 dark:text-slate-300">Rollout</dt>
            <dd>{p.strategy}</dd>
            <dt className="text-slate-700 dark:text-slate-300">Policy</dt>
            <dd>
              <Link className={linkStyles} href={`/models/${p.model}/policy`}>
                default v{p.policy.defaultVersion}, model v{p.policy.modelVersion}
              </Link>
            </dd>
            <dt className="text-slate-700 dark:text-slate-300">Version</dt>
            <dd>
              <Link className={linkStyles} href={`/models/${p.model}/versions/${p.version}`}>
                {p.model} v{p.version}
              </Link>
            </dd>
          </dl>
        </Card>
      </div>

      {p.mlflow && p.mlflow.length > 0 && (
        <section aria-labelledby="mlflow-heading" className="mt-8">
          <h2 id="mlflow-heading" className="mb-3 text-lg font-semibold">
            In MLflow
          </h2>
          <Card>
            <p className="mb-2 text-sm text-slate-700 dark:text-slate-300">
              {p.model} is governed through an MLflow connector: each alias move this request made is made in MLflow too ({p.mlflow[0].mlflow}), and retried until MLflow takes it.
            </p>
            <ul className="space-y-2 text-sm" aria-label="Alias moves in MLflow">
              {p.mlflow.map((s) => (
                <li key={s.id} className="flex flex-wrap items-center gap-2">
                  <SyncStatus sync={s} />
                  <span className="text-slate-600 dark:text-slate-400">{s.via}:</span>
                  <SyncOutcome sync={s} />
                </li>
              ))}
            </ul>
          </Card>
        </section>
      )}

      {rollout && (
        <section aria-labelledby="rollout-heading" className="mt-8">
          <h2 id="rollout-heading" className="mb-3 text-lg font-semibold">
            Rollout
          </h2>
          <RolloutSummary rollout={rollout} />
        </section>
      )}

      <section aria-labelledby="approvals-heading" className="mt-8">
        <h2 id="approvals-heading" className="mb-3 text-lg font-semibold">
          Approvals
        </h2>
        <Card>
          {p.approvals.automatic ? (
            <p className="text-sm">The policy asks for no approvals for {p.stage}: the request applies by itself once its gates pass.</p>
          ) : (
            <ul className="space-y-1 text-sm" aria-label="Approvals needed">
              {p.approvals.slots.map((s) => (
                <li key={s.role} className="flex flex-wrap items-center gap-2">
                  <Badge tone={s.filledBy.length >= s.count ? "good" : "warn"}>
                    {s.filledBy.length}/{s.count}
                  </Badge>
                  <span className="font-medium">{s.role}</span>
                  <span className="text-slate-700 dark:text-slate-300">{s.filledBy.length ? `by ${s.filledBy.map((f) => f.userLabel).join(", ")}` : "nobody yet"}</span>
                </li>
              ))}
            </ul>
          )}
          <p className="mt-3 text-xs text-slate-700 dark:text-slate-300">
            {p.approvals.electronicSignature ? "Decisions are signed electronically (password re-entry). " : ""}Approvals expire after {p.approvals.ttl} and go stale when the evidence changes (now{" "}
            <span className="font-mono">{p.evidenceHash.slice(0, 12)}</span>). Round {p.approvals.round}.
          </p>
          <DecisionList decisions={p.decisions} round={p.approvals.round} />
        </Card>
      </section>

      <section aria-labelledby="gates-heading" className="mt-8">
        <h2 id="gates-heading" className="mb-1 text-lg font-semibold">
          Gates for {p.stage}
        </h2>
        <p className="mb-3 text-sm text-slate-700 dark:text-slate-300">
          {p.gates.summary} Last run <Time value={p.evaluatedAt} />; they run again whenever a report, the @{p.alias} holder or the policy changes.
        </p>
        <Card>
          {results.length ? (
            <ul aria-label={`Gates for ${p.stage}`} className="divide-y divide-slate-200 dark:divide-slate-800">
              {results.map((g) => (
                <GateRow key={g.id} r={g} />
              ))}
            </ul>
          ) : (
            <p className="text-sm">No gates apply to this stage.</p>
          )}
        </Card>
      </section>

      <section aria-labelledby="compare-heading" className="mt-8">
        <h2 id="compare-heading" className="mb-3 text-lg font-semibold">
          {holder ? `v${p.version} against the current @${p.alias} (v${compareWith})` : `v${p.version}`}
        </h2>
        {holder ? (
          <VersionComparison a={challenger[0]} b={holder[0]} am={metrics(challenger[1])} bm={metrics(holder[1])} headingLevel={3} />
        ) : (
          <p className="text-sm">@{p.alias} has no holder to compare with; this request creates it.</p>
        )}
      </section>

      <section aria-labelledby="timeline-heading" className="mt-8">
        <h2 id="timeline-heading" className="mb-3 text-lg font-semibold">
          Timeline
        </h2>
        <ol className="space-y-2 border-l border-slate-300 pl-4 dark:border-slate-700">
          {timeline.map((e) => (
            <li key={e.id} className="text-sm">
              <Time value={e.at} /> · <span className="font-medium">{e.actor}</span> · <span className="font-mono text-xs">{e.action}</span>
              {e.reason && <p className="text-slate-700 dark:text-slate-300">{e.reason}</p>}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
