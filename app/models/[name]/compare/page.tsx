import type { Metadata } from "next";
import { ReproBadge } from "@/components/models/badges";
import { Forbidden } from "@/components/ui/forbidden";
import { BackLink, Badge, EmptyState, PageHeader, Table, cell } from "@/components/ui/layout";
import { buttonStyles, inputStyles } from "@/components/ui/styles";
import { orNotFound } from "@/lib/api/page-data";
import { checkPagePermission } from "@/lib/auth/actor";
import { getModel } from "@/lib/registry/models";
import { listReports } from "@/lib/registry/reports";
import { compareMetric } from "@/lib/registry/rules";
import { getVersion, listVersions } from "@/lib/registry/versions";
import type { VersionView } from "@/lib/registry/views";

export const metadata: Metadata = { title: "Compare versions" };

type Metrics = { metrics: Record<string, number>; direction?: Record<string, "higher" | "lower">; dataset: { name: string } };

function differences(a: VersionView, b: VersionView): { field: string; a: string; b: string }[] {
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

export default async function ComparePage({ params, searchParams }: { params: Promise<{ name: string }>; searchParams: Promise<{ a?: string; b?: string }> }) {
  const gate = await checkPagePermission("registry.read");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  const { name } = await params;
  const q = await searchParams;
  const model = await orNotFound(getModel({ actor: gate.actor, name }));
  const all = (await listVersions({ actor: gate.actor, model: name, query: { limit: 200 } })).items;
  const aliasVersion = (alias: string) => model.aliases.find((x) => x.alias === alias)?.version;
  // Challenger against champion by default, else the two newest versions.
  const aNum = q.a ?? String(aliasVersion("challenger") ?? all[0]?.version ?? "");
  const bNum = q.b ?? String(aliasVersion("champion") ?? all[1]?.version ?? "");
  if (!aNum || !bNum || all.length < 2) {
    return (
      <>
        <PageHeader title={`Compare ${name} versions`} />
        <EmptyState title="Two versions are needed to compare">This model has {all.length} version{all.length === 1 ? "" : "s"}.</EmptyState>
      </>
    );
  }
  const load = (v: string) => Promise.all([getVersion({ actor: gate.actor, model: name, version: v }), listReports({ actor: gate.actor, model: name, version: v, kind: "offline-metrics" })]);
  const [[a, aReports], [b, bReports]] = await orNotFound(Promise.all([load(aNum), load(bNum)]));
  const am = aReports.find((r) => r.current)?.payload as Metrics | undefined;
  const bm = bReports.find((r) => r.current)?.payload as Metrics | undefined;
  const metricNames = [...new Set([...Object.keys(am?.metrics ?? {}), ...Object.keys(bm?.metrics ?? {})])].sort();
  const label = (v: VersionView) => `v${v.version}${v.aliases.length ? ` (@${v.aliases.join(", @")})` : ""}`;
  const diffs = differences(a, b);
  return (
    <>
      <BackLink href={`/models/${name}`}>{name}</BackLink>
      <PageHeader title={`${name}: ${label(a)} against ${label(b)}`} description="Deltas are the first version minus the second; better or worse follows each metric's direction." />
      <form action={`/models/${name}/compare`} className="mb-6 flex flex-wrap items-end gap-3" aria-label="Choose versions to compare">
        {(["a", "b"] as const).map((key) => (
          <div key={key}>
            <label htmlFor={`compare-${key}`} className="block text-sm font-medium">
              {key === "a" ? "Version" : "against"}
            </label>
            <select id={`compare-${key}`} name={key} defaultValue={key === "a" ? aNum : bNum} className={inputStyles}>
              {all.map((v) => (
                <option key={v.version} value={v.version}>
                  {label(v)}
                </option>
              ))}
            </select>
          </div>
        ))}
        <button type="submit" className={`${buttonStyles.base} ${buttonStyles.secondary}`}>
          Compare
        </button>
      </form>
      <div className="mb-4 flex flex-wrap gap-6 text-sm">
        <span>
          {label(a)}: <ReproBadge reproducible={a.reproducible} missing={a.notReproducibleBecauseMissing} />
        </span>
        <span>
          {label(b)}: <ReproBadge reproducible={b.reproducible} missing={b.notReproducibleBecauseMissing} />
        </span>
      </div>
      <section aria-labelledby="metrics-heading" className="mb-8">
        <h2 id="metrics-heading" className="mb-3 text-lg font-semibold">
          Offline metrics
        </h2>
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
                  <td className={cell}>{x ?? "—"}</td>
                  <td className={cell}>{y ?? "—"}</td>
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
        <h2 id="diff-heading" className="mb-3 text-lg font-semibold">
          Lineage and environment
        </h2>
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
