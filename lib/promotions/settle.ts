import "server-only";
import { endRolloutOfRequest, startRollout } from "@/lib/rollouts/lifecycle";
import { recordAuditEvent } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/permissions";
import type { Tx } from "@/lib/db";
import { durationSeconds } from "@/lib/policy/duration";
import type { StageReadiness } from "@/lib/policy/gates";
import type { EffectiveStage } from "@/lib/policy/merge";
import { effectivePolicyFor } from "@/lib/policy/policies";
import { stageReadiness } from "@/lib/policy/readiness";
import { lockModel, moveAlias } from "@/lib/registry/aliases";
import { checkReleaseRules } from "@/lib/releases/check";
import { requestReleaseSync } from "@/lib/releases/hook";
import { describeFailures } from "@/lib/releases/rules";
import { emitWebhookEvent } from "@/lib/webhooks/emit";
import { evidenceHash } from "./evidence";
import { notifyApplied, notifyApprovalNeeded, notifyReviewRequired } from "./notify";
import { evaluateQuorum, requirementsFor, signatureRequired, type DecisionInput, type QuorumResult, type Requirement } from "./quorum";
import { OPEN_STATUSES, assertTransition, isOpen, settle, type Status } from "./state";

/**
 * The engine of a promotion request: re-runs its gates and counts its approvals against the current evidence and
 * policy, moves its status accordingly (each step an audit event), and applies it when it is due. Everything runs
 * inside the caller's transaction with the model's row lock held, so racing requests and approvals serialise.
 */
export type ModelRef = { id: string; name: string; teamId: string; riskTier: string };
type RequestRow = Awaited<ReturnType<typeof loadRequest>>;

export const SYSTEM: Actor = { kind: "system", label: "Gatehouse" };

export function loadRequest(tx: Tx, id: string) {
  return tx.promotionRequest.findUniqueOrThrow({ where: { id }, include: { decisions: { orderBy: { createdAt: "asc" } }, model: true, version: { select: { id: true, version: true, registeredById: true } } } });
}

export type Evaluation = {
  readiness: StageReadiness;
  gatesPassed: boolean;
  frozen: boolean;
  hash: string;
  holderVersionId: string | null;
  requirements: Requirement[];
  quorum: QuorumResult;
  strategy: string;
  signature: boolean;
  ttlMs: number;
  isLastStage: boolean;
  policy: { defaultVersion: number; modelVersion: number };
  stage: EffectiveStage | null;
};

/** The gates and quorum of a (possibly not yet created) request, as of `now`. */
export async function evaluateRequest(
  tx: Tx,
  o: { model: ModelRef; versionId: string; stage: string; emergency: boolean; decisions: readonly DecisionInput[]; round: number; status: Status | "new"; now: Date; releaseId?: string | null },
): Promise<Evaluation> {
  const { policy, defaultVersion, modelVersion } = await effectivePolicyFor(tx, o.model.id);
  const stage = policy.stages.find((s) => s.name === o.stage) ?? null;
  const versions = { defaultVersion, modelVersion };
  if (!stage) return missingStage(o, versions);
  const judged = await stageReadiness(tx, { model: o.model, versionId: o.versionId, policy, stage, now: o.now });
  const { holderVersionId } = judged;
  const version = await tx.modelVersion.findUniqueOrThrow({ where: { id: o.versionId }, select: { version: true, status: true, signature: true, featureSetName: true, featureSetVersion: true } });
  // Conditions outside the policy's gates that still stop a move: an archived candidate, one already in place, or
  // a dependency the policy declares that the versions in place do not meet (a release checks its members itself).
  const dependencies = !o.releaseId && policy.dependencies.length ? await checkReleaseRules(tx, { rules: [], members: [{ model: o.model, version, stage: stage.name, alias: stage.alias }] }) : [];
  const outside =
    version.status !== "ready"
      ? `v${version.version} is archived; unarchive it before it can move.`
      : holderVersionId === o.versionId
        ? `v${version.version} already holds @${stage.alias}.`
        : dependencies.some((c) => c.status === "fail")
          ? `A dependency in ${o.model.name}'s policy is not met: ${describeFailures(dependencies)} Promote the models together in a release.`
          : null;
  const readiness: StageReadiness = outside ? { ...judged.readiness, status: "blocked", summary: outside } : judged.readiness;
  const gatesPassed = !outside && readiness.counts.fail === 0 && readiness.counts["missing-evidence"] === 0;
  const hash = evidenceHash({ versionId: o.versionId, policy: versions, holderVersionId, gates: readiness.results });
  const requirements = requirementsFor(stage.approvals, o.model.riskTier, o.emergency);
  const ttlMs = (durationSeconds(stage.approvals.ttl) ?? 7 * 86_400) * 1000;
  const decisions = await withCurrentRoles(tx, o.decisions, o.model.teamId);
  const quorum = evaluateQuorum({ requirements, decisions, round: o.round, evidenceHash: hash, now: o.now, ttlMs, expiryPaused: o.status === "rolling-out" });
  return {
    readiness,
    gatesPassed,
    // The emergency path exists for freezes and incidents: a freeze does not hold it.
    frozen: readiness.freeze.frozen && !o.emergency,
    hash,
    holderVersionId,
    requirements,
    quorum,
    strategy: o.emergency ? "direct" : (stage.rollout?.strategy ?? "direct"),
    signature: signatureRequired(stage.approvals.electronicSignature, o.model.riskTier),
    ttlMs,
    isLastStage: policy.stages.at(-1)?.name === stage.name,
    policy: versions,
    stage,
  };
}

