import "server-only";
import { AppError, badRequest, conflict, forbidden } from "@/lib/api/errors";
import { recordAuditEvent } from "@/lib/audit/record";
import { can, type Actor } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/require";
import { checkPassword } from "@/lib/auth/secrets";
import { afterCommit, transaction, type Tx } from "@/lib/db";
import { signDecision } from "@/lib/promotions/signature";
import { lockModel } from "@/lib/registry/aliases";
import { applyDecision } from "./apply";
import { assessRollout } from "./assess";
import { findReadableRollout, loadRollout, planOf, recordTransition, type RolloutRow } from "./lifecycle";
import { ControlRefused, advanceEarly, assertCanAbort, assertCanPause, assertCanResume, decideRollout, resumedState } from "./machine";
import { describeCheckpoint } from "./plan";
import { ZCheckpointInput, ZRolloutControlInput, type TCheckpointInput, type TRolloutControlInput } from "./schemas";
import { checkpointTally, stateOf, stepRelease, storeAssessment } from "./tick";
import { getRollout, type RolloutView } from "./views";

/** Finds the rollout, takes its model's lock, and loads it again (the scheduler may have moved it meanwhile). */
async function lockedRollout(tx: Tx, actor: Actor | null, id: string): Promise<RolloutRow> {
  const found = await findReadableRollout(tx, actor, id);
  await lockModel(tx, found.modelId);
  return (await loadRollout(tx, found.id))!;
}

function refused(err: unknown): never {
  if (err instanceof ControlRefused) throw conflict(err.message);
  throw err;
}

type Control = "pause" | "resume" | "advance" | "abort";

/** An ml-lead pauses, resumes, advances early or aborts a rollout, with a comment that is kept in the audit trail. */
export async function controlRollout(opts: { actor: Actor | null; id: string; action: Control; input: TRolloutControlInput; now?: Date }): Promise<RolloutView> {
  const input = ZRolloutControlInput.parse(opts.input);
  const now = opts.now ?? new Date();
  const id = await transaction(async (tx) => {
    const r = await lockedRollout(tx, opts.actor, opts.id);
    const actor = requirePermission(opts.actor, "rollouts.control", r.model.teamId);
    if (actor.kind !== "user") throw forbidden("A person must control a rollout; service tokens cannot.");
    const model = { id: r.model.id, name: r.model.name, teamId: r.model.teamId };
    const state = stateOf(r);
    const before = { status: r.status, stepIndex: r.stepIndex, trafficPercent: r.trafficPercent };
    try {
      if (opts.action === "pause") {
        assertCanPause(state);
        const reason = `Paused by ${actor.label}: ${input.comment}`;
        const updated = await tx.rollout.update({ where: { id: r.id }, data: { status: "paused", pausedAt: now, waitingFor: null, statusReason: reason } });
        await recordTransition(tx, { rollout: { ...updated, model }, kind: "paused", event: "rollout.paused", actor, reason, before, at: now });
      } else if (opts.action === "resume") {
        assertCanResume(state);
        const reason = `Resumed by ${actor.label}: ${input.comment}`;
        const updated = await tx.rollout.update({ where: { id: r.id }, data: { status: "running", ...resumedState(state, now), statusReason: reason } });
        await recordTransition(tx, { rollout: { ...updated, model }, kind: "resumed", event: "rollout.resumed", actor, reason, before, at: now });
      } else if (opts.action === "advance") {
        if (r.request.releaseId) throw new ControlRefused(`Rollout ${r.number} belongs to a release whose members move together, so it cannot advance early on its own. Pause or resume it, or abort it (which stops the whole release).`);
        const decision = advanceEarly(planOf(r), state, await checkpointTally(tx, r.id));
        await applyDecision(tx, { rollout: r, decision, actor, now, comment: input.comment });
      } else {
        assertCanAbort(state);
        await applyDecision(tx, { rollout: r, decision: { action: "abort", reason: `Aborted by ${actor.label}.` }, actor, now, comment: input.comment });
      }
    } catch (err) {
      refused(err);
    }
    return r.id;
  });
  return getRollout({ actor: opts.actor, id, now });
}

/**
 * A person holding a checkpoint's role approves (or rejects) the rollout going on, recorded like any decision:
 * comment, roles, and an electronic signature where the stage's approvals ask for one. The rollout moves on at once
 * when the checkpoint is complete.
 */
