import "server-only";
import { AppError, badRequest, conflict, forbidden } from "@/lib/api/errors";
import { recordAuditEvent } from "@/lib/audit/record";
import { can, type Actor, type Grant } from "@/lib/auth/permissions";
import { checkPassword } from "@/lib/auth/secrets";
import { transaction, type Tx } from "@/lib/db";
import { emitWebhookEvent } from "@/lib/webhooks/emit";
import { notifyDecision } from "./notify";
import type { Requirement } from "./quorum";
import { closedMessage, findReadableRequest, lockedRequest, transition } from "./request";
import { ZDecisionInput, type TDecisionInput } from "./schemas";
import { SYSTEM, loadRequest, settleRequest } from "./settle";
import { signDecision } from "./signature";
import type { Status } from "./state";
import { getPromotion, type PromotionView } from "./views";

/** The asked roles a person holds for a team: only these make their decision count. */
export function askedRolesHeld(grants: readonly Grant[], requirements: readonly Requirement[], teamId: string): string[] {
  const asked = new Set(requirements.map((r) => r.role));
  return [...new Set(grants.filter((g) => asked.has(g.role) && (g.teamId === null || g.teamId === teamId)).map((g) => g.role))];
}

const DECIDABLE: readonly Status[] = ["awaiting-approval", "blocked"];

/**
 * An approver approves, rejects or requests changes, with a comment (and an electronic signature where the policy
 * asks for one). Separation of duties is enforced here, on the server, whatever the client shows.
 */
export async function decidePromotion(opts: { actor: Actor | null; id: string; input: TDecisionInput; now?: Date }): Promise<PromotionView> {
  const input = ZDecisionInput.parse(opts.input);
  try {
    return await decide(opts.actor, opts.id, input, opts.now ?? new Date());
  } catch (err) {
    // A wrong password is worth an auditor's attention (the decision itself rolled back with nothing recorded).
    if (err instanceof AppError && err.code === "signature_failed" && opts.actor) await recordFailedSignature(opts.actor, opts.id);
    throw err;
  }
}

async function recordFailedSignature(actor: Actor, id: string): Promise<void> {
  await transaction(async (tx) => {
    const r = await findReadableRequest(tx, actor, id);
    await recordAuditEvent(tx, { actor, action: "promotion.signature-failed", target: { type: "promotion", id: r.id, teamId: r.model.teamId }, reason: "An electronic signature was refused: the password was not correct." });
  });
}

async function decide(actor0: Actor | null, requestId: string, input: ReturnType<typeof ZDecisionInput.parse>, now: Date): Promise<PromotionView> {
  const id = await transaction((tx) => decideInTx(tx, actor0, requestId, input, now));
  return getPromotion({ actor: actor0, id });
}

/** One decision on one request, inside the caller's transaction (a release decides on several members in one). */
export async function decideInTx(tx: Tx, actor0: Actor | null, requestId: string, input: ReturnType<typeof ZDecisionInput.parse>, now: Date): Promise<string> {
  const found = await lockedRequest(tx, actor0, requestId);
  const actor = actor0!;
  if (actor.kind !== "user") throw forbidden("Service tokens cannot decide on promotions; a person must, signed in or with a token bound to their user.");
  // Judge on the evidence as it is now (a freeze may have ended, a report aged): the decision binds to it.
  const { evaluation } = await settleRequest(tx, { requestId: found.id, actor: SYSTEM, now });
  const r = await loadRequest(tx, found.id);
  if (!DECIDABLE.includes(r.status as Status) || !evaluation) {
    throw conflict(r.status === "changes-requested" ? `Request #${r.number} is back with its requester for changes; decide once it is resubmitted.` : closedMessage(r));
  }
  if (actor.userId === r.requesterId) throw forbidden("You requested this promotion; someone else must decide on it (separation of duties).");
  const e = evaluation;
  const roles = can(actor, "promotions.decide", r.model.teamId) ? askedRolesHeld(actor.grants, e.requirements, r.model.teamId) : [];
  if (!roles.length) {
    const asked = e.requirements.map((q) => q.role).join(", ") || "no one";
    throw forbidden(`This request needs decisions from ${asked} for ${r.model.name}'s team; you hold none of these roles.`);
  }
  if (input.decision === "approve") {
    if (e.isLastStage && r.version.registeredById === actor.userId) throw forbidden(`You registered v${r.version.version}; someone else must approve it for ${r.stage} (separation of duties).`);
    if (r.status === "blocked") throw conflict(`Request #${r.number} is blocked, so it cannot be approved: ${r.statusReason ?? "its gates do not pass"}`);
  }
  let signature = null;
  if (e.signature) {
    if (!input.password) throw badRequest("This policy asks for an electronic signature: re-enter your password to sign your decision.", [{ path: "password", message: "Re-enter your password to sign" }]);
    const user = await tx.user.findUniqueOrThrow({ where: { id: actor.userId } });
    if (!(await checkPassword(input.password, user.passwordHash))) {
      throw new AppError(403, "signature_failed", user.passwordHash ? "The password is not correct, so the decision was not signed or recorded." : "Your account signs in through single sign-on and has no Gatehouse password; ask an admin to set one before signing.", [{ path: "password", message: "Not correct" }]);
    }
    const request = { id: r.id, number: r.number, model: r.model.name, version: r.version.version, stage: r.stage, alias: r.alias };
    signature = signDecision({ signer: { id: user.id, name: user.name, email: user.email }, decision: input.decision, request, evidenceHash: e.hash, signedAt: now });
  }
  const decision = await tx.promotionDecision.create({
    data: { requestId: r.id, round: r.round, userId: actor.userId, userLabel: actor.label, tokenId: actor.tokenId ?? null, decision: input.decision, comment: input.comment, roles, evidenceHash: e.hash, signature: signature ?? undefined, createdAt: now },
  });
  await recordAuditEvent(tx, {
    actor,
    action: "promotion.decide",
    target: { type: "promotion", id: r.id, teamId: r.model.teamId },
    after: { decisionId: decision.id, decision: input.decision, roles, round: r.round, evidenceHash: e.hash, signature: signature ? { meaning: signature.meaning, hash: signature.hash } : null },
    reason: input.comment,
  });
  await notifyDecision(tx, { request: r, decision: input.decision, by: actor.name || actor.label, comment: input.comment });
  await emitWebhookEvent(tx, { event: "promotion.decided", actor, model: r.model, alias: r.alias, previousVersion: r.fromVersion, newVersion: r.version.version, request: r, data: { stage: r.stage, decision: input.decision, comment: input.comment, roles, signed: signature !== null } });
  if (input.decision === "reject") await transition(tx, { actor, request: r, to: "rejected", reason: `Rejected by ${actor.name || actor.label}: ${input.comment}` });
  else if (input.decision === "request-changes") await transition(tx, { actor, request: r, to: "changes-requested", reason: `${actor.name || actor.label} asked for changes: ${input.comment}` });
  else await settleRequest(tx, { requestId: r.id, actor, now });
  return r.id;
}
