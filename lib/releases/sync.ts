import "server-only";
import { recordAuditEvent } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/permissions";
import { transaction, type Tx } from "@/lib/db";
import { notifyApplied, notifyRolledBack } from "@/lib/promotions/notify";
import { transition } from "@/lib/promotions/request";
import { SYSTEM, decisionInputs, evaluateRequest, reevaluateModel, settleRequest, supersedeOthers } from "@/lib/promotions/settle";
import { OPEN_STATUSES } from "@/lib/promotions/state";
import { lockModel, moveAlias } from "@/lib/registry/aliases";
import { endRollout, endRolloutOfRequest, endWatch, startRollout } from "@/lib/rollouts/lifecycle";
import { ACTIVE_STATUSES } from "@/lib/rollouts/machine";
import { emitWebhookEvent } from "@/lib/webhooks/emit";
import { checkReleaseRules } from "./check";
import { describeFailures, type RuleCheck } from "./rules";
import { finishedStatus, reconcile, type MemberState, type ReleaseStatus } from "./state";
import type { TReleaseRule } from "./schemas";

/**
 * Carrying a release out: locks, the rule check against what the release would leave in place, applying every
 * member at once, and reconciling the release with its members after any of them changed. Every function here runs
 * with the locks of all the release's models, taken in one order (model ids sorted, then the release row), so a
 * release never deadlocks with another release, a member's own request, or the rollout scheduler.
 */
export const memberInclude = {
  model: true,
  version: { select: { id: true, version: true, registeredById: true, status: true, signature: true, featureSetName: true, featureSetVersion: true } },
  decisions: { orderBy: { createdAt: "asc" as const } },
};
export type MemberRow = Awaited<ReturnType<typeof loadMembers>>[number];
export type ReleaseRow = NonNullable<Awaited<ReturnType<typeof lockRelease>>>;

export function loadMembers(tx: Tx, releaseId: string) {
  return tx.promotionRequest.findMany({ where: { releaseId }, include: memberInclude, orderBy: { number: "asc" } });
}

/** Takes every member model's lock (sorted by id) and then the release row's; returns the release as it is now. */
export async function lockRelease(tx: Tx, releaseId: string) {
  const models = await tx.promotionRequest.findMany({ where: { releaseId }, select: { modelId: true }, distinct: ["modelId"] });
  for (const id of models.map((m) => m.modelId).sort()) await lockModel(tx, id);
  await tx.$executeRaw`SELECT 1 FROM releases WHERE id = ${releaseId} FOR UPDATE`;
  return tx.release.findUnique({ where: { id: releaseId } });
}

export function releaseTarget(r: { id: string; teamIds: string[] }) {
  return { type: "release", id: r.id, teamId: r.teamIds.length === 1 ? r.teamIds[0] : null };
}

export const memberLabel = (m: { number: number; model: { name: string }; version: { version: number } }) => `#${m.number} ${m.model.name} v${m.version.version}`;

function memberState(m: MemberRow): MemberState {
  return { number: m.number, model: m.model.name, version: m.version.version, status: m.status, statusReason: m.statusReason };
}

/**
 * Brings a release in line with its members, in a transaction of its own (see hook.ts): ends it when a member
 * closed, applies it when every member is approved, rolls back or stops the rest when one member was rolled back or
 * stopped, and records the outcome. Safe to run any number of times: it re-reads everything under the locks.
 */
export async function syncRelease(releaseId: string, o: { actor?: Actor; now?: Date } = {}): Promise<void> {
  await transaction(async (tx) => {
    const release = await lockRelease(tx, releaseId);
    if (!release) return;
    await reconcileRelease(tx, release, o.actor ?? SYSTEM, o.now ?? new Date());
  });
}

/** Whether the release has to follow its members (one ended, rolled back or was stopped), read under the locks. */
export async function releaseNeedsSettling(tx: Tx, release: ReleaseRow): Promise<boolean> {
  const r = reconcile(release.status as ReleaseStatus, (await loadMembers(tx, release.id)).map(memberState));
  return r.action !== "none" && r.action !== "apply";
}