export async function decideCheckpoint(opts: { actor: Actor | null; id: string; input: TCheckpointInput; now?: Date }): Promise<RolloutView> {
  const input = ZCheckpointInput.parse(opts.input);
  const now = opts.now ?? new Date();
  const id = await transaction(async (tx) => {
    const r = await lockedRollout(tx, opts.actor, opts.id);
    const actor = opts.actor!;
    if (actor.kind !== "user") throw forbidden("A person must decide at a checkpoint; service tokens cannot.");
    const plan = planOf(r);
    if (r.status !== "waiting" || !r.waitingFor) throw conflict(`Rollout ${r.number} is not waiting at a checkpoint (it is ${r.status}).`);
    const wanted = plan.checkpoints.filter((c) => c.key === r.waitingFor);
    const roles = [...new Set(actor.grants.filter((g) => wanted.some((c) => c.role === g.role) && (g.teamId === null || g.teamId === r.model.teamId)).map((g) => g.role))];
    if (!roles.length || !can(actor, "registry.read", r.model.teamId)) throw forbidden(`This checkpoint needs ${wanted.map(describeCheckpoint).join(" and ")} for ${r.model.name}'s team; you hold none of these roles.`);
    // Separation of duties, as for the request's own approvals.
    const request = await tx.promotionRequest.findUniqueOrThrow({ where: { id: r.requestId }, select: { requesterId: true, version: { select: { registeredById: true } } } });
    if (request.requesterId === actor.userId) throw forbidden("You requested this promotion; someone else must decide at its checkpoints (separation of duties).");
    if (input.decision === "approve" && request.version.registeredById === actor.userId) throw forbidden(`You registered v${r.challengerVersion}; someone else must approve its rollout (separation of duties).`);
    const earlier = await tx.rolloutDecision.findFirst({ where: { rolloutId: r.id, checkpoint: r.waitingFor, userId: actor.userId } });
    if (earlier) throw conflict("You already decided at this checkpoint; another person must add their approval.");
    let signature = null;
    if (plan.signature) {
      if (!input.password) throw badRequest("This policy asks for an electronic signature: re-enter your password to sign your decision.", [{ path: "password", message: "Re-enter your password to sign" }]);
      const user = await tx.user.findUniqueOrThrow({ where: { id: actor.userId } });
      if (!(await checkPassword(input.password, user.passwordHash))) throw new AppError(403, "signature_failed", "The password is not correct, so the decision was not signed or recorded.", [{ path: "password", message: "Not correct" }]);
      const request = { id: r.request.id, number: r.request.number, model: r.model.name, version: r.challengerVersion, stage: r.request.stage, alias: r.alias };
      signature = signDecision({ signer: { id: user.id, name: user.name, email: user.email }, decision: input.decision, request, evidenceHash: r.request.evidenceHash, signedAt: now });
    }
    await tx.rolloutDecision.create({ data: { rolloutId: r.id, checkpoint: r.waitingFor, userId: actor.userId, userLabel: actor.label, tokenId: actor.tokenId ?? null, decision: input.decision, comment: input.comment, roles, signature: signature ?? undefined, createdAt: now } });
    const reason = `${actor.label} ${input.decision === "approve" ? "approved" : "rejected"} at the checkpoint ${wanted.map(describeCheckpoint).join(" and ")}: ${input.comment}`;
    await recordAuditEvent(tx, { actor, action: `rollout.checkpoint-${input.decision === "approve" ? "approved" : "rejected"}`, target: { type: "rollout", id: r.id, teamId: r.model.teamId }, after: { checkpoint: r.waitingFor, decision: input.decision, roles, signed: Boolean(signature) }, reason });
    // A release's members move together: the release is judged as a whole, right after this commits.
    if (r.request.releaseId) {
      const releaseId = r.request.releaseId;
      afterCommit(tx, `release-step:${releaseId}`, async () => void (await stepRelease(releaseId, now)));
      return r.id;
    }
    // Judge now, so an approval that completes the checkpoint moves the rollout without waiting for the next tick.
    const assessment = await assessRollout(tx, { ...r, plan }, now);
    const decision = decideRollout({ plan, state: stateOf(r), judgement: assessment.judgement, checkpoints: await checkpointTally(tx, r.id), now });
    await storeAssessment(tx, r, assessment, now);
    await applyDecision(tx, { rollout: r, decision, actor, now, assessment });
    return r.id;
  });
  return getRollout({ actor: opts.actor, id, now });
}
