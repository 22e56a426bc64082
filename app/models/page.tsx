import type { Metadata } from "next";
import Link from "next/link";
import { AliasBadge, ReproBadge, RiskBadge } from "@/components/models/badges";
import { Forbidden } from "@/components/ui/forbidden";
import { EmptyState, PageHeader, Pagination, Table, cell } from "@/components/ui/layout";
import { buttonStyles, inputStyles, linkStyles } from "@/components/ui/styles";
import { Time } from "@/components/ui/time";
import { orNotFound } from "@/lib/api/page-data";
import { checkPagePermission } from "@/lib/auth/actor";
import { listTeams } from "@/lib/auth/teams";
import { listModels } from "@/lib/registry/models";
import { ZListModelsQuery } from "@/lib/registry/schemas";

export const metadata: Metadata = { title: "Models" };

export default async function ModelsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const gate = await checkPagePermission("registry.read");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  // An empty filter field arrives as "" and means "any".
  const raw = Object.fromEntries(Object.entries(await searchParams).filter(([, v]) => typeof v === "string" && v.trim() !== "")) as Record<string, string | undefined>;
  const parsed = ZListModelsQuery.safeParse({ ...raw, limit: 25 });
  const query = parsed.success ? parsed.data : { limit: 25 };
  const [page, teams] = await Promise.all([orNotFound(listModels({ actor: gate.actor, query })), listTeams({ actor: gate.actor })]);
  const filtered = Boolean(raw.q || raw.team || raw.tag || raw.riskTier);
  return (
    <>
      <PageHeader title="Models" description="Registered models, the versions their aliases point at, and their latest version." />
      <form role="search" aria-label="Filter models" action="/models" className="mb-4 grid gap-2 sm:grid-cols-[2fr_1fr_1fr_1fr_auto]">
        <label className="sr-only" htmlFor="models-q">Search models</label>
        <input id="models-q" name="q" type="search" defaultValue={raw.q ?? ""} placeholder="Search by name or description" className={inputStyles} />
        <label className="sr-only" htmlFor="models-team">Team</label>
        <select id="models-team" name="team" defaultValue={raw.team ?? ""} className={inputStyles}>
          <option value="">All teams</option>
          {teams.map((t) => (
            <option key={t.slug} value={t.slug}>
              {t.name}
            </option>
          ))}
        </select>
        <label className="sr-only" htmlFor="models-risk">Risk tier</label>
        <select id="models-risk" name="riskTier" defaultValue={raw.riskTier ?? ""} className={inputStyles}>
          <option value="">Any risk tier</option>
          <option value="regulated">Regulated</option>
          <option value="standard">Standard</option>
        </select>
        <label className="sr-only" htmlFor="models-tag">Tag (key=value)</label>
        <input id="models-tag" name="tag" defaultValue={raw.tag ?? ""} placeholder="tag: key=value" className={inputStyles} />
        <button type="submit" className={`${buttonStyles.base} ${buttonStyles.secondary}`}>
          Filter
        </button>
      </form>
      {!parsed.success && <p className="mb-3 text-sm text-red-700 dark:text-red-400" role="alert">{parsed.error.issues[0]?.message}; showing all models.</p>}
      {page.items.length === 0 ? (
        <EmptyState title={filtered ? "No models match these filters" : "No models registered yet"} action={filtered ? <Link className={linkStyles} href="/models">Clear the filters</Link> : undefined}>
          {filtered ? "Try fewer filters." : "Pipelines register models with POST /api/v1/models; see /api/v1/openapi.json."}
        </EmptyState>
      ) : (
        <Table caption="Models" head={["Model", "Team", "Risk", "Aliases", "Latest", "Updated"]}>
          {page.items.map((m) => (
            <tr key={m.name}>
              <td className={cell}>
                <Link className={linkStyles} href={`/models/${m.name}`}>
                  {m.name}
                </Link>
                <div className="max-w-md text-xs text-slate-700 dark:text-slate-300">{m.description}</div>
              </td>
              <td className={cell}>{m.team.name}</td>
              <td className={cell}>
                <RiskBadge tier={m.riskTier} />
              </td>
              <td className={cell}>
                <div className="flex flex-wrap gap-1">
                  {m.aliases.length === 0 ? "—" : m.aliases.map((a) => <AliasBadge key={a.alias} model={m.name} alias={a.alias} version={a.version} />)}
                </div>
              </td>
              <td className={cell}>
                {m.latestVersion ? (
                  <>
                    <Link className={linkStyles} href={`/models/${m.name}/versions/${m.latestVersion}`}>
                      v{m.latestVersion}
                    </Link>
                    {m.latestReproducible === false && (
                      <div className="mt-1">
                        <ReproBadge reproducible={false} />
                      </div>
                    )}
                  </>
                ) : (
                  "—"
                )}
              </td>
              <td className={cell}>
                <Time value={m.updatedAt} />
              </td>
            </tr>
          ))}
        </Table>
      )}
      <Pagination basePath="/models" params={{ q: raw.q, team: raw.team, tag: raw.tag, riskTier: raw.riskTier }} nextCursor={page.nextCursor} hasPrevious={Boolean(raw.cursor)} />
    </>
  );
}
