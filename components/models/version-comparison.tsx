import { Badge, EmptyState, Table, cell } from "@/components/ui/layout";
import { compareMetric } from "@/lib/registry/rules";
import type { VersionView } from "@/lib/registry/views";

export type Metrics = { metrics: Record<string, number>; direction?: Record<string, "higher" | "lower">; dataset: { name: string } };

export function differences(a: VersionView, b: VersionView): { field: string; a: string; b: string }[] {
  const rows: [string, unknown, unknown][] = [
    ["Commit SHA", a.lineage.commitSha, b.lineage.commitSha],
    ["Code repository", a.lineage.codeRepository, b.lineage.codeRepository],
    ["Data snapshot", a.lineage.dataSnapshotUri, b.lineage.dataSnapshotUri],
    ["Data hash", a.lineage.dataHash, b.lineage.dataHash],
    ["Feature set", a.lineage.featureSet && `${a.lineage.featureSet.name} v${a.lineage.featureSet.version}`, b.lineage.featureSet && `${b.lineage.featureSet.name} v${b.lineage.featureSet.version}`],
    ["Hyper-parameters", JSON.stringify(a.lineage.hyperparameters), JSON.stringify(b.lineage.hyperparameters)],
    ["Image digest", a.environment.imageDigest, b.environment.imageDigest],
    ["Lockfile hash", a.environment.lockfileHash, b.environment.lockfileHash],
    ["Runtime", a.environment.runtime, b.environment.runtime],
    ["Accelerator", a.environment.accelerator, b.environment.accelerator],
    ["Resource class", a.environment.resourceClass, b.environment.resourceClass],
    ["Artifact checksum", a.artifact.checksum, b.artifact.checksum],
  ];
  return rows.map(([field, x, y]) => ({ field, a: x ? String(x) : "—", b: y ? String(y) : "—" }));
}

/** Two versions side by side: offline metrics with deltas and verdicts, then lineage and environment differences. */
export function VersionComparison({ a, b, am, bm, headingLevel = 2 }: { a: VersionView; b: VersionView; am: Metrics | undefined; bm: Metrics | undefined; headingLevel?: 2 | 3 }) {
  const metricNames = [...new Set([...Object.keys(am?.metrics ?? {}), ...Object.keys(bm?.metrics ?? {})])].sort();
  const label = (v: VersionView) => `v${v.version}${v.aliases.length ? ` (@${v.aliases.join(", @")})` : ""}`;
  const diffs = differences(a, b);
  const H = headingLevel === 2 ? "h2" : "h3";
  return (
    <>
      <section aria-labelledby="metrics-heading" className="mb-8">
        <H id="metrics-heading" className="mb-3 text-lg font-semibold">
          Offline metrics
        </H>
        {metricNames.length === 0 ? (
          <EmptyState title="Neither version has an offline-metrics report" />
        ) : (
          <Table caption="Offline metrics compared" head={["Metric", label(a), label(b), "Delta", "Verdict"]}>
            {metricNames.map((m) => {
              const x = am?.metrics[m];
              const y = bm?.metrics[m];
              const c = x !== undefined && y !== undefined ? compareMetric(m, x, y, { ...bm?.direction, ...am?.direction }) : null;
              return (
                <tr key={m}>
                  <td className={`${cell} font-mono text-xs`}>{m}</td>
                  <td className={cell}>{x === undefined ? "—" : shown(x)}</td>
                  <td className={cell}>{y === undefined ? "—" : shown(y)}</td>
                  <td className={cell}>{c ? `${c.delta > 0 ? "+" : ""}${Number(c.delta.toPrecision(4))}` : "—"}</td>
                  <td className={cell}>
                    {c?.verdict === "better" && <Badge tone="good">▲ better</Badge>}
                    {c?.verdict === "worse" && <Badge tone="bad">▼ worse</Badge>}
                    {c?.verdict === "same" && <Badge>= same</Badge>}
                    {c && <span className="ml-1 text-xs text-slate-700 dark:text-slate-300">({c.direction} is better)</span>}
                  </td>
                </tr>
              );
            })}
          </Table>
        )}
      </section>
      <section aria-labelledby="diff-heading">
        <H id="diff-heading" className="mb-3 text-lg font-semibold">
          Lineage and environment
        </H>
        <Table caption="Lineage and environment compared" head={["Field", label(a), label(b), ""]}>
          {diffs.map((d) => (
            <tr key={d.field} className={d.a !== d.b ? "bg-amber-50 dark:bg-amber-950/40" : undefined}>
              <td className={cell}>{d.field}</td>
              <td className={`${cell} break-all font-mono text-xs`}>{d.a}</td>
              <td className={`${cell} break-all font-mono text-xs`}>{d.b}</td>
              <td className={cell}>{d.a !== d.b ? <Badge tone="warn">≠ differs</Badge> : <span className="text-xs">same</span>}</td>
            </tr>
          ))}
        </Table>
      </section>
    </>
  );
}

/** A metric as people read it: binary floating-point noise (0.9400000000000001) rounded off at 12 significant digits. */
function shown(value: number): number {
  return Number(value.toPrecision(12));
}
