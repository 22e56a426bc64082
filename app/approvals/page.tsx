import type { Metadata } from "next";
import { PromotionTable } from "@/components/promotions/promotion-table";
import { Forbidden } from "@/components/ui/forbidden";
import { EmptyState, PageHeader } from "@/components/ui/layout";
import { checkPagePermission } from "@/lib/auth/actor";
import { approvalsInbox, listPromotions } from "@/lib/promotions/views";

export const metadata: Metadata = { title: "My approvals" };

export default async function ApprovalsPage() {
  const gate = await checkPagePermission("registry.read");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  const actor = gate.actor;
  const [inbox, mine] = await Promise.all([approvalsInbox({ actor }), actor.kind === "user" ? listPromotions({ actor, query: { requester: "me", open: "true", limit: 50 } }) : { items: [] }]);
  return (
    <>
      <PageHeader title="My approvals" description="Requests waiting for a decision from one of your roles, oldest first; emergency promotions waiting for a compliance review; and your own open requests." />
      <section aria-labelledby="waiting-heading" className="mb-8">
        <h2 id="waiting-heading" className="mb-3 text-lg font-semibold">
          Waiting for me ({inbox.waiting.length})
        </h2>
        {inbox.waiting.length ? <PromotionTable caption="Requests waiting for my decision" items={inbox.waiting} extra="roles" /> : <EmptyState title="Nothing waits for your decision">When a request needs one of your roles, it appears here and in your notifications.</EmptyState>}
      </section>
      {inbox.reviews.length > 0 && (
        <section aria-labelledby="reviews-heading" className="mb-8">
          <h2 id="reviews-heading" className="mb-3 text-lg font-semibold">
            Emergency reviews due ({inbox.reviews.length})
          </h2>
          <PromotionTable caption="Emergency promotions waiting for review" items={inbox.reviews} />
        </section>
      )}
      <section aria-labelledby="mine-heading">
        <h2 id="mine-heading" className="mb-3 text-lg font-semibold">
          My open requests ({mine.items.length})
        </h2>
        {mine.items.length ? <PromotionTable caption="My open requests" items={mine.items} /> : <EmptyState title="You have no open requests">Request a promotion from a version&apos;s page.</EmptyState>}
      </section>
    </>
  );
}
