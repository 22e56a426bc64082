import { Badge, Table, cell } from "@/components/ui/layout";
import { linkStyles } from "@/components/ui/styles";
import type { ReportView as Report } from "@/lib/registry/reports";

/* Renders each report kind as a reader wants it (see lib/registry/report-schemas.ts for the payloads). */

type Json = Record<string, unknown>;
const fmt = (n: unknown) => (typeof n === "number" ? (Number.isInteger(n) ? String(n) : n.toFixed(4).replace(/0+$/, "").replace(/\.$/, "")) : String(n ?? "—"));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function Pass({ ok }: { ok: boolean }) {
  return ok ? <Badge tone="good">✓ pass</Badge> : <Badge tone="bad">✗ fail</Badge>;
}

function OfflineMetrics({ p }: { p: Json }) {
  const metrics = p.metrics as Record<string, number>;
  return (
    <>
      <p className="mb-2 text-sm">Dataset: {(p.dataset as Json).name as string}</p>
      <Table caption="Offline metrics" head={["Metric", "Value"]}>
        {Object.entries(metrics).map(([k, v]) => (
          <tr key={k}>
            <td className={`${cell} font-mono text-xs`}>{k}</td>
            <td className={cell}>{fmt(v)}</td>
          </tr>
        ))}
      </Table>
    </>
  );
}

function Tests({ p }: { p: Json }) {
  const suites = p.suites as { name: string; kind: string; passed: number; failed: number; skipped: number; failures: { test: string; message: string }[] }[];
  return (
    <Table caption="Test suites" head={["Suite", "Kind", "Passed", "Failed", "Failures"]}>
      {suites.map((s) => (
        <tr key={s.name}>
          <td className={cell}>{s.name}</td>
          <td className={cell}>{s.kind}</td>
          <td className={cell}>{s.passed}</td>
          <td className={cell}>{s.failed > 0 ? <Badge tone="bad">{s.failed} failed</Badge> : "0"}</td>
          <td className={cell}>
            {(s.failures ?? []).map((f) => (
              <div key={f.test} className="text-xs">
                <strong>{f.test}</strong>: {f.message}
              </div>
            ))}
          </td>
        </tr>
      ))}
    </Table>
  );
}

function DataValidation({ p }: { p: Json }) {
  const checks = p.checks as { name: string; passed: boolean; details?: string }[];
  const failed = checks.filter((c) => !c.passed);
  return (
    <>
      <p className="mb-2 text-sm">{failed.length === 0 ? "All checks passed." : `${failed.length} of ${checks.length} checks failed.`}</p>
      <Table caption="Data validation checks" head={["Check", "Result", "Details"]}>
        {checks.map((c) => (
          <tr key={c.name}>
            <td className={cell}>{c.name}</td>
            <td className={cell}>
              <Pass ok={c.passed} />
            </td>
            <td className={cell}>{c.details ?? ""}</td>
          </tr>
        ))}
      </Table>
    </>
  );
}

function Drift({ p }: { p: Json }) {
  const features = p.features as { feature: string; reference?: number[]; current?: number[]; histogram?: { edges: number[]; reference: number[]; current: number[] } }[];
  return (
    <Table caption="Drift per feature" head={["Feature", "Reference", "Current", "Shift of the mean"]}>
      {features.map((f) => {
        if (f.reference && f.current) {
          const r = mean(f.reference);
          const c = mean(f.current);
          return (
            <tr key={f.feature}>
              <td className={`${cell} font-mono text-xs`}>{f.feature}</td>
              <td className={cell}>
                {f.reference.length} samples, mean {fmt(r)}
              </td>
              <td className={cell}>
                {f.current.length} samples, mean {fmt(c)}
              </td>
              <td className={cell}>{r === 0 ? "—" : `${((c - r) / Math.abs(r)) * 100 > 0 ? "+" : ""}${(((c - r) / Math.abs(r)) * 100).toFixed(1)}%`}</td>
            </tr>
          );
        }
        const h = f.histogram!;
        return (
          <tr key={f.feature}>
            <td className={`${cell} font-mono text-xs`}>{f.feature}</td>
            <td className={cell}>{h.reference.reduce((a, b) => a + b, 0)} in {h.reference.length} bins</td>
            <td className={cell}>{h.current.reduce((a, b) => a + b, 0)} in {h.current.length} bins</td>
            <td className={cell}>histogram</td>
          </tr>
        );
      })}
    </Table>
  );
}