export async function reconcileRelease(tx: Tx, release: ReleaseRow, actor: Actor, now: Date): Promise<void> {
  const members = await loadMembers(tx, release.id);
  const status = release.status as ReleaseStatus;
  const r = reconcile(status, members.map(memberState));
  switch (r.action) {
    case "none":
      if (r.reason && r.reason !== release.statusReason && status === "open") await tx.release.update({ where: { id: release.id }, data: { statusReason: r.reason } });
      return;
    case "end": {
      const reason = r.reason;
      for (const m of members) {
        if (!(OPEN_STATUSES as readonly string[]).includes(m.status)) continue;
        await transition(tx, { actor, request: m, to: "cancelled", reason: `Release ${release.number} ended without applying: ${reason}` });
      }
      await setReleaseStatus(tx, { release, to: r.status, reason, actor, closed: true });
      return;
    }
    case "apply":
      return applyRelease(tx, { release, members, actor, now });
    case "roll-back-rest": {
      const done = await rollBackMembers(tx, { release, members, actor, now, reason: `Rolled back with release ${release.number}: ${r.reason}` });
      await setReleaseStatus(tx, { release, to: "rolled-back", reason: `${r.reason}${/[.!?]$/.test(r.reason) ? "" : "."}${done.length ? ` The rest went back with it: ${done.join("; ")}.` : ""}`, actor, closed: true, data: { rolledBackAt: now } });
      return;
    }
    case "cancel-rest": {
      for (const m of members) {
        if (m.status !== "rolling-out") continue;
        const why = `Release ${release.number} stopped: ${r.reason}`;
        await endRolloutOfRequest(tx, { requestId: m.id, actor, reason: why, now });
        await transition(tx, { actor, request: m, to: "cancelled", reason: why });
      }
      await setReleaseStatus(tx, { release, to: "cancelled", reason: r.reason, actor, closed: true });
      return;
    }
    case "finish": {
      const to = finishedStatus(members.map(memberState));
      if (to !== status) await setReleaseStatus(tx, { release, to, reason: to === "applied" ? "Every member applied." : "Every member was rolled back.", actor, closed: true, data: to === "applied" ? { appliedAt: now } : { rolledBackAt: now } });
    }
  }
}

export async function setReleaseStatus(tx: Tx, o: { release: ReleaseRow; to: ReleaseStatus; reason: string; actor: Actor; closed?: boolean; comment?: string; data?: Record<string, unknown>; after?: Record<string, unknown> }): Promise<void> {
  await tx.release.update({ where: { id: o.release.id }, data: { status: o.to, statusReason: o.reason, ...(o.closed ? { closedAt: new Date() } : {}), ...o.data } });
  await recordAuditEvent(tx, { actor: o.actor, action: `release.${o.to}`, target: releaseTarget(o.release), before: { status: o.release.status }, after: { status: o.to, ...o.after }, reason: o.comment ?? o.reason });
}

/**
 * Every member approved: re-judges them on the evidence as it is now, checks the rules, and then applies them all
 * in this one transaction (direct moves: every alias with its audit event, and one event for the release), or
 * starts their rollouts together. Anything not ready leaves the release open, saying why.
 */