/**
 * Decisions with the roles their makers still hold: an approver who was deactivated, or lost the role, since
 * approving no longer counts toward the quorum (a revocation applies at once).
 */
export async function withCurrentRoles(tx: Tx, decisions: readonly DecisionInput[], teamId: string): Promise<DecisionInput[]> {
  if (!decisions.length) return [];
  const users = await tx.user.findMany({ where: { id: { in: [...new Set(decisions.map((d) => d.userId))] } }, select: { id: true, active: true, grants: { select: { role: true, teamId: true } } } });
  const held = new Map(users.map((u) => [u.id, u.active ? new Set(u.grants.filter((g) => g.teamId === null || g.teamId === teamId).map((g) => g.role)) : new Set<string>()]));
  return decisions.map((d) => ({ ...d, roles: d.roles.filter((r) => held.get(d.userId)?.has(r)) }));
}

function missingStage(o: { stage: string; model: ModelRef }, policy: Evaluation["policy"]): Evaluation {
  const summary = `The policy of ${o.model.name} no longer has a stage "${o.stage}".`;
  const readiness: StageReadiness = { stage: o.stage, alias: "", status: "blocked", summary, results: [], counts: { pass: 0, fail: 0, warn: 0, "missing-evidence": 0 }, freeze: { frozen: false }, holder: null };
  const quorum: QuorumResult = { met: false, slots: [], missing: [], decisions: [] };
  return { readiness, gatesPassed: false, frozen: false, hash: "", holderVersionId: null, requirements: [], quorum, strategy: "direct", signature: false, ttlMs: 0, isLastStage: false, policy, stage: null };
}

export function decisionInputs(rows: RequestRow["decisions"]): DecisionInput[] {
  return rows.map((d) => ({ id: d.id, userId: d.userId, userLabel: d.userLabel, decision: d.decision as DecisionInput["decision"], roles: d.roles, evidenceHash: d.evidenceHash, round: d.round, createdAt: d.createdAt }));
}

