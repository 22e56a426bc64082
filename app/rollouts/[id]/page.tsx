import type { Metadata } from "next";
import Link from "next/link";
import { RolloutCharts } from "@/components/charts/rollout-charts";
import { CommentActionButton } from "@/components/promotions/comment-action";
import { CheckpointButton } from "@/components/rollouts/checkpoint-form";
import { RolloutSteps } from "@/components/rollouts/rollout-steps";
import { RolloutSummary } from "@/components/rollouts/rollout-summary";
import { Forbidden } from "@/components/ui/forbidden";
import { Alert, BackLink, Badge, Card, PageHeader } from "@/components/ui/layout";
import { linkStyles } from "@/components/ui/styles";
import { Time } from "@/components/ui/time";
import { controlRolloutAction } from "@/app/rollouts/actions";
import { orNotFound } from "@/lib/api/page-data";
import { checkPagePermission } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { getPromotion } from "@/lib/promotions/views";
import { describeStep } from "@/lib/rollouts/plan";
import { rolloutMetrics } from "@/lib/rollouts/series";
import { getRollout } from "@/lib/rollouts/views";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `Rollout ${(await params).id}` };
}

const NOTICES: Record<string, string> = {
  pause: "Paused. Rollback criteria still apply while it is paused.",
  resume: "Resumed. Time spent paused does not count towards the step's hold.",
  advance: "Advanced early.",
  abort: "Aborted: the challenger gets no traffic and the request is cancelled.",
  checkpoint: "Your decision at the checkpoint is recorded.",
};

