import type { Metadata } from "next";
import Link from "next/link";
import { ReproBadge, StatusBadge } from "@/components/models/badges";
import { HashRow } from "@/components/models/hash-row";
import { ReportBody } from "@/components/models/report-view";
import { ReadinessPanel } from "@/components/policy/readiness-panel";
import { Forbidden } from "@/components/ui/forbidden";
import { BackLink, Alert, Badge, Card, EmptyState, PageHeader, Table, cell } from "@/components/ui/layout";
import { linkStyles } from "@/components/ui/styles";
import { Time } from "@/components/ui/time";
import { orNotFound } from "@/lib/api/page-data";
import { checkPagePermission } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { getModel } from "@/lib/registry/models";
import { RequestPromotionForm } from "@/components/promotions/request-form";
import { versionReadiness } from "@/lib/policy/readiness";
import { REPORT_KINDS, type ReportKind } from "@/lib/registry/report-schemas";
import { listReports } from "@/lib/registry/reports";
import { reportHasProblem } from "@/lib/registry/rules";
import { getVersion } from "@/lib/registry/versions";

export async function generateMetadata({ params }: { params: Promise<{ name: string; version: string }> }): Promise<Metadata> {
  const { name, version } = await params;
  return { title: `${name} v${version}` };
}

const https = (url: string | null | undefined) => (url && /^https?:\/\//.test(url) ? url : null);

export default async function VersionPage({ params }: { params: Promise<{ name: string; version: string }> }) {
  const gate = await checkPagePermission("registry.read");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  const { name, version } = await params;
  const load = async () => {
    const v = await getVersion({ actor: gate.actor, model: name, version });
    const [reports, readiness] = await Promise.all([listReports({ actor: gate.actor, model: name, version }), versionReadiness({ actor: gate.actor, model: name, version })]);
    const model = await getModel({ actor: gate.actor, name });
    return { v, reports, readiness, canRequest: can(gate.actor, "promotions.request", model.team.id) };
  };
  const { v, reports, readiness, canRequest } = await orNotFound(load());
  const current = reports.filter((r) => r.current).sort((x, y) => REPORT_KINDS.indexOf(x.kind as ReportKind) - REPORT_KINDS.indexOf(y.kind as ReportKind));
  const l = v.lineage;
  return (
    <>
      <BackLink href={`/models/${v.model}`}>{v.model}</BackLink>
      <PageHeader
        title={`${v.model} v${v.version}`}
        description={v.description || undefined}
        actions={
          <div className="flex flex-wrap items-center gap-2">
            <StatusBadge status={v.status} />
            <ReproBadge reproducible={v.reproducible} missing={v.notReproducibleBecauseMissing} />
            {v.aliases.map((a) => (
              <Badge key={a} tone="info">
                @{a}
              </Badge>
            ))}
          </div>
        }
      />
      {!v.reproducible && (
        <div className="mb-6">
          <Alert tone="warning" title="Not reproducible">
            This version cannot be rebuilt exactly: its {v.notReproducibleBecauseMissing.join(", ")} {v.notReproducibleBecauseMissing.length === 1 ? "is" : "are"} not recorded.
          </Alert>
        </div>
      )}
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Lineage">
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
            <HashRow label="Code repository" value={l.codeRepository} href={https(l.codeRepository)} />
            <HashRow label="Commit SHA" value={l.commitSha} />
            <HashRow label="Data snapshot" value={l.dataSnapshotUri} />
            <HashRow label="Data hash" value={l.dataHash} />
            <HashRow label="Feature set" value={l.featureSet ? `${l.featureSet.name} v${l.featureSet.version}` : null} copy={false} />
            <HashRow label="Training run" value={l.trainingRun?.id} href={https(l.trainingRun?.url)} />
            <HashRow label="Retrained from" value={l.parentVersion ? `v${l.parentVersion}` : null} href={null} copy={false} />
          </dl>
          {l.parentVersion && (
            <p className="mt-2 text-sm">
              <Link className={linkStyles} href={`/models/${v.model}/compare?a=${v.version}&b=${l.parentVersion}`}>
                Compare with v{l.parentVersion}
              </Link>
            </p>
          )}
          {Object.keys(l.hyperparameters).length > 0 && (
            <>
              <h3 className="mb-2 mt-4 text-sm font-semibold">Hyper-parameters</h3>
              <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 font-mono text-xs">
                {Object.entries(l.hyperparameters).map(([k, val]) => (
                  <div key={k} className="contents">
                    <dt>{k}</dt>
                    <dd>{String(val)}</dd>
                  </div>
                ))}
              </dl>
            </>
          )}
        </Card>
        <div className="space-y-6">
          <Card title="Artifact and environment">
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
              <HashRow label="Artifact" value={v.artifact.uri} />
              <HashRow label="Checksum" value={v.artifact.checksum} />
              <HashRow label="Image digest" value={v.environment.imageDigest} />
              <HashRow label="Lockfile hash" value={v.environment.lockfileHash} />
              <HashRow label="Runtime" value={v.environment.runtime} copy={false} />
              <HashRow label="Accelerator" value={v.environment.accelerator} copy={false} />
              <HashRow label="Resource class" value={v.environment.resourceClass} copy={false} />
              <dt className="text-sm text-slate-700 dark:text-slate-300">Registered</dt>
              <dd className="text-sm">
                <Time value={v.createdAt} /> by {v.registeredBy}
              </dd>
            </dl>
          </Card>
          <Card title="Signature">
            {v.signature ? (
              <Table caption="Model signature" head={["Direction", "Name", "Type"]}>
                {(["inputs", "outputs"] as const).flatMap((dir) =>
                  (v.signature![dir] as { name: string; type: string; optional?: boolean }[]).map((c) => (
                    <tr key={`${dir}-${c.name}`}>
                      <td className={cell}>{dir === "inputs" ? "input" : "output"}</td>
                      <td className={`${cell} font-mono text-xs`}>{c.name}</td>
                      <td className={cell}>
                        {c.type}
                        {c.optional ? " (optional)" : ""}
                      </td>
                    </tr>
                  )),
                )}
              </Table>
            ) : (
              <p className="text-sm text-slate-700 dark:text-slate-300">No signature was registered.</p>
            )}
          </Card>
        </div>
      </div>
      <ReadinessPanel model={v.model} readiness={readiness} />
      {canRequest && v.status === "ready" && (
        <section aria-labelledby="request-heading" className="mt-8">
          <h2 id="request-heading" className="mb-3 text-lg font-semibold">
            Request a promotion
          </h2>
          <Card>
            <RequestPromotionForm model={v.model} version={v.version} stages={readiness.map((r) => ({ name: r.stage, alias: r.alias, ready: r.status === "ready", holder: r.holder }))} />
          </Card>
        </section>
      )}
      <section aria-labelledby="reports-heading" className="mt-8">
        <h2 id="reports-heading" className="mb-3 text-lg font-semibold">
          Evaluation reports
        </h2>
        {current.length === 0 ? (
          <EmptyState title="No reports yet">Attach them with POST /api/v1/models/{v.model}/versions/{v.version}/reports.</EmptyState>
        ) : (
          <div className="space-y-4">
            {current.map((r) => (
              <Card key={r.id}>
                <div className="mb-3 flex flex-wrap items-center gap-2">
                  <h3 className="text-base font-semibold">{r.kind}</h3>
                  {reportHasProblem(r) && <Badge tone="bad">needs attention</Badge>}
                  <span className="text-xs text-slate-700 dark:text-slate-300">
                    <Time value={r.createdAt} /> by {r.createdBy}
                    {reports.filter((o) => o.kind === r.kind).length > 1 && ` · supersedes ${reports.filter((o) => o.kind === r.kind).length - 1} older`}
                  </span>
                </div>
                <ReportBody report={r} />
                <details className="mt-3">
                  <summary className="cursor-pointer text-sm text-indigo-700 dark:text-indigo-300">Raw JSON</summary>
                  <pre className="mt-2 max-h-80 overflow-auto rounded bg-slate-100 p-3 text-xs dark:bg-slate-800">{JSON.stringify(r.payload, null, 2)}</pre>
                </details>
              </Card>
            ))}
          </div>
        )}
      </section>
    </>
  );
}