const list = (items: string[]) => (items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`);

export function describeMissing(missing: readonly Requirement[]): string {
  return list(missing.map((m) => `${m.count} ${m.role}${m.count === 1 ? "" : "s"}`));
}

/** Why a request is blocked: the readiness summary, then the gates at fault by name. */
export function blockedReason(r: StageReadiness): string {
  const named = (status: string) => r.results.filter((g) => g.status === status).map((g) => g.id);
  const parts = [named("fail").length ? `failing: ${named("fail").join(", ")}` : null, named("missing-evidence").length ? `missing evidence: ${named("missing-evidence").join(", ")}` : null].filter(Boolean);
  return parts.length ? `${r.summary.replace(/\.$/, "")} (${parts.join("; ")}).` : r.summary;
}

/** One sentence for the status a request just entered. */
function reasonFor(status: Status, r: RequestRow, e: Evaluation, moved?: string): string | null {
  switch (status) {
    case "blocked":
      return blockedReason(e.readiness);
    case "awaiting-approval":
      return `Waiting for ${describeMissing(e.quorum.missing)}.`;
    case "approved":
      if (r.releaseId) return `${e.requirements.length ? `Approved by ${list(e.quorum.slots.flatMap((s) => s.filledBy.map((p) => `${p.userLabel} (${s.role})`)))}` : `The policy asks for no approvals for ${r.stage}`}; it applies with its release, once every member is approved.`;
      return e.requirements.length ? `Approved by ${list(e.quorum.slots.flatMap((s) => s.filledBy.map((p) => `${p.userLabel} (${s.role})`)))}.` : `The policy asks for no approvals for ${r.stage}.`;
    case "applied":
      return `${moved}${e.requirements.length ? "" : ` automatically: the policy asks for no approvals for ${r.stage}`}.`;
    case "rolling-out":
      return `Approved; the ${e.strategy} rollout takes over from here.`;
    default:
      return null;
  }
}

/**
 * Re-runs an open request's gates and quorum and moves it on. `actor` is who caused the re-run (an approver, the
 * requester, or the system when evidence changed). Returns the statuses entered.
 */
export async function settleRequest(tx: Tx, o: { requestId: string; actor: Actor; now: Date; depth?: number }): Promise<{ steps: Status[]; evaluation: Evaluation | null }> {
  const r = await loadRequest(tx, o.requestId);
  const status = r.status as Status;
  if (!isOpen(status)) return { steps: [], evaluation: null };
  const e = await evaluateRequest(tx, { model: r.model, versionId: r.versionId, stage: r.stage, emergency: r.emergency, decisions: decisionInputs(r.decisions), round: r.round, status, now: o.now, releaseId: r.releaseId });
  const evidenceChanged = e.hash !== r.evidenceHash;
  const steps = settle({ status, gatesPassed: e.gatesPassed, frozen: e.frozen, quorumMet: e.quorum.met, strategy: e.strategy, held: r.releaseId !== null });
  if (steps.length && r.releaseId) requestReleaseSync(tx, r.releaseId, o.now);
  const policyChanged = e.policy.defaultVersion !== r.policyDefaultVersion || e.policy.modelVersion !== r.policyModelVersion;
  if (!evidenceChanged && !policyChanged && !steps.length && e.gatesPassed === r.gatesPassed) return { steps, evaluation: e };
  await tx.promotionRequest.update({
    where: { id: r.id },
    data: { gates: e.readiness as object, gatesPassed: e.gatesPassed, evidenceHash: e.hash, evaluatedAt: o.now, strategy: e.strategy, policyDefaultVersion: e.policy.defaultVersion, policyModelVersion: e.policy.modelVersion },
  });
  if (evidenceChanged) {
    const stale = e.quorum.decisions.filter((d) => d.state === "stale").length;
    await recordAuditEvent(tx, {
      actor: o.actor,
      action: "promotion.reevaluate",
      target: { type: "promotion", id: r.id, teamId: r.model.teamId },
      before: { evidenceHash: r.evidenceHash, gatesPassed: r.gatesPassed },
      after: { evidenceHash: e.hash, gatesPassed: e.gatesPassed, staleApprovals: stale },
      reason: stale ? `The evidence changed; ${stale} earlier approval${stale === 1 ? " is" : "s are"} stale and must be given again.` : "The evidence changed.",
    });
  }
  let from = status;
  for (const to of steps) {
    assertTransition(from, to);
    let moved: string | undefined;
    const data: Record<string, unknown> = { status: to };
    if (to === "applied") {
      const previous = await moveAlias(tx, {
        model: r.model,
        alias: r.alias,
        target: { id: r.versionId, version: r.version.version },
        actor: o.actor,
        reason: `Promotion #${r.number}: ${r.justification}`,
        via: r.emergency ? "emergency" : "promotion",
        requestId: r.id,
        action: "alias.set",
      });
      moved = `${r.model.name}@${r.alias} moved from ${previous ? `v${previous.version}` : "nothing"} to v${r.version.version}`;
      Object.assign(data, { fromVersion: previous?.version ?? null, autoApplied: e.requirements.length === 0, reviewRequired: r.emergency, closedAt: o.now });
    }
    const reason = reasonFor(to, r, e, moved);
    await tx.promotionRequest.update({ where: { id: r.id }, data: { ...data, statusReason: reason } });
    await recordAuditEvent(tx, {
      actor: o.actor,
      action: `promotion.${to}`,
      target: { type: "promotion", id: r.id, teamId: r.model.teamId },
      before: { status: from },
      after: { status: to, ...(to === "applied" ? { alias: `${r.model.name}@${r.alias}`, version: r.version.version, automatic: e.requirements.length === 0, emergency: r.emergency } : {}) },
      reason,
    });
    if (to === "awaiting-approval") await notifyApprovalNeeded(tx, { request: r, missing: e.quorum.missing });
    if (to === "rolling-out" && e.stage?.rollout) await startRollout(tx, { request: r, policy: e.stage.rollout, signature: e.signature, actor: o.actor, now: o.now });
    if (to === "applied") {
      await notifyApplied(tx, { request: r, summary: reason ?? "" });
      await emitWebhookEvent(tx, { event: "promotion.applied", actor: o.actor, model: r.model, alias: r.alias, previousVersion: data.fromVersion as number | null, newVersion: r.version.version, request: r, data: { stage: r.stage, emergency: r.emergency, automatic: e.requirements.length === 0 } });
      if (r.emergency) await notifyReviewRequired(tx, { request: r });
      if (r.emergency) await emitWebhookEvent(tx, { event: "review.required", actor: o.actor, model: r.model, alias: r.alias, previousVersion: data.fromVersion as number | null, newVersion: r.version.version, request: r, data: { stage: r.stage, justification: r.justification } });
      await supersedeOthers(tx, { request: r, actor: o.actor, now: o.now, why: `#${r.number} applied first` });
      await reevaluateModel(tx, { modelId: r.modelId, actor: SYSTEM, now: o.now, exceptId: r.id, depth: (o.depth ?? 0) + 1 });
    }
    from = to;
  }
  return { steps, evaluation: e };
}

