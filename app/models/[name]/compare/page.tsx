import type { Metadata } from "next";
import { ReproBadge } from "@/components/models/badges";
import { VersionComparison, type Metrics } from "@/components/models/version-comparison";
import { Forbidden } from "@/components/ui/forbidden";
import { BackLink, EmptyState, PageHeader } from "@/components/ui/layout";
import { buttonStyles, inputStyles } from "@/components/ui/styles";
import { orNotFound } from "@/lib/api/page-data";
import { checkPagePermission } from "@/lib/auth/actor";
import { getModel } from "@/lib/registry/models";
import { listReports } from "@/lib/registry/reports";
import { getVersion, listVersions } from "@/lib/registry/versions";
import type { VersionView } from "@/lib/registry/views";

export const metadata: Metadata = { title: "Compare versions" };


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
  const label = (v: VersionView) => `v${v.version}${v.aliases.length ? ` (@${v.aliases.join(", @")})` : ""}`;
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
      <VersionComparison a={a} b={b} am={am} bm={bm} />
    </>
  );
}
