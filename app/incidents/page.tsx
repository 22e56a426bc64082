import type { Metadata } from "next";
import Link from "next/link";
import { INCIDENT_TONES } from "@/components/rollouts/tones";
import { Forbidden } from "@/components/ui/forbidden";
import { Badge, EmptyState, PageHeader, Pagination } from "@/components/ui/layout";
import { buttonStyles, inputStyles, linkStyles } from "@/components/ui/styles";
import { Time } from "@/components/ui/time";
import { orNotFound } from "@/lib/api/page-data";
import { checkPagePermission } from "@/lib/auth/actor";
import { listIncidents } from "@/lib/rollouts/incidents";
import { INCIDENT_STATUSES, ZIncidentsQuery } from "@/lib/rollouts/schemas";

export const metadata: Metadata = { title: "Incidents" };

export default async function IncidentsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const gate = await checkPagePermission("registry.read");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  const raw = Object.fromEntries(Object.entries(await searchParams).filter(([, v]) => typeof v === "string" && v.trim() !== "")) as Record<string, string | undefined>;
  const parsed = ZIncidentsQuery.safeParse({ ...raw, limit: 25 });
  const query = parsed.success ? parsed.data : { limit: 25 };
  const page = await orNotFound(listIncidents({ actor: gate.actor, query }));
  const filtered = Boolean(raw.status || raw.model);
  const { cursor: _cursor, ...params } = raw;
  return (
    <>
      <PageHeader title="Incidents" description="Opened when a rollout was rolled back automatically: which criterion was breached, and who owns it." />
      <form role="search" aria-label="Filter incidents" action="/incidents" className="mb-4 grid gap-2 sm:grid-cols-[1fr_1fr_auto]">
        <label className="sr-only" htmlFor="incidents-status">Status</label>
        <select id="incidents-status" name="status" defaultValue={raw.status ?? ""} className={inputStyles}>
          <option value="">Any status</option>
          {INCIDENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <label className="sr-only" htmlFor="incidents-model">Model</label>
        <input id="incidents-model" name="model" defaultValue={raw.model ?? ""} placeholder="Model name" className={inputStyles} />
        <button type="submit" className={`${buttonStyles.base} ${buttonStyles.secondary}`}>
          Filter
        </button>
      </form>
      {page.items.length === 0 ? (
        <EmptyState title={filtered ? "No incidents match these filters" : "No incidents"} action={filtered ? <Link className={linkStyles} href="/incidents">Clear the filters</Link> : undefined}>
          {filtered ? "Try fewer filters." : "No rollout has been rolled back automatically."}
        </EmptyState>
      ) : (
        <ul className="divide-y divide-slate-200 dark:divide-slate-800" aria-label="Incidents">
          {page.items.map((i) => (
            <li key={i.id} className="flex flex-wrap items-center gap-2 py-2 text-sm">
              <Badge tone={INCIDENT_TONES[i.status] ?? "neutral"}>{i.status}</Badge>
              <Link className={linkStyles} href={`/incidents/${i.number}`}>
                Incident {i.number}: {i.title}
              </Link>
              <span className="ml-auto text-xs text-slate-700 dark:text-slate-300">
                <Time value={i.openedAt} />
              </span>
            </li>
          ))}
        </ul>
      )}
      <Pagination basePath="/incidents" params={params} nextCursor={page.nextCursor} hasPrevious={Boolean(raw.cursor)} />
    </>
  );
}
