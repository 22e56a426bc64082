import type { Metadata } from "next";
import Link from "next/link";
import { RolloutTable } from "@/components/rollouts/rollout-table";
import { Forbidden } from "@/components/ui/forbidden";
import { EmptyState, PageHeader, Pagination } from "@/components/ui/layout";
import { buttonStyles, inputStyles, linkStyles } from "@/components/ui/styles";
import { orNotFound } from "@/lib/api/page-data";
import { checkPagePermission } from "@/lib/auth/actor";
import { ROLLOUT_STATUSES, STATUS_LABELS } from "@/lib/rollouts/machine";
import { ZRolloutsQuery } from "@/lib/rollouts/schemas";
import { listRollouts } from "@/lib/rollouts/views";

export const metadata: Metadata = { title: "Rollouts" };

export default async function RolloutsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const gate = await checkPagePermission("registry.read");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  const raw = Object.fromEntries(Object.entries(await searchParams).filter(([, v]) => typeof v === "string" && v.trim() !== "")) as Record<string, string | undefined>;
  const parsed = ZRolloutsQuery.safeParse({ ...raw, limit: 25 });
  const query = parsed.success ? parsed.data : { limit: 25 };
  const page = await orNotFound(listRollouts({ actor: gate.actor, query }));
  const filtered = Boolean(raw.status || raw.model);
  const { cursor: _cursor, ...params } = raw;
  return (
    <>
      <PageHeader
        title="Rollouts"
        description="Production promotions proven on live traffic: shadow, canary and blue-green, judged against the champion."
        actions={
          <Link className={`${buttonStyles.base} ${buttonStyles.secondary}`} href="/incidents">
            Incidents
          </Link>
        }
      />
      <form role="search" aria-label="Filter rollouts" action="/rollouts" className="mb-4 grid gap-2 sm:grid-cols-[1fr_1fr_auto]">
        <label className="sr-only" htmlFor="rollouts-status">Status</label>
        <select id="rollouts-status" name="status" defaultValue={raw.status ?? ""} className={inputStyles}>
          <option value="">Any status</option>
          <option value="active">Active (live or watching)</option>
          {ROLLOUT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
        <label className="sr-only" htmlFor="rollouts-model">Model</label>
        <input id="rollouts-model" name="model" defaultValue={raw.model ?? ""} placeholder="Model name" className={inputStyles} />
        <button type="submit" className={`${buttonStyles.base} ${buttonStyles.secondary}`}>
          Filter
        </button>
      </form>
      {!parsed.success && (
        <p className="mb-3 text-sm text-red-700 dark:text-red-400" role="alert">
          {parsed.error.issues[0]?.message}; showing all rollouts.
        </p>
      )}
      {page.items.length === 0 ? (
        <EmptyState title={filtered ? "No rollouts match these filters" : "No rollouts yet"} action={filtered ? <Link className={linkStyles} href="/rollouts">Clear the filters</Link> : undefined}>
          {filtered ? "Try fewer filters." : "A rollout starts when a request to a stage whose policy declares one (production, usually) is approved."}
        </EmptyState>
      ) : (
        <RolloutTable caption="Rollouts" items={page.items} />
      )}
      <Pagination basePath="/rollouts" params={params} nextCursor={page.nextCursor} hasPrevious={Boolean(raw.cursor)} />
    </>
  );
}
