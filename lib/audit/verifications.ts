import "server-only";
import { actorFields, recordAuditEvent } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/require";
import { db, transaction } from "@/lib/db";
import { verifyAuditChain } from "./verify";

export type VerificationView = { ok: boolean; checked: number; firstBrokenId: string | null; verifiedAt: string; verifiedBy: string };

/**
 * Recomputes the chain and keeps the outcome, so the audit page can say when it was last verified and by whom.
 * The verification is itself audited (after the check, so it covers the chain as it was).
 */
export async function verifyAndRecord(opts: { actor: Actor | null }): Promise<VerificationView> {
  const actor = requirePermission(opts.actor, "audit.read");
  const result = await verifyAuditChain();
  const label = actorFields(actor).actorLabel;
  const row = await transaction(async (tx) => {
    const saved = await tx.auditVerification.create({ data: { ok: result.ok, checked: result.checked, firstBrokenId: result.firstBrokenId, actorLabel: label } });
    await recordAuditEvent(tx, { actor, action: "audit.verify", target: { type: "audit-log", id: "chain" }, after: { ok: result.ok, checked: result.checked, firstBrokenId: result.firstBrokenId } });
    return saved;
  });
  return { ok: row.ok, checked: row.checked, firstBrokenId: row.firstBrokenId, verifiedAt: row.verifiedAt.toISOString(), verifiedBy: row.actorLabel };
}

export async function lastVerification(opts: { actor: Actor | null }): Promise<VerificationView | null> {
  requirePermission(opts.actor, "audit.read");
  const row = await db.auditVerification.findFirst({ orderBy: { id: "desc" } });
  return row && { ok: row.ok, checked: row.checked, firstBrokenId: row.firstBrokenId, verifiedAt: row.verifiedAt.toISOString(), verifiedBy: row.actorLabel };
}
