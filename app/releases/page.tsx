import type { Metadata } from "next";
import Link from "next/link";
import { ReleaseTable } from "@/components/releases/release-table";
import { Forbidden } from "@/components/ui/forbidden";
import { EmptyState, PageHeader, Pagination } from "@/components/ui/layout";
import { buttonStyles, inputStyles, linkStyles } from "@/components/ui/styles";
import { orNotFound } from "@/lib/api/page-data";
import { checkPagePermission } from "@/lib/auth/actor";
import { ZListReleasesQuery } from "@/lib/releases/schemas";
import { RELEASE_STATUSES, RELEASE_STATUS_LABELS } from "@/lib/releases/state";
import { listReleases } from "@/lib/releases/views";

export const metadata: Metadata = { title: "Releases" };

export default async function ReleasesPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const gate = await checkPagePermission("registry.read");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  const raw = Object.fromEntries(Object.entries(await searchParams).filter(([, v]) => typeof v === "string" && v.trim() !== "")) as Record<string, string | undefined>;
  // "active" in the status menu is the API's open=true: still waiting for members, or rolling out.
  const { status, ...rest } = raw;
  const parsed = ZListReleasesQuery.safeParse({ ...rest, ...(status === "active" ? { open: "true" } : { status }), limit: 25 });
  const query = parsed.success ? parsed.data : { limit: 25 };
  const page = await orNotFound(listReleases({ actor: gate.actor, query }));
  const filtered = Boolean(raw.status || raw.model || raw.open);
  const { cursor: _cursor, ...params } = raw;
  return (
    <>
      <PageHeader
        title="Releases"
        description="Promotion requests for several models that apply together or not at all, with the compatibility rules between them."
        actions={
          <Link className={`${buttonStyles.base} ${buttonStyles.secondary}`} href="/promotions">
            Promotion requests
          </Link>
        }
      />
      <form role="search" aria-label="Filter releases" action="/releases" className="mb-4 grid gap-2 sm:grid-cols-[1fr_1fr_auto]">
        <label className="sr-only" htmlFor="releases-status">Status</label>
        <select id="releases-status" name="status" defaultValue={raw.status ?? (raw.open === "true" ? "active" : "")} className={inputStyles}>
          <option value="">Any status</option>
          <option value="active">Open or rolling out</option>
          {RELEASE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {RELEASE_STATUS_LABELS[s]}
            </option>
          ))}
        </select>
        <label className="sr-only" htmlFor="releases-model">Model</label>
        <input id="releases-model" name="model" defaultValue={raw.model ?? ""} placeholder="Model name" className={inputStyles} />
        <button type="submit" className={`${buttonStyles.base} ${buttonStyles.secondary}`}>
          Filter
        </button>
      </form>
      {!parsed.success && (
        <p className="mb-3 text-sm text-red-700 dark:text-red-400" role="alert">
          {parsed.error.issues[0]?.message}; showing all releases.
        </p>
      )}
      {page.items.length === 0 ? (
        <EmptyState title={filtered ? "No releases match these filters" : "No releases yet"} action={filtered ? <Link className={linkStyles} href="/releases">Clear the filters</Link> : undefined}>
          {filtered ? "Try fewer filters." : "A release promotes several models together, all or nothing. Create one with POST /api/v1/releases from a pipeline."}
        </EmptyState>
      ) : (
        <ReleaseTable caption="Releases" items={page.items} />
      )}
      <Pagination basePath="/releases" params={params} nextCursor={page.nextCursor} hasPrevious={Boolean(raw.cursor)} />
    </>
  );
}