function Fairness({ p }: { p: Json }) {
  const groups = p.groups as { group: string; count: number; positiveRate: number; truePositiveRate?: number; falsePositiveRate?: number }[];
  return (
    <>
      <p className="mb-2 text-sm">Attribute: {p.attribute as string}</p>
      <Table caption="Per-group rates" head={["Group", "Count", "Positive rate", "TPR", "FPR"]}>
        {groups.map((g) => (
          <tr key={g.group}>
            <td className={cell}>{g.group}</td>
            <td className={cell}>{g.count}</td>
            <td className={cell}>{fmt(g.positiveRate)}</td>
            <td className={cell}>{fmt(g.truePositiveRate)}</td>
            <td className={cell}>{fmt(g.falsePositiveRate)}</td>
          </tr>
        ))}
      </Table>
    </>
  );
}

function Latency({ p }: { p: Json }) {
  const pc = p.percentilesMs as { p50: number; p95: number; p99: number };
  return (
    <dl className="grid grid-cols-3 gap-3 text-sm sm:grid-cols-5">
      {[["p50", pc.p50], ["p95", pc.p95], ["p99", pc.p99]].map(([k, v]) => (
        <div key={k as string} className="rounded border border-slate-200 p-2 dark:border-slate-700">
          <dt className="text-xs text-slate-700 dark:text-slate-300">{k}</dt>
          <dd className="text-lg font-semibold">{v} ms</dd>
        </div>
      ))}
      {p.throughputRps !== undefined && (
        <div className="rounded border border-slate-200 p-2 dark:border-slate-700">
          <dt className="text-xs text-slate-700 dark:text-slate-300">throughput</dt>
          <dd className="text-lg font-semibold">{fmt(p.throughputRps)}/s</dd>
        </div>
      )}
    </dl>
  );
}

const SEVERITY_TONE = { critical: "bad", high: "bad", medium: "warn", low: "neutral", info: "neutral" } as const;

function SecurityScan({ p }: { p: Json }) {
  const findings = p.findings as { id: string; severity: keyof typeof SEVERITY_TONE; title: string; package?: string }[];
  if (findings.length === 0) return <p className="text-sm">No findings from {p.scanner as string}.</p>;
  return (
    <Table caption="Security findings" head={["Severity", "Finding", "Package"]}>
      {findings.map((f) => (
        <tr key={f.id}>
          <td className={cell}>
            <Badge tone={SEVERITY_TONE[f.severity]}>{f.severity}</Badge>
          </td>
          <td className={cell}>
            <span className="font-mono text-xs">{f.id}</span> {f.title}
          </td>
          <td className={cell}>{f.package ?? ""}</td>
        </tr>
      ))}
    </Table>
  );
}

function Observability({ p }: { p: Json }) {
  const links = p.links as { kind: string; title: string; url: string }[];
  return (
    <ul className="space-y-1 text-sm">
      {links.map((l) => (
        <li key={l.url}>
          <Badge>{l.kind}</Badge>{" "}
          <a className={linkStyles} href={l.url} rel="noreferrer noopener" target="_blank">
            {l.title}
          </a>
        </li>
      ))}
    </ul>
  );
}

export function ReportBody({ report }: { report: Report }) {
  const p = report.payload as Json;
  switch (report.kind) {
    case "offline-metrics":
      return <OfflineMetrics p={p} />;
    case "tests":
      return <Tests p={p} />;
    case "data-validation":
      return <DataValidation p={p} />;
    case "drift":
      return <Drift p={p} />;
    case "fairness":
      return <Fairness p={p} />;
    case "latency":
      return <Latency p={p} />;
    case "security-scan":
      return <SecurityScan p={p} />;
    case "observability":
      return <Observability p={p} />;
    default:
      return <pre className="overflow-x-auto rounded bg-slate-100 p-3 text-xs dark:bg-slate-800">{JSON.stringify(p, null, 2)}</pre>;
  }
}
