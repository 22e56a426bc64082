import "server-only";
import { actorFields, recordAuditEvent } from "@/lib/audit/record";
import { forbidden } from "@/lib/api/errors";
import { can, type Actor } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/require";
import { db, transaction } from "@/lib/db";
import { verifyAuditChainWithHead } from "./verify";

export type VerificationView = { ok: boolean; checked: number; firstBrokenId: string | null; verifiedAt: string; verifiedBy: string };

/**
 * Recomputes the chain and keeps the outcome, so the audit page can say when it was last verified and by whom.
 * The verification is itself audited (after the check, so it covers the chain as it was).
 */
export async function verifyAndRecord(opts: { actor: Actor | null }): Promise<VerificationView> {
  const actor = requirePermission(opts.actor, "audit.read");
  // The chain spans every team: recomputing it, and seeing its size and who last checked it, is organisation-wide.
  if (!can(actor, "audit.read", null)) throw forbidden("Verifying the audit chain needs a global auditor, compliance officer or admin role; a team-scoped one reads its team's events.");
  // The head recorded is the newest event this verification checked, not one written while it ran.
  const chain = await verifyAuditChainWithHead();
  const head = chain.head;
  const result = chain.ok ? await stillThere(chain) : chain;
  const label = actorFields(actor).actorLabel;
  const row = await transaction(async (tx) => {
    const saved = await tx.auditVerification.create({ data: { ok: result.ok, checked: result.checked, firstBrokenId: result.firstBrokenId, headId: result.ok ? (head?.id ?? null) : null, headHash: result.ok ? (head?.hash ?? null) : null, actorLabel: label } });
    await recordAuditEvent(tx, { actor, action: "audit.verify", target: { type: "audit-log", id: "chain" }, after: { ok: result.ok, checked: result.checked, firstBrokenId: result.firstBrokenId } });
    return saved;
  });
  return { ok: row.ok, checked: row.checked, firstBrokenId: row.firstBrokenId, verifiedAt: row.verifiedAt.toISOString(), verifiedBy: row.actorLabel };
}

/** A chain that verifies may still be shorter than before: the newest event an earlier verification saw must remain. */
async function stillThere(chain: { ok: boolean; checked: number; firstBrokenId: string | null }) {
  const previous = await db.auditVerification.findFirst({ where: { ok: true, headId: { not: null } }, orderBy: { id: "desc" } });
  if (!previous?.headId) return chain;
  const event = await db.auditEvent.findUnique({ where: { id: previous.headId }, select: { hash: true } });
  return event?.hash === previous.headHash ? chain : { ok: false, checked: chain.checked, firstBrokenId: previous.headId.toString() };
}

export async function lastVerification(opts: { actor: Actor | null }): Promise<VerificationView | null> {
  const actor = requirePermission(opts.actor, "audit.read");
  if (!can(actor, "audit.read", null)) return null;
  const row = await db.auditVerification.findFirst({ orderBy: { id: "desc" } });
  return row && { ok: row.ok, checked: row.checked, firstBrokenId: row.firstBrokenId, verifiedAt: row.verifiedAt.toISOString(), verifiedBy: row.actorLabel };
}
