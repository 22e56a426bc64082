import type { Metadata } from "next";
import Link from "next/link";
import { EventDiff } from "@/components/audit/event-diff";
import { VerifyChainButton } from "@/components/audit/verify-button";
import { Forbidden } from "@/components/ui/forbidden";
import { Badge, Card, EmptyState, PageHeader, Pagination, Table, cell } from "@/components/ui/layout";
import { buttonStyles, inputStyles, linkStyles } from "@/components/ui/styles";
import { Time, UtcTime } from "@/components/ui/time";
import { orNotFound } from "@/lib/api/page-data";
import { checkPagePermission } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { listTeams } from "@/lib/auth/teams";
import { listAuditEvents } from "@/lib/audit/query";
import { ZAuditQuery } from "@/lib/audit/schemas";
import { lastVerification } from "@/lib/audit/verifications";

export const metadata: Metadata = { title: "Audit log" };

const FILTERS = ["model", "team", "actor", "action", "from", "to", "q"] as const;

/** A datetime-local value ("2026-11-22T09:00") is read as UTC, as the labels say. */
const utc = (v: string | undefined) => (v && /^\d{4}-\d\d-\d\dT\d\d:\d\d$/.test(v) ? `${v}:00Z` : v);
const local = (v: string | undefined) => (v ? v.replace(/:\d\d(\.\d+)?Z$/, "").slice(0, 16) : "");

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const gate = await checkPagePermission("audit.read");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  const raw = Object.fromEntries(Object.entries(await searchParams).filter(([, v]) => typeof v === "string" && v.trim() !== "")) as Record<string, string | undefined>;
  const filters: Record<string, string | undefined> = { ...raw, from: utc(raw.from), to: utc(raw.to) };
  const parsed = ZAuditQuery.safeParse({ ...filters, limit: 50 });
  const query = parsed.success ? parsed.data : { limit: 50 };
  const [page, verification, teams] = await Promise.all([orNotFound(listAuditEvents({ actor: gate.actor, query })), lastVerification({ actor: gate.actor }), listTeams({ actor: gate.actor })]);
  const active = Object.fromEntries(FILTERS.flatMap((k) => (parsed.success && filters[k] ? [[k, filters[k]!]] : [])));
  const exportHref = (format: string) => `/api/v1/audit/export?${new URLSearchParams({ ...active, format })}`;
  const filtered = Object.keys(active).length > 0;
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change, who made it, when and why, on a hash chain that proves nothing was altered or removed. Times are UTC."
        actions={
          can(gate.actor, "audit.export") ? (
            <>
              <a className={`${buttonStyles.base} ${buttonStyles.secondary}`} href={exportHref("csv")} download>
                Export CSV
              </a>
              <a className={`${buttonStyles.base} ${buttonStyles.secondary}`} href={exportHref("jsonl")} download>
                Export JSON Lines
              </a>
            </>
          ) : undefined
        }
      />
      <div className="mb-6 grid gap-4 lg:grid-cols-3">
        <Card title="Chain verification" className="lg:col-span-1">
          {!can(gate.actor, "audit.read", null) ? (
            <p className="text-sm">The chain spans every team; an organisation-wide auditor, compliance officer or admin verifies it.</p>
          ) : (
            <>
          {verification ? (
            <p className="mb-3 text-sm">
              {verification.ok ? <Badge tone="good">intact</Badge> : <Badge tone="bad">broken at event {verification.firstBrokenId}</Badge>} {verification.checked.toLocaleString("en-GB")} events checked <Time value={verification.verifiedAt} /> by {verification.verifiedBy}.
            </p>
          ) : (
            <p className="mb-3 text-sm">The chain has not been verified yet.</p>
          )}
          <VerifyChainButton />
            </>
          )}
        </Card>
        <Card title="Filter" className="lg:col-span-2">
          <form role="search" aria-label="Filter the audit log" action="/audit" className="grid gap-2 sm:grid-cols-2 lg:grid-cols-4">
            <label className="text-sm">
              Model
              <input name="model" defaultValue={raw.model ?? ""} placeholder="e.g. fraud-detector" className={inputStyles} />
            </label>
            <label className="text-sm">
              Team
              <select name="team" defaultValue={raw.team ?? ""} className={inputStyles}>
                <option value="">All teams</option>
                {teams.map((t) => (
                  <option key={t.slug} value={t.slug}>
                    {t.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="text-sm">
              Actor
              <input name="actor" defaultValue={raw.actor ?? ""} placeholder="email or token name" className={inputStyles} />
            </label>
            <label className="text-sm">
              Action
              <input name="action" defaultValue={raw.action ?? ""} placeholder="e.g. promotion. or alias.set" className={inputStyles} />
            </label>
            <label className="text-sm">
              From (UTC)
              <input name="from" type="datetime-local" defaultValue={local(filters.from)} className={inputStyles} />
            </label>
            <label className="text-sm">
              To (UTC)
              <input name="to" type="datetime-local" defaultValue={local(filters.to)} className={inputStyles} />
            </label>
            <label className="text-sm sm:col-span-2">
              Search comments
              <input name="q" type="search" defaultValue={raw.q ?? ""} placeholder="words from a reason or comment" className={inputStyles} />
            </label>
            <div className="flex items-end gap-3 sm:col-span-2 lg:col-span-4">
              <button type="submit" className={`${buttonStyles.base} ${buttonStyles.primary}`}>
                Apply filters
              </button>
              {filtered && (
                <Link className={linkStyles} href="/audit">
                  Clear
                </Link>
              )}
            </div>
          </form>
          {!parsed.success && (
            <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
              {parsed.error.issues[0]?.message}; showing the whole log.
            </p>
          )}
        </Card>
      </div>
      {page.items.length === 0 ? (
        <EmptyState title={filtered ? "No events match these filters" : "No events yet"}>{filtered ? "Widen the time range or remove a filter." : "Every change made in Gatehouse appears here."}</EmptyState>
      ) : (
        <Table caption="Audit events, newest first" head={["Event", "When (UTC)", "Who", "Action", "What", "Why"]}>
          {page.items.map((e) => (
            <tr key={e.id}>
              <td className={`${cell} font-mono text-xs`}>{e.id}</td>
              <td className={`${cell} whitespace-nowrap`}>
                <UtcTime value={e.at} />
              </td>
              <td className={cell}>{e.actor.label}</td>
              <td className={`${cell} font-mono text-xs`}>{e.action}</td>
              <td className={cell}>
                {e.target.href ? (
                  <Link className={linkStyles} href={e.target.href}>
                    {e.target.label}
                  </Link>
                ) : (
                  e.target.label
                )}
                <details className="mt-1">
                  <summary className="cursor-pointer text-xs text-indigo-700 dark:text-indigo-300">
                    Changes and hash<span className="sr-only"> of event {e.id}</span>
                  </summary>
                  <EventDiff before={e.before} after={e.after} />
                  <p className="mt-1 break-all font-mono text-xs text-slate-700 dark:text-slate-300">hash {e.hash}</p>
                </details>
              </td>
              <td className={`${cell} max-w-md whitespace-pre-wrap`}>{e.reason ?? ""}</td>
            </tr>
          ))}
        </Table>
      )}
      <Pagination basePath="/audit" params={active} nextCursor={page.nextCursor} hasPrevious={Boolean(raw.cursor)} />
    </>
  );
}
