import "server-only";
import { recordAuditEvent } from "@/lib/audit/record";
import { transaction } from "@/lib/db";
import { durationSeconds } from "@/lib/policy/duration";
import { effectivePolicyFor } from "@/lib/policy/policies";
import { lockModel } from "@/lib/registry/aliases";
import { notifyApprovalNeeded, notifyEscalated, notifyExpired } from "./notify";
import { requirementsFor } from "./quorum";
import { transition } from "./request";
import { SYSTEM, decisionInputs, evaluateRequest, loadRequest } from "./settle";
import { OPEN_STATUSES, type Status } from "./state";

/** What a periodic pass over open requests should do to one of them. Pure. */
export type Chore = "expire" | "escalate" | "remind" | null;
export function choreFor(r: { status: string; expiresAt: Date; waitingSince: Date; remindedAt: Date | null; escalatedAt: Date | null }, policy: { remindAfter?: string; escalateAfter?: string }, now: Date): Chore {
  if (!(OPEN_STATUSES as readonly string[]).includes(r.status)) return null;
  if (r.expiresAt.getTime() <= now.getTime()) return "expire";
  if (r.status !== "awaiting-approval") return null;
  const waited = now.getTime() - r.waitingSince.getTime();
  const escalate = policy.escalateAfter ? durationSeconds(policy.escalateAfter) : null;
  if (escalate !== null && !r.escalatedAt && waited >= escalate * 1000) return "escalate";
  const remind = policy.remindAfter ? durationSeconds(policy.remindAfter) : null;
  if (remind !== null && !r.remindedAt && waited >= remind * 1000) return "remind";
  return null;
}

/**
 * The periodic pass (every instance runs it; a transaction-scoped advisory lock lets one at a time through):
 * expires requests past their lifetime, reminds approvers after the policy's remindAfter and escalates to admins
 * after escalateAfter. Returns what it did.
 */
export async function runPromotionChores(now = new Date()): Promise<{ expired: number; reminded: number; escalated: number }> {
  const done = { expired: 0, reminded: 0, escalated: 0 };
  const due = await transaction(async (tx) => {
    const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(72540002) AS locked`;
    if (!locked) return [];
    return tx.promotionRequest.findMany({ where: { status: { in: [...OPEN_STATUSES] } }, select: { id: true }, orderBy: { createdAt: "asc" }, take: 1_000 });
  });
  for (const { id } of due) {
    await transaction(async (tx) => {
      const head = await tx.promotionRequest.findUniqueOrThrow({ where: { id }, select: { modelId: true } });
      await lockModel(tx, head.modelId);
      const r = await loadRequest(tx, id);
      const { policy } = await effectivePolicyFor(tx, r.modelId);
      const approvals = policy.stages.find((s) => s.name === r.stage)?.approvals ?? null;
      const lastDecision = r.decisions.filter((d) => d.round === r.round).at(-1)?.createdAt;
      const waitingSince = lastDecision && lastDecision > r.createdAt ? lastDecision : r.createdAt;
      const chore = choreFor({ ...r, waitingSince }, approvals ?? {}, now);
      if (chore === "expire") {
        await transition(tx, { actor: SYSTEM, request: r, to: "expired", reason: `Expired: not decided within ${Math.round((r.expiresAt.getTime() - r.createdAt.getTime()) / 86_400_000)} days of being requested.` });
        await notifyExpired(tx, { request: r });
        done.expired++;
        return;
      }
      if (!chore) return;
      const e = await evaluateRequest(tx, { model: r.model, versionId: r.versionId, stage: r.stage, emergency: r.emergency, decisions: decisionInputs(r.decisions), round: r.round, status: r.status as Status, now });
      const missing = e.quorum.missing.length || !approvals ? e.quorum.missing : requirementsFor(approvals, r.model.riskTier, r.emergency);
      if (chore === "remind") {
        const to = await notifyApprovalNeeded(tx, { request: r, missing, event: "approval.reminder" });
        await tx.promotionRequest.update({ where: { id }, data: { remindedAt: now } });
        await recordAuditEvent(tx, { actor: SYSTEM, action: "promotion.remind", target: { type: "promotion", id, teamId: r.model.teamId }, after: { reminded: to.length }, reason: `Waiting longer than ${approvals?.remindAfter}; approvers reminded.` });
        done.reminded++;
      } else {
        await notifyEscalated(tx, { request: r, missing });
        await tx.promotionRequest.update({ where: { id }, data: { escalatedAt: now, remindedAt: r.remindedAt ?? now } });
        await recordAuditEvent(tx, { actor: SYSTEM, action: "promotion.escalate", target: { type: "promotion", id, teamId: r.model.teamId }, after: { escalated: true }, reason: `Waiting longer than ${approvals?.escalateAfter}; escalated to admins.` });
        done.escalated++;
      }
    });
  }
  return done;
}
