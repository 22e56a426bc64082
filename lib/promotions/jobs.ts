import "server-only";
import { recordAuditEvent } from "@/lib/audit/record";
import { syncRelease } from "@/lib/releases/sync";
import { db, transaction } from "@/lib/db";
import { durationSeconds } from "@/lib/policy/duration";
import { effectivePolicyFor } from "@/lib/policy/policies";
import { lockModel } from "@/lib/registry/aliases";
import { notifyApprovalNeeded, notifyEscalated, notifyExpired } from "./notify";
import { requirementsFor } from "./quorum";
import { transition } from "./request";
import { SYSTEM, loadRequest, settleRequest } from "./settle";
import { OPEN_STATUSES } from "./state";

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
 * The periodic pass, run by every instance once a minute: expires requests past their lifetime, re-runs the gates of
 * open requests (a freeze window ends, a report ages past its limit), reminds approvers after the policy's
 * remindAfter and escalates to admins after escalateAfter. Each request is handled in its own transaction under its
 * model's lock and re-checked there, so two instances passing at once never remind, escalate or expire twice.
 */
export async function runPromotionChores(now = new Date()): Promise<{ expired: number; reminded: number; escalated: number; moved: number }> {
  const done = { expired: 0, reminded: 0, escalated: 0, moved: 0 };
  for (let after = ""; ; ) {
    const batch = await db.promotionRequest.findMany({ where: { status: { in: [...OPEN_STATUSES] }, id: { gt: after } }, select: { id: true, modelId: true }, orderBy: { id: "asc" }, take: 200 });
    for (const { id, modelId } of batch) await choresFor(id, modelId, now, done);
    if (batch.length < 200) break;
    after = batch.at(-1)!.id;
  }
  await settleReleases(now);
  return done;
}

/**
 * Releases are settled after every change of a member; this pass repairs any that a crash left unsettled (a member
 * closed, or every member approved, with the release not yet following), and retries releases held by a rule or a
 * busy rollout.
 */
async function settleReleases(now: Date): Promise<void> {
  for (let after = ""; ; ) {
    const due = await db.release.findMany({
      where: { id: { gt: after }, OR: [{ status: "open" }, { status: { in: ["rolling-out", "applied"] }, members: { some: { status: { in: ["rolled-back", "cancelled", "superseded"] } } } }] },
      select: { id: true },
      orderBy: { id: "asc" },
      take: 200,
    });
    for (const { id } of due) await syncRelease(id, { now }).catch((err) => console.error(`[gatehouse] could not settle release ${id}: ${err instanceof Error ? err.message : String(err)}`));
    if (due.length < 200) return;
    after = due.at(-1)!.id;
  }
}

async function choresFor(id: string, modelId: string, now: Date, done: { expired: number; reminded: number; escalated: number; moved: number }): Promise<void> {
  await transaction(async (tx) => {
    await lockModel(tx, modelId);
    const r = await loadRequest(tx, id);
    if (!(OPEN_STATUSES as readonly string[]).includes(r.status)) return;
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
    // Time passes for gates too: a freeze ends, a report grows too old.
    const { steps, evaluation: e } = await settleRequest(tx, { requestId: id, actor: SYSTEM, now });
    if (steps.length) done.moved++;
    if (!chore || steps.length || !e) return;
    const missing = e.quorum.missing.length || !approvals ? e.quorum.missing : requirementsFor(approvals, r.model.riskTier, r.emergency);
    if (chore === "remind") {
      const counted = new Set(e.quorum.decisions.filter((d) => d.state === "counted").map((d) => d.id));
      const approvedAlready = r.decisions.filter((d) => counted.has(d.id)).map((d) => d.userId);
      const to = await notifyApprovalNeeded(tx, { request: r, missing, event: "approval.reminder", except: approvedAlready });
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