/** Closes the other open requests for the same alias: one alias has one open request at a time. */
export async function supersedeOthers(tx: Tx, o: { request: { id: string; number: number; modelId: string; alias: string; model: ModelRef }; actor: Actor; now: Date; why: string }): Promise<void> {
  const others = await tx.promotionRequest.findMany({ where: { modelId: o.request.modelId, alias: o.request.alias, id: { not: o.request.id }, status: { in: [...OPEN_STATUSES, "rolling-out"] } } });
  for (const other of others) {
    const reason = `Superseded by #${o.request.number}: ${o.why}.`;
    assertTransition(other.status as Status, "superseded");
    await tx.promotionRequest.update({ where: { id: other.id }, data: { status: "superseded", supersededById: o.request.id, statusReason: reason, closedAt: o.now } });
    if (other.releaseId) requestReleaseSync(tx, other.releaseId, o.now);
    await recordAuditEvent(tx, {
      actor: o.actor,
      action: "promotion.superseded",
      target: { type: "promotion", id: other.id, teamId: o.request.model.teamId },
      before: { status: other.status },
      after: { status: "superseded", supersededBy: o.request.id },
      reason,
    });
    if (other.status === "rolling-out") await endRolloutOfRequest(tx, { requestId: other.id, actor: o.actor, reason, now: o.now });
  }
}

/**
 * Evidence changed for a model (a report, an alias holder, a policy): re-runs every open request of it, so a blocked
 * request whose gates now pass moves on by itself and one whose gates now fail becomes blocked.
 */
export async function reevaluateModel(tx: Tx, o: { modelId: string; actor: Actor; now?: Date; exceptId?: string; depth?: number }): Promise<void> {
  // Applying one request re-runs the others, which may apply in turn; a policy cannot chain more stages than this.
  if ((o.depth ?? 0) > 10) return;
  await lockModel(tx, o.modelId);
  const open = await tx.promotionRequest.findMany({ where: { modelId: o.modelId, status: { in: [...OPEN_STATUSES] }, ...(o.exceptId ? { id: { not: o.exceptId } } : {}) }, select: { id: true }, orderBy: { createdAt: "asc" } });
  for (const { id } of open) await settleRequest(tx, { requestId: id, actor: o.actor, now: o.now ?? new Date(), depth: o.depth });
}