export async function applyRelease(tx: Tx, o: { release: ReleaseRow; members: MemberRow[]; actor: Actor; now: Date }): Promise<void> {
  const { release, now, actor } = o;
  const hold = async (reason: string, ruleCheck?: RuleCheck[]) => {
    await tx.release.update({ where: { id: release.id }, data: { statusReason: reason, ...(ruleCheck ? { ruleCheck: ruleCheck as object } : {}) } });
  };
  // Gates and approvals as they are now (a report aged, an approver lost the role): a member that is no longer
  // approved moves back, and the release waits for it.
  for (const m of o.members) await settleRequest(tx, { requestId: m.id, actor: SYSTEM, now });
  const members = await loadMembers(tx, release.id);
  if (!members.every((m) => m.status === "approved")) {
    const state = reconcile("open", members.map(memberState));
    return hold(state.action === "none" && state.reason ? state.reason : "A member is no longer approved.");
  }
  const checks = await checkReleaseRules(tx, { rules: release.rules as TReleaseRule[], members: members.map((m) => ({ model: m.model, version: m.version, stage: m.stage, alias: m.alias })) });
  if (checks.some((c) => c.status === "fail")) return hold(`Every member is approved, but a compatibility rule fails: ${describeFailures(checks)}`, checks);
  const busy = await tx.rollout.findFirst({ where: { modelId: { in: members.map((m) => m.modelId) }, status: { in: [...ACTIVE_STATUSES] } }, select: { number: true, model: { select: { name: true } } } });
  const evaluations = [];
  for (const m of members) evaluations.push(await evaluateRequest(tx, { model: m.model, versionId: m.versionId, stage: m.stage, emergency: m.emergency, decisions: decisionInputs(m.decisions), round: m.round, status: "approved", now, releaseId: m.releaseId }));
  const rollsOut = evaluations.some((e) => e.strategy !== "direct");
  if (rollsOut && busy) return hold(`Every member is approved; the release starts its rollouts once rollout ${busy.number} of ${busy.model.name} has ended (one rollout per model at a time).`, checks);
  await tx.release.update({ where: { id: release.id }, data: { ruleCheck: checks as object } });

  if (!rollsOut) {
    const moved: string[] = [];
    for (const m of members) moved.push(await applyMember(tx, { release, member: m, actor, now, via: "promotion" }));
    await setReleaseStatus(tx, { release, to: "applied", reason: `Applied together: ${moved.join("; ")}.`, actor, closed: true, data: { appliedAt: now }, after: { aliases: members.map((m) => ({ alias: `${m.model.name}@${m.alias}`, version: m.version.version })) } });
    for (const m of members) await reevaluateModel(tx, { modelId: m.modelId, actor: SYSTEM, now, exceptId: m.id });
    return;
  }
  for (const [i, m] of members.entries()) {
    const e = evaluations[i];
    const direct = e.strategy === "direct" || !e.stage?.rollout;
    await transition(tx, { actor, request: m, to: "rolling-out", reason: direct ? `Approved; moves with release ${release.number} when its members' rollouts complete.` : `Approved; the ${e.strategy} rollout of release ${release.number} takes over from here.` });
    if (!direct) await startRollout(tx, { request: m, policy: e.stage!.rollout!, signature: e.signature, actor, now });
  }
  await setReleaseStatus(tx, { release, to: "rolling-out", reason: "Every member is approved; their rollouts move together, and a breach in any of them rolls the whole release back.", actor });
}

/** One member's alias moves (in the caller's transaction, which holds every lock): its audit event, the request applied. */
export async function applyMember(tx: Tx, o: { release: { number: number }; member: MemberRow; actor: Actor; now: Date; via: "promotion" | "rollout" }): Promise<string> {
  const m = o.member;
  const previous = await moveAlias(tx, { model: m.model, alias: m.alias, target: { id: m.versionId, version: m.version.version }, actor: o.actor, reason: `Release ${o.release.number}, promotion #${m.number}: ${m.justification}`, via: o.via, requestId: m.id, action: "alias.set" });
  const moved = `${m.model.name}@${m.alias} moved from ${previous ? `v${previous.version}` : "nothing"} to v${m.version.version}`;
  await transition(tx, { actor: o.actor, request: m, to: "applied", reason: `${moved} with release ${o.release.number}.`, data: { fromVersion: previous?.version ?? null } });
  await notifyApplied(tx, { request: m, summary: `${moved} with release ${o.release.number}.` });
  await emitWebhookEvent(tx, { event: "promotion.applied", actor: o.actor, model: m.model, alias: m.alias, previousVersion: previous?.version ?? null, newVersion: m.version.version, request: m, data: { stage: m.stage, release: o.release.number } });
  await supersedeOthers(tx, { request: m, actor: o.actor, now: o.now, why: `release ${o.release.number} applied first` });
  return moved;
}

/**
 * Every member goes back: an applied member's alias is repointed to the version it replaced (when it still points
 * at the member's version and that version is ready), a rolling-out member's rollout stops. One transaction.
 * Returns what happened to each member, in a sentence.
 */
