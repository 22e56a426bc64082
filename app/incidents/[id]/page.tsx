import type { Metadata } from "next";
import Link from "next/link";
import { EvidenceChart } from "@/components/charts/evidence-chart";
import { CommentActionButton } from "@/components/promotions/comment-action";
import { INCIDENT_TONES } from "@/components/rollouts/tones";
import { Forbidden } from "@/components/ui/forbidden";
import { Alert, BackLink, Badge, Card, PageHeader } from "@/components/ui/layout";
import { linkStyles } from "@/components/ui/styles";
import { Time } from "@/components/ui/time";
import { incidentAction } from "@/app/rollouts/actions";
import { orNotFound } from "@/lib/api/page-data";
import { checkPagePermission } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { getIncident } from "@/lib/rollouts/incidents";
import type { MetricJudgement } from "@/lib/stats";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `Incident ${(await params).id}` };
}

const NOTICES: Record<string, string> = { acknowledge: "Acknowledged: you own this incident now.", resolve: "Resolved." };
type Charts = Record<string, { challenger: { at: string; value: number }[]; champion: { at: string; value: number }[] }>;

export default async function IncidentPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ done?: string }> }) {
  const gate = await checkPagePermission("registry.read");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  const actor = gate.actor;
  const { id } = await params;
  const notice = NOTICES[(await searchParams).done ?? ""];
  const i = await orNotFound(getIncident({ actor, id }));
  const owner = actor.kind === "user" && can(actor, "rollouts.control", i.teamId);
  const criteria = (i.criteria ?? []) as MetricJudgement[];
  const evidence = (i.evidence ?? {}) as { window?: { from: string; to: string }; charts?: Charts };
  const charts = Object.entries(evidence.charts ?? {});
  return (
    <>
      <BackLink href="/incidents">Incidents</BackLink>
      <PageHeader
        title={`Incident ${i.number}: ${i.title}`}
        description={
          <>
            {i.kind === "watch-rollback" ? "Breached inside the watch window after completion; the champion was repointed back." : "Breached during the rollout; the challenger was rolled back automatically."} From{" "}
            <Link className={linkStyles} href={`/rollouts/${i.rollout.number}`}>
              rollout {i.rollout.number}
            </Link>{" "}
            ({i.rollout.strategy}, @{i.rollout.alias}): v{i.challenger} against {i.champion === null ? "no champion" : `v${i.champion}`}.
          </>
        }
        actions={
          <>
            {owner && i.status === "open" && (
              <CommentActionButton action={incidentAction.bind(null, i.id, "acknowledge")} label="Acknowledge" title={`Acknowledge incident ${i.number}`} description="You take ownership of the incident; the team sees who is on it." submitLabel="Acknowledge" variant="primary" />
            )}
            {owner && i.status !== "resolved" && (
              <CommentActionButton action={incidentAction.bind(null, i.id, "resolve")} label="Resolve" title={`Resolve incident ${i.number}`} description="Say what was found and what was done about it." submitLabel="Resolve" />
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
          <Badge tone={INCIDENT_TONES[i.status] ?? "neutral"}>{i.status}</Badge>
          <p className="mt-2 text-sm">
            Opened <Time value={i.openedAt} />.
          </p>
          {i.acknowledged && (
            <p className="mt-2 text-sm">
              Acknowledged by {i.acknowledged.by}, <Time value={i.acknowledged.at} />: {i.acknowledged.comment}
            </p>
          )}
          {i.resolved && (
            <p className="mt-2 text-sm">
              Resolved by {i.resolved.by}, <Time value={i.resolved.at} />: {i.resolved.comment}
            </p>
          )}
        </Card>
        <Card title="Breached criteria">
          <ul className="space-y-2 text-sm" aria-label="Breached criteria">
            {criteria.map((c) => (
              <li key={c.metric}>
                <span className="font-mono">{c.metric}</span> <Badge tone="bad">{c.outcome}</Badge>
                <p className="mt-1">{c.explanation}</p>
              </li>
            ))}
          </ul>
        </Card>
      </div>
      <section aria-labelledby="evidence-heading" className="mt-8">
        <h2 id="evidence-heading" className="mb-3 text-lg font-semibold">
          Evidence
        </h2>
        {charts.length === 0 ? (
          <Card>
            <p className="text-sm">No chart data was kept for this incident.</p>
          </Card>
        ) : (
          charts.map(([metric, series]) => (
            <Card key={metric} title={metric}>
              <EvidenceChart metric={metric} challenger={series.challenger} champion={series.champion} labels={{ challenger: `challenger v${i.challenger}`, champion: i.champion === null ? "champion" : `champion v${i.champion}` }} />
            </Card>
          ))
        )}
      </section>
    </>
  );
}

