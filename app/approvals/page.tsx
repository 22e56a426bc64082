import type { Metadata } from "next";
import Link from "next/link";
import { PromotionTable, age } from "@/components/promotions/promotion-table";
import { ReleaseStatusBadge } from "@/components/releases/status-badge";
import { Forbidden } from "@/components/ui/forbidden";
import { EmptyState, PageHeader, Table, cell } from "@/components/ui/layout";
import { linkStyles } from "@/components/ui/styles";
import { checkPagePermission } from "@/lib/auth/actor";
import { approvalsInbox, listPromotions, type PromotionSummary } from "@/lib/promotions/views";
import type { ReleaseStatus } from "@/lib/releases/state";

export const metadata: Metadata = { title: "My approvals" };

type Waiting = PromotionSummary & { myRoles: string[] };
type ReleaseGroup = { release: NonNullable<PromotionSummary["release"]>; members: Waiting[] };

/** Members of a release are decided on together, on the release's page: one row per release, not one per member. */
function byRelease(waiting: Waiting[]): { releases: ReleaseGroup[]; single: Waiting[] } {
  const groups = new Map<string, ReleaseGroup>();
  const single: Waiting[] = [];
  for (const w of waiting) {
    if (!w.release?.readable) single.push(w);
    else if (groups.has(w.release.id)) groups.get(w.release.id)!.members.push(w);
    else groups.set(w.release.id, { release: w.release, members: [w] });
  }
  return { releases: [...groups.values()], single };
}

export default async function ApprovalsPage() {
  const gate = await checkPagePermission("registry.read");
  if (!gate.ok) return <Forbidden message={gate.message} />;
  const actor = gate.actor;
  const [inbox, mine] = await Promise.all([approvalsInbox({ actor }), actor.kind === "user" ? listPromotions({ actor, query: { requester: "me", open: "true", limit: 50 } }) : { items: [] }]);
  const { releases, single } = byRelease(inbox.waiting);
  return (
    <>
      <PageHeader title="My approvals" description="Releases and requests waiting for a decision from one of your roles, oldest first; emergency promotions waiting for a compliance review; and your own open requests." />
      {releases.length > 0 && (
        <section aria-labelledby="releases-heading" className="mb-8">
          <h2 id="releases-heading" className="mb-1 text-lg font-semibold">
            Releases waiting for me ({releases.length})
          </h2>
          <p className="mb-3 text-sm text-slate-700 dark:text-slate-300">Their members apply together or not at all; decide on them all at once from the release&apos;s page.</p>
          <Table caption="Releases waiting for my decision" head={["Release", "Status", "Members waiting for me", "Requested by", "You decide as", "Waiting"]}>
            {releases.map(({ release, members }) => (
              <tr key={release.id}>
                <td className={cell}>
                  <Link className={linkStyles} href={`/releases/${release.number}`}>
                    Release {release.number}: {release.name}
                  </Link>
                </td>
                <td className={cell}>
                  <ReleaseStatusBadge status={release.status as ReleaseStatus} />
                </td>
                <td className={cell}>
                  <ul className="space-y-0.5">
                    {members.map((m) => (
                      <li key={m.id}>
                        <Link className={linkStyles} href={`/promotions/${m.id}`}>
                          #{m.number}
                        </Link>{" "}
                        <span className="font-medium">{m.model}</span> v{m.version} → {m.stage}
                      </li>
                    ))}
                  </ul>
                </td>
                <td className={cell}>{members[0].requester}</td>
                <td className={cell}>{[...new Set(members.flatMap((m) => m.myRoles))].join(", ")}</td>
                <td className={cell}>{age(members.reduce((a, m) => (m.createdAt < a ? m.createdAt : a), members[0].createdAt))}</td>
              </tr>
            ))}
          </Table>
        </section>
      )}
      <section aria-labelledby="waiting-heading" className="mb-8">
        <h2 id="waiting-heading" className="mb-3 text-lg font-semibold">
          {releases.length ? "Requests waiting for me" : "Waiting for me"} ({single.length})
        </h2>
        {single.length ? (
          <PromotionTable caption="Requests waiting for my decision" items={single} extra="roles" />
        ) : (
          <EmptyState title={releases.length ? "No single requests wait for your decision" : "Nothing waits for your decision"}>When a request needs one of your roles, it appears here and in your notifications.</EmptyState>
        )}
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