export async function rollBackMembers(tx: Tx, o: { release: ReleaseRow; members: MemberRow[]; actor: Actor; now: Date; reason: string; comment?: string }): Promise<string[]> {
  const done: string[] = [];
  for (const m of o.members) {
    if (m.status === "rolling-out") {
      const rollout = await tx.rollout.findUnique({ where: { requestId: m.id }, select: { id: true } });
      if (rollout) await endRollout(tx, { rolloutId: rollout.id, status: "rolled-back", actor: o.actor, reason: o.reason, now: o.now });
      await transition(tx, { actor: o.actor, request: m, to: "rolled-back", reason: o.reason, comment: o.comment });
      done.push(`${m.model.name} v${m.version.version} stopped before it moved`);
      continue;
    }
    if (m.status !== "applied") continue;
    const holder = await tx.modelAlias.findUnique({ where: { modelId_name: { modelId: m.modelId, name: m.alias } } });
    const back = m.fromVersion !== null ? await tx.modelVersion.findUnique({ where: { modelId_version: { modelId: m.modelId, version: m.fromVersion } }, select: { id: true, version: true, status: true } }) : null;
    if (holder?.versionId === m.versionId && back?.status === "ready") {
      await moveAlias(tx, { model: m.model, alias: m.alias, target: { id: back.id, version: back.version }, actor: o.actor, reason: o.comment ?? o.reason, via: "rollback", requestId: m.id, action: "alias.rollback" });
      await notifyRolledBack(tx, { model: m.model, alias: m.alias, from: m.version.version, to: back.version, by: o.actor.label, comment: o.comment ?? o.reason, request: m });
      await emitWebhookEvent(tx, { event: "promotion.rolled_back", actor: o.actor, model: m.model, alias: m.alias, previousVersion: m.version.version, newVersion: back.version, request: m, data: { comment: o.comment ?? o.reason } });
      done.push(`${m.model.name}@${m.alias} back from v${m.version.version} to v${back.version}`);
    } else {
      const why = holder?.versionId !== m.versionId ? `no longer points at v${m.version.version}` : m.fromVersion === null ? "had no holder before it" : `v${m.fromVersion} is archived`;
      done.push(`${m.model.name}@${m.alias} left as it is (it ${why})`);
    }
    await transition(tx, { actor: o.actor, request: m, to: "rolled-back", reason: o.reason, comment: o.comment });
    await endWatch(tx, { requestId: m.id, actor: o.actor, reason: o.reason });
  }
  for (const m of o.members) await reevaluateModel(tx, { modelId: m.modelId, actor: SYSTEM, now: o.now });
  return done;
}

/** The release's rules checked now (stored on the release); the failures in a sentence, or null when all hold. */
export async function failingRules(tx: Tx, release: ReleaseRow): Promise<string | null> {
  const members = await loadMembers(tx, release.id);
  const checks = await checkReleaseRules(tx, { rules: release.rules as TReleaseRule[], members: members.map((m) => ({ model: m.model, version: m.version, stage: m.stage, alias: m.alias })) });
  await tx.release.update({ where: { id: release.id }, data: { ruleCheck: checks as object } });
  return checks.some((c) => c.status === "fail") ? describeFailures(checks) : null;
}

/**
 * The last rollouts of a release completed (in the caller's transaction, which holds every lock): the members
 * without a rollout move now, in the same transaction, and the release is applied.
 */
export async function completeRelease(tx: Tx, o: { release: ReleaseRow; actor: Actor; now: Date }): Promise<void> {
  const members = await loadMembers(tx, o.release.id);
  const rollouts = await tx.rollout.findMany({ where: { request: { releaseId: o.release.id } }, select: { requestId: true } });
  const withRollout = new Set(rollouts.map((r) => r.requestId));
  for (const m of members) {
    if (m.status !== "rolling-out" || withRollout.has(m.id)) continue;
    await applyMember(tx, { release: o.release, member: m, actor: o.actor, now: o.now, via: "promotion" });
    await reevaluateModel(tx, { modelId: m.modelId, actor: SYSTEM, now: o.now, exceptId: m.id });
  }
  const after = await loadMembers(tx, o.release.id);
  if (!after.every((m) => m.status === "applied")) return;
  await setReleaseStatus(tx, { release: o.release, to: "applied", reason: "Every member's rollout completed; their aliases moved together.", actor: o.actor, closed: true, data: { appliedAt: o.now }, after: { aliases: after.map((m) => ({ alias: `${m.model.name}@${m.alias}`, version: m.version.version })) } });
}
