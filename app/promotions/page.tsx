import type { Metadata } from "next";
import Link from "next/link";
import { PromotionTable } from "@/components/promotions/promotion-table";
import { Forbidden } from "@/components/ui/forbidden";
import { EmptyState, PageHeader, Pagination } from "@/components/ui/layout";
import { buttonStyles, inputStyles, linkStyles } from "@/components/ui/styles";
import { checkPagePermission } from "@/lib/auth/actor";
import { orNotFound } from "@/lib/api/page-data";
import { ZListPromotionsQuery } from "@/lib/promotions/schemas";
import { STATUSES, STATUS_LABELS } from "@/lib/promotions/state";
import { listPromotions } from "@/lib/promotions/views";

export const metadata: Metadata = { title: "Promotion requests" };

export default async function PromotionsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const gate = await checkPagePermission("registry.read");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  const raw = Object.fromEntries(Object.entries(await searchParams).filter(([, v]) => typeof v === "string" && v.trim() !== "")) as Record<string, string | undefined>;
  const parsed = ZListPromotionsQuery.safeParse({ ...raw, limit: 25 });
  const query = parsed.success ? parsed.data : { limit: 25 };
  const page = await orNotFound(listPromotions({ actor: gate.actor, query }));
  const filtered = Boolean(raw.status || raw.model || raw.stage || raw.requester || raw.open);
  const { cursor: _cursor, ...params } = raw;
  return (
    <>
      <PageHeader
        title="Promotion requests"
        description="Every request to move a version to a stage: its gates, approvals and outcome."
        actions={
          <>
            <Link className={`${buttonStyles.base} ${buttonStyles.secondary}`} href="/promotions?requester=me">
              My requests
            </Link>
            <Link className={`${buttonStyles.base} ${buttonStyles.secondary}`} href="/approvals">
              My approvals
            </Link>
          </>
        }
      />
      <form role="search" aria-label="Filter promotion requests" action="/promotions" className="mb-4 grid gap-2 sm:grid-cols-[1fr_1fr_1fr_1fr_auto]">
        <label className="sr-only" htmlFor="promotions-status">Status</label>
        <select id="promotions-status" name="status" defaultValue={raw.status ?? ""} className={inputStyles}>
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
        <label className="sr-only" htmlFor="promotions-model">Model</label>
        <input id="promotions-model" name="model" defaultValue={raw.model ?? ""} placeholder="Model name" className={inputStyles} />
        <label className="sr-only" htmlFor="promotions-stage">Stage</label>
        <input id="promotions-stage" name="stage" defaultValue={raw.stage ?? ""} placeholder="Stage, e.g. production" className={inputStyles} />
        <label className="sr-only" htmlFor="promotions-requester">Requester</label>
        <input id="promotions-requester" name="requester" defaultValue={raw.requester ?? ""} placeholder="Requester email, or me" className={inputStyles} />
        <button type="submit" className={`${buttonStyles.base} ${buttonStyles.secondary}`}>
          Filter
        </button>
      </form>
      {!parsed.success && (
        <p className="mb-3 text-sm text-red-700 dark:text-red-400" role="alert">
          {parsed.error.issues[0]?.message}; showing all requests.
        </p>
      )}
      {page.items.length === 0 ? (
        <EmptyState title={filtered ? "No requests match these filters" : "No promotion requests yet"} action={filtered ? <Link className={linkStyles} href="/promotions">Clear the filters</Link> : undefined}>
          {filtered ? "Try fewer filters." : "Request one from a version's page, or with POST /api/v1/promotions from a pipeline."}
        </EmptyState>
      ) : (
        <PromotionTable caption="Promotion requests" items={page.items} />
      )}
      <Pagination basePath="/promotions" params={params} nextCursor={page.nextCursor} hasPrevious={Boolean(raw.cursor)} />
    </>
  );
}
