import "server-only";
import { AppError, badRequest, conflict, forbidden } from "@/lib/api/errors";
import { recordAuditEvent } from "@/lib/audit/record";
import type { Actor, Grant } from "@/lib/auth/permissions";
import { checkPassword } from "@/lib/auth/secrets";
import { transaction } from "@/lib/db";
import { notifyDecision } from "./notify";
import type { Requirement } from "./quorum";
import { closedMessage, lockedRequest, transition } from "./request";
import { ZDecisionInput, type TDecisionInput } from "./schemas";
import { decisionInputs, evaluateRequest, settleRequest } from "./settle";
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
  const id = await transaction(async (tx) => {
    const r = await lockedRequest(tx, opts.actor, opts.id);
    const actor = opts.actor!;
    if (actor.kind !== "user") throw forbidden("Service tokens cannot decide on promotions; a person must, signed in or with a token bound to their user.");
    if (!DECIDABLE.includes(r.status as Status)) {
      throw conflict(r.status === "changes-requested" ? `Request #${r.number} is back with its requester for changes; decide once it is resubmitted.` : closedMessage(r));
    }
    if (actor.userId === r.requesterId) throw forbidden("You requested this promotion; someone else must decide on it (separation of duties).");
    const now = opts.now ?? new Date();
    const e = await evaluateRequest(tx, { model: r.model, versionId: r.versionId, stage: r.stage, emergency: r.emergency, decisions: decisionInputs(r.decisions), round: r.round, status: r.status as Status, now });
    const roles = askedRolesHeld(actor.grants, e.requirements, r.model.teamId);
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
      signature = signDecision({ signer: { id: user.id, name: user.name, email: user.email }, decision: input.decision, request, evidenceHash: r.evidenceHash, signedAt: now });
    }
    const decision = await tx.promotionDecision.create({
      data: { requestId: r.id, round: r.round, userId: actor.userId, userLabel: actor.label, tokenId: actor.tokenId ?? null, decision: input.decision, comment: input.comment, roles, evidenceHash: r.evidenceHash, signature: signature ?? undefined, createdAt: now },
    });
    await recordAuditEvent(tx, {
      actor,
      action: "promotion.decide",
      target: { type: "promotion", id: r.id, teamId: r.model.teamId },
      after: { decisionId: decision.id, decision: input.decision, roles, round: r.round, evidenceHash: r.evidenceHash, signature: signature ? { meaning: signature.meaning, hash: signature.hash } : null },
      reason: input.comment,
    });
    await notifyDecision(tx, { request: r, decision: input.decision, by: actor.name || actor.label, comment: input.comment });
    if (input.decision === "reject") await transition(tx, { actor, request: r, to: "rejected", reason: `Rejected by ${actor.name || actor.label}: ${input.comment}` });
    else if (input.decision === "request-changes") await transition(tx, { actor, request: r, to: "changes-requested", reason: `${actor.name || actor.label} asked for changes: ${input.comment}` });
    else await settleRequest(tx, { requestId: r.id, actor, now });
    return r.id;
  });
  return getPromotion({ actor: opts.actor, id });
}
