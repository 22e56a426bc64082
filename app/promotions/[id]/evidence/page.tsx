import type { Metadata } from "next";
import Link from "next/link";
import { Forbidden } from "@/components/ui/forbidden";
import { BackLink, Badge, Card, PageHeader, Table, cell } from "@/components/ui/layout";
import { PrintButton } from "@/components/ui/print-button";
import { buttonStyles, linkStyles } from "@/components/ui/styles";
import { orNotFound } from "@/lib/api/page-data";
import { checkPagePermission } from "@/lib/auth/actor";
import { verifyEvidenceBundle } from "@/lib/promotions/bundle-verify";
import { evidenceBundle } from "@/lib/promotions/evidence-bundle";
import { lastVerification } from "@/lib/audit/verifications";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  return { title: `Evidence for promotion request ${(await params).id}` };
}

const short = (h: string) => `${h.slice(0, 12)}…`;
// Scrollable, so reachable by keyboard (focusable, named) as well as by mouse.
const Pre = ({ label, children }: { label: string; children: string }) => (
  <pre tabIndex={0} role="region" aria-label={label} className="max-h-96 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-100 p-2 font-mono text-xs print:max-h-none dark:bg-slate-800">
    {children}
  </pre>
);

/** The evidence bundle for people: the same document as GET /api/v1/promotions/{id}/evidence, printable. */
export default async function EvidencePage({ params }: { params: Promise<{ id: string }> }) {
  const gate = await checkPagePermission("audit.export");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  const { id } = await params;
  const b = await orNotFound(evidenceBundle({ actor: gate.actor, id }));
  const check = verifyEvidenceBundle(b);
  const chain = await lastVerification({ actor: gate.actor }).catch(() => null);
  const r = b.request;
  return (
    <article className="space-y-6">
      <div className="print:hidden">
        <BackLink href={`/promotions/${r.id}`}>Request #{r.number}</BackLink>
      </div>
      <PageHeader
        title={`Evidence: request #${r.number}, ${r.model} v${r.version} → ${r.stage}`}
        description={`Generated ${b.generatedAt} by ${b.generatedBy}. Bundle digest ${b.digest}.`}
        actions={
          <>
            <PrintButton />
            <a className={`${buttonStyles.base} ${buttonStyles.secondary} print:hidden`} href={`/api/v1/promotions/${r.id}/evidence`} download>
              Download JSON
            </a>
          </>
        }
      />
      <Card title="Verification">
        <p className="mb-2 text-sm">
          {check.ok ? <Badge tone="good">verifies</Badge> : <Badge tone="bad">does not verify</Badge>} This bundle against the audit events it carries. Re-verify an archived copy with <code>npm run gatehouse -- evidence verify &lt;file&gt;</code>, and check those events against the live log (docs/audit.md).
        </p>
        <p className="mb-2 text-sm">
          The audit chain itself:{" "}
          {chain ? `${chain.ok ? "intact" : `broken at event ${chain.firstBrokenId}`} when last verified, ${chain.verifiedAt.replace("T", " ").replace(/\.\d+Z$/, " UTC")} by ${chain.verifiedBy}.` : "not verified yet."}{" "}
          <Link className={linkStyles} href="/audit">
            Verify it on the audit page
          </Link>
          .
        </p>
        <ul className="space-y-0.5 text-sm" aria-label="Verification checks">
          {check.checks.map((c) => (
            <li key={c.name}>
              <span aria-hidden="true">{c.ok ? "✓" : "✗"}</span>
              <span className="sr-only">{c.ok ? "passed: " : "failed: "}</span> <span className="font-medium">{c.name}</span>: {c.detail}
            </li>
          ))}
        </ul>
      </Card>
      <Card title="Request">
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          {[
            ["Model", `${r.model} (team ${r.team}, ${r.riskTier})`],
            ["Move", b.aliasChange ? `${b.aliasChange.alias}: v${b.aliasChange.fromVersion ?? "—"} → v${b.aliasChange.toVersion} at ${b.aliasChange.at} (${b.aliasChange.via})` : `${r.model}@${r.alias} (not moved)`],
            ["Status", `${r.status}${r.statusReason ? `: ${r.statusReason}` : ""}`],
            ["Requested", `${r.requestedAt} by ${r.requester}`],
            ["Justification", r.justification],
            ["Emergency", r.emergency ? `yes${r.review.reviewedAt ? `; reviewed ${r.review.reviewedAt} by ${r.review.reviewedBy}: ${r.review.comment}` : "; review due"}` : "no"],
            ["Evidence hash", r.evidenceHash],
          ].map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-slate-700 dark:text-slate-300">{k}</dt>
              <dd className="break-all">{v}</dd>
            </div>
          ))}
        </dl>
      </Card>
      <Card title={`Decisions (${b.decisions.length})`}>
        {b.decisions.length === 0 ? (
          <p className="text-sm">No decisions.</p>
        ) : (
          <ol className="space-y-3 text-sm">
            {b.decisions.map((d) => (
              <li key={d.id}>
                <p>
                  <span className="font-medium">{d.user}</span> ({d.roles.join(", ")}): {d.decision}, {d.decidedAt}, round {d.round}, {d.state}
                </p>
                <p className="whitespace-pre-wrap">{d.comment}</p>
                {d.signature && <p className="text-xs">Signed: {d.signature.statement} (sha256 {d.signature.hash})</p>}
              </li>
            ))}
          </ol>
        )}
      </Card>
      <Card title="Gates">
        <p className="mb-2 text-sm">{b.gates.readiness.summary} Evaluated {b.gates.evaluatedAt}.</p>
        <Table caption="Gate results" head={["Gate", "Status", "Result", "Reports used"]}>
          {b.gates.readiness.results.map((g) => (
            <tr key={g.id}>
              <td className={`${cell} font-mono text-xs`}>{g.id}</td>
              <td className={cell}>{g.status}</td>
              <td className={cell}>{g.summary}</td>
              <td className={`${cell} font-mono text-xs`}>{g.evidence.join(", ") || "—"}</td>
            </tr>
          ))}
        </Table>
      </Card>
      <Card title={`Version ${r.model} v${b.version.version}`}>
        <Pre label="Version record">{JSON.stringify({ artifact: b.version.artifact, lineage: b.version.lineage, environment: b.version.environment, signature: b.version.signature, registeredBy: b.version.registeredBy, registeredAt: b.version.registeredAt }, null, 2)}</Pre>
        <h3 className="mt-4 text-sm font-semibold">Reports ({b.reports.length})</h3>
        <ul className="space-y-2 text-sm">
          {b.reports.map((rep) => (
            <li key={rep.id}>
              <p>
                <span className="font-mono text-xs">{rep.id}</span> {rep.kind}, {rep.createdAt}, by {rep.createdBy}
              </p>
              <Pre label={`${rep.kind} report ${rep.id}`}>{JSON.stringify(rep.payload)}</Pre>
            </li>
          ))}
        </ul>
      </Card>
      <Card title="Policy">
        <h3 className="text-sm font-semibold">Organisation default v{b.policy.default.version}</h3>
        <Pre label="Organisation default policy">{b.policy.default.document}</Pre>
        {b.policy.model && (
          <>
            <h3 className="mt-3 text-sm font-semibold">Model policy v{b.policy.model.version}</h3>
            <Pre label="Model policy">{b.policy.model.document}</Pre>
          </>
        )}
      </Card>
      <Card title={`Audit events (${b.auditEvents.length})`}>
        <Table caption="The request's audit events with their hashes" head={["Id", "Time (UTC)", "Actor", "Action", "Reason", "Previous hash", "Hash"]}>
          {b.auditEvents.map((e) => (
            <tr key={e.id}>
              <td className={cell}>{e.id}</td>
              <td className={`${cell} whitespace-nowrap`}>{e.occurredAt}</td>
              <td className={cell}>{e.actorLabel}</td>
              <td className={`${cell} font-mono text-xs`}>{e.action}</td>
              <td className={cell}>{e.reason ?? ""}</td>
              <td className={`${cell} font-mono text-xs`} title={e.prevHash}>
                {short(e.prevHash)}
              </td>
              <td className={`${cell} font-mono text-xs`} title={e.hash}>
                {short(e.hash)}
              </td>
            </tr>
          ))}
        </Table>
      </Card>
      <p className="text-sm print:hidden">
        <Link className={linkStyles} href={`/audit?model=${encodeURIComponent(r.model)}`}>
          The model&apos;s full audit log
        </Link>
      </p>
    </article>
  );
}