export default async function RolloutPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ done?: string }> }) {
  const gate = await checkPagePermission("registry.read");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  const actor = gate.actor;
  const { id } = await params;
  const notice = NOTICES[(await searchParams).done ?? ""];
  const r = await orNotFound(getRollout({ actor, id }));
  const { metrics } = await rolloutMetrics({ actor, id: r.id });
  const request = await getPromotion({ actor, id: r.request.id });
  const teamId = request.teamId;
  const live = r.status === "running" || r.status === "paused" || r.status === "waiting";
  const lead = can(actor, "rollouts.control", teamId) && actor.kind === "user";
  const user = actor.kind === "user" ? actor : null;
  const roles = r.status === "waiting" ? (r.checkpoint?.roles ?? []) : [];
  const holdsRole = user !== null && user.grants.some((g) => roles.includes(g.role) && (g.teamId === null || g.teamId === teamId));
  const isRequester = user !== null && user.userId === request.requesterId;
  const registrant = user !== null && user.userId === request.registeredById;
  const nextStep = r.step ? r.step.index + 1 : 0;
  const next = nextStep < r.plan.steps.length ? `it moves to ${describeStep(r.plan, nextStep)}` : "it completes and the champion moves";
  const agreement = r.judgement?.agreement ?? [];

  return (
    <>
      <BackLink href="/rollouts">Rollouts</BackLink>
      <PageHeader
        title={`Rollout ${r.number}: ${r.model} v${r.challenger} against ${r.champion === null ? "no champion" : `v${r.champion}`}`}
        description={
          <>
            A {r.strategy} rollout to @{r.alias}, for{" "}
            <Link className={linkStyles} href={`/promotions/${r.request.id}`}>
              request #{r.request.number}
            </Link>
            . Started <Time value={r.startedAt} />.
            {r.release && (
              <>
                {" "}
                Part of{" "}
                <Link className={linkStyles} href={`/releases/${r.release.number}`}>
                  release {r.release.number}: {r.release.name}
                </Link>
                , whose members move together.
              </>
            )}
          </>
        }
        actions={
          <>
            {r.status === "waiting" && holdsRole && !isRequester && (
              <CheckpointButton id={r.id} number={r.number} checkpoint={r.waitingFor ?? "an approval"} next={next} signature={r.plan.signature} canApprove={!registrant} approveBlockedReason={registrant ? `You registered v${r.challenger}; someone else approves its rollout.` : null} />
            )}
            {lead && (r.status === "running" || r.status === "waiting") && (
              <CommentActionButton action={controlRolloutAction.bind(null, r.id, "pause")} label="Pause" title={`Pause rollout ${r.number}`} description="Traffic stays as it is and the rollout stops advancing. Rollback criteria still apply." submitLabel="Pause" />
            )}
            {lead && r.status === "paused" && (
              <CommentActionButton action={controlRolloutAction.bind(null, r.id, "resume")} label="Resume" title={`Resume rollout ${r.number}`} description="The rollout carries on; time spent paused does not count towards the step's hold." submitLabel="Resume" variant="primary" />
            )}
            {lead && !r.release && (r.status === "running" || r.status === "paused") && (
              <CommentActionButton action={controlRolloutAction.bind(null, r.id, "advance")} label="Advance early" title={`Advance rollout ${r.number} early`} description={`Skips the rest of this step's hold and verdict: ${next}. Approval checkpoints still need their approvers.`} submitLabel="Advance" />
            )}
            {lead && live && (
              <CommentActionButton action={controlRolloutAction.bind(null, r.id, "abort")} label="Abort" title={`Abort rollout ${r.number}`} description={r.release ? `The challenger gets no more traffic and @challenger is cleared; release ${r.release.number} stops with it, every member's rollout included.` : "The challenger gets no more traffic, @challenger is cleared and the request is cancelled."} submitLabel="Abort rollout" variant="danger" />
            )}
          </>
        }
      />
      {notice && (
        <div className="mb-4">
          <Alert tone="success">{notice}</Alert>
        </div>
      )}
      <RolloutSummary rollout={r} />
      <section aria-labelledby="charts-heading" className="mt-8">
        <h2 id="charts-heading" className="mb-3 text-lg font-semibold">
          Challenger against champion
        </h2>
        <Card>
          <RolloutCharts rolloutId={r.id} metrics={metrics} live={live || r.status === "watching"} />
        </Card>
      </section>
      <section aria-labelledby="steps-heading" className="mt-8">
        <h2 id="steps-heading" className="mb-3 text-lg font-semibold">
          Steps
        </h2>
        <RolloutSteps rollout={r} />
      </section>
      {agreement.length > 0 && (
        <section aria-labelledby="agreement-heading" className="mt-8">
          <h2 id="agreement-heading" className="mb-3 text-lg font-semibold">
            Live against offline
          </h2>
          <Card>
            <p className="mb-2 text-sm">Shadow stable for {r.judgement?.stableDays ?? 0} day(s). Live metrics next to the challenger&apos;s offline report; they agree within 5% (or 0.01).</p>
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Live against offline metrics</caption>
              <thead>
                <tr className="border-b border-slate-200 dark:border-slate-800">
                  <th scope="col" className="py-1 pr-3 font-semibold">Metric</th>
                  <th scope="col" className="py-1 pr-3 font-semibold">Live</th>
                  <th scope="col" className="py-1 pr-3 font-semibold">Offline</th>
                  <th scope="col" className="py-1 font-semibold">Agreement</th>
                </tr>
              </thead>
              <tbody>
                {agreement.map((a) => (
                  <tr key={a.metric} className="border-b border-slate-100 dark:border-slate-900">
                    <th scope="row" className="py-1 pr-3 font-mono font-normal">{a.metric}</th>
                    <td className="py-1 pr-3">{Number(a.live.toPrecision(4))}</td>
                    <td className="py-1 pr-3">{Number(a.offline.toPrecision(4))}</td>
                    <td className="py-1">
                      <Badge tone={a.agrees ? "good" : "warn"}>{a.agrees ? "agrees" : "differs"}</Badge>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        </section>
      )}
      {r.incidents.length > 0 && (
        <section aria-labelledby="incidents-heading" className="mt-8">
          <h2 id="incidents-heading" className="mb-3 text-lg font-semibold">
            Incidents
          </h2>
          <Card>
            <ul className="space-y-1 text-sm">
              {r.incidents.map((i) => (
                <li key={i.id}>
                  <Link className={linkStyles} href={`/incidents/${i.number}`}>
                    Incident {i.number}
                  </Link>{" "}
                  <Badge tone={i.status === "resolved" ? "good" : "bad"}>{i.status}</Badge> {i.title} · <Time value={i.openedAt} />
                </li>
              ))}
            </ul>
          </Card>
        </section>
      )}
    </>
  );
}
