import "server-only";
import { db, type Tx } from "@/lib/db";
import { GENESIS_HASH, verifyChain, type ChainCheck, type ChainedEvent } from "./chain";

const PAGE = 2_000;

type Row = Awaited<ReturnType<typeof db.auditEvent.findMany>>[number];

/** A stored event as the chain hashes it: exactly the hashed fields, named one by one, so a column added to the table later cannot change old hashes. */
export function toChainedEvent(r: Row): ChainedEvent {
  return {
    id: r.id.toString(),
    occurredAt: r.occurredAt.toISOString(),
    actorType: r.actorType,
    actorId: r.actorId,
    actorLabel: r.actorLabel,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    teamId: r.teamId,
    before: r.before ?? null,
    after: r.after ?? null,
    reason: r.reason,
    prevHash: r.prevHash,
    hash: r.hash,
  };
}

/** Recomputes the whole chain from the database, a page at a time so memory stays flat. */
export async function verifyAuditChain(client: Tx = db): Promise<Omit<ChainCheck, "lastHash">> {
  let state = { prevHash: GENESIS_HASH, prevId: null as bigint | null, checked: 0 };
  for (;;) {
    const rows = await client.auditEvent.findMany({
      where: state.prevId === null ? {} : { id: { gt: state.prevId } },
      orderBy: { id: "asc" },
      take: PAGE,
    });
    const events = rows.map(toChainedEvent);
    const result = verifyChain(events, state);
    if (!result.ok) return { ok: false, checked: result.checked, firstBrokenId: result.firstBrokenId };
    if (rows.length < PAGE) return { ok: true, checked: result.checked, firstBrokenId: null };
    state = { prevHash: result.lastHash, prevId: result.prevId, checked: result.checked };
  }
}
