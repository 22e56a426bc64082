import "server-only";
import { db } from "@/lib/db";
import { GENESIS_HASH, verifyChain, type ChainCheck, type ChainedEvent } from "./chain";

const PAGE = 2_000;

/** Recomputes the whole chain from the database, a page at a time so memory stays flat. */
export async function verifyAuditChain(): Promise<Omit<ChainCheck, "lastHash">> {
  let state = { prevHash: GENESIS_HASH, prevId: null as bigint | null, checked: 0 };
  for (;;) {
    const rows = await db.auditEvent.findMany({
      where: state.prevId === null ? {} : { id: { gt: state.prevId } },
      orderBy: { id: "asc" },
      take: PAGE,
    });
    const events: ChainedEvent[] = rows.map((r) => ({
      ...r,
      id: r.id.toString(),
      occurredAt: r.occurredAt.toISOString(),
      before: r.before ?? null,
      after: r.after ?? null,
    }));
    const result = verifyChain(events, state);
    if (!result.ok) return { ok: false, checked: result.checked, firstBrokenId: result.firstBrokenId };
    if (rows.length < PAGE) return { ok: true, checked: result.checked, firstBrokenId: null };
    state = { prevHash: result.lastHash, prevId: result.prevId, checked: result.checked };
  }
}
