import "server-only";
import { AppError, badRequest, conflict, forbidden } from "@/lib/api/errors";
import { actorFields, recordAuditEvent } from "@/lib/audit/record";
import { can, type Actor } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/require";
import { transaction } from "@/lib/db";
import { decideInTx } from "@/lib/promotions/decide";
import { openRequest, isRequester, transition } from "@/lib/promotions/request";
import { OPEN_STATUSES } from "@/lib/promotions/state";
import { lockModel } from "@/lib/registry/aliases";
import { findReadableModel } from "@/lib/registry/models";
import { endRolloutOfRequest } from "@/lib/rollouts/lifecycle";
import { requestReleaseSync } from "./hook";
import { describeFailures } from "./rules";
import { ZCreateReleaseInput, ZReleaseCommentInput, ZReleaseDecisionInput, type TCreateReleaseInput, type TReleaseDecisionInput } from "./schemas";
import { RELEASE_STATUS_LABELS, type ReleaseStatus } from "./state";
import { checkReleaseRules } from "./check";
import { loadMembers, lockRelease, memberLabel, releaseTarget, rollBackMembers, setReleaseStatus } from "./sync";
import { findReadableRelease, getRelease, type ReleaseView } from "./views";

/** Runs `fn`, reporting a not-found at `path` (which member of the release named the missing model or version). */
async function at<T>(path: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError && !err.details?.length) throw new AppError(err.status, err.code, err.message, [{ path, message: err.message }]);
    throw err;
  }
}

function endedMessage(r: { number: number; status: string; statusReason: string | null }): string {
  return `Release ${r.number} is ${RELEASE_STATUS_LABELS[r.status as ReleaseStatus]?.toLowerCase() ?? r.status}${r.statusReason ? `: ${r.statusReason}` : "."}`;
}

/**
 * An engineer (or a pipeline's token) asks to promote several models together. Every member becomes a promotion
 * request with its own gates and approvals, held until all are approved; the release's rules (and the members'
 * policy dependencies) must hold for what the release would leave in place, or nothing is created.
 */
export async function createRelease(opts: { actor: Actor | null; input: TCreateReleaseInput; now?: Date }): Promise<ReleaseView> {
  const input = ZCreateReleaseInput.parse(opts.input);
  const now = opts.now ?? new Date();
  const id = await transaction(async (tx) => {
    const models: Awaited<ReturnType<typeof findReadableModel>>[] = [];
    for (const [i, m] of input.members.entries()) {
      const model = await at(`members.${i}.model`, () => findReadableModel(tx, opts.actor, m.model));
      requirePermission(opts.actor, "promotions.request", model.teamId);
      models.push(model);
    }
    const actor = opts.actor!;
    // Rules name models as the caller wrote them: checked against the models they resolve to (a model the caller
    // cannot read is as unknown as one that does not exist), and refused if they would apply to no member.
    const rules = [];
    for (const [i, r] of input.rules.entries()) {
      const j = input.members.findIndex((m) => m.model.trim().toLowerCase() === r.model.trim().toLowerCase());
      const required = await at(`rules.${i}.requires`, () => findReadableModel(tx, opts.actor, r.requires));
      if (r.version !== undefined && r.version !== Number(input.members[j].version)) {
        throw badRequest(`Rule ${i + 1} is for ${models[j].name} v${r.version}, but the release promotes v${input.members[j].version}`, [{ path: `rules.${i}.version`, message: `The release promotes v${input.members[j].version}` }]);
      }
      if (required.id === models[j].id) throw badRequest("A model cannot require itself", [{ path: `rules.${i}.requires`, message: "A model cannot require itself" }]);
      rules.push({ ...r, model: models[j].name, requires: required.name });
    }
    for (const id of models.map((m) => m.id).sort()) await lockModel(tx, id);
    const who = actorFields(actor);
    const teamIds = [...new Set(models.map((m) => m.teamId))].sort();
    const release = await tx.release.create({
      data: {
        name: input.name,
        justification: input.justification,
        status: "open",
        rules: rules as object,
        teamIds,
        requesterId: actor.kind === "user" ? actor.userId : null,
        requesterTokenId: actor.kind === "service" ? actor.tokenId : actor.kind === "user" ? (actor.tokenId ?? null) : null,
        requesterLabel: who.actorLabel,
      },
    });
    await recordAuditEvent(tx, {
      actor,
      action: "release.create",
      target: releaseTarget(release),
      after: { number: release.number, name: input.name, members: input.members.map((m, i) => ({ model: models[i].name, version: Number(m.version), stage: m.stage })), rules },
      reason: input.justification,
    });
    const justification = `${input.justification} (release ${release.number}: ${input.name})`.slice(0, 4_000);
    for (const [i, m] of input.members.entries()) {
      await openRequest(tx, { actor, model: models[i], input: { version: Number(m.version), stage: m.stage, justification, emergency: false }, now, releaseId: release.id, paths: { version: `members.${i}.version`, stage: `members.${i}.stage` } });
    }
    const members = await loadMembers(tx, release.id);
    const checks = await checkReleaseRules(tx, { rules, members: members.map((x) => ({ model: x.model, version: x.version, stage: x.stage, alias: x.alias })) });
    const failed = checks.filter((c) => c.status === "fail");
    if (failed.length) {
      // Nothing is created: the transaction rolls back with this error.
      throw new AppError(422, "incompatible_release", `The release breaks ${failed.length === 1 ? "a compatibility rule" : `${failed.length} compatibility rules`}: ${describeFailures(checks)}`, failed.map((c) => ({ path: c.path, message: `${c.rule}: ${c.message}` })));
    }
    await tx.release.update({ where: { id: release.id }, data: { ruleCheck: checks as object } });
    requestReleaseSync(tx, release.id, now);
    return release.id;
  });
  return getRelease({ actor: opts.actor, id, now });
}

/**
 * An approver decides on a whole release at once: the decision is recorded on every member waiting for a role the
 * approver holds (each with its own evidence hash and, where asked, signature), in one transaction. Members the
 * approver cannot decide on are listed with the reason.
 */
export async function decideRelease(opts: { actor: Actor | null; id: string; input: TReleaseDecisionInput; now?: Date }): Promise<ReleaseView & { decided: number[]; skipped: { number: number; reason: string }[] }> {
  const input = ZReleaseDecisionInput.parse(opts.input);
  const now = opts.now ?? new Date();
  const decide = () => transaction(async (tx) => {
    const found = await findReadableRelease(tx, opts.actor, opts.id);
    const release = (await lockRelease(tx, found.id))!;
    if (release.status !== "open") throw conflict(endedMessage(release));
    const decided: number[] = [];
    const skipped: { number: number; reason: string }[] = [];
    let refused = false;
    for (const m of await loadMembers(tx, release.id)) {
      if (m.status !== "awaiting-approval" && !(m.status === "blocked" && input.decision !== "approve")) {
        skipped.push({ number: m.number, reason: m.status === "approved" ? "already approved" : m.status === "blocked" ? `blocked: ${m.statusReason ?? "its gates do not pass"}` : (m.statusReason ?? m.status) });
        continue;
      }
      try {
        await decideInTx(tx, opts.actor, m.id, input, now);
        decided.push(m.number);
      } catch (err) {
        // A wrong password stops everything; a member this person may not decide on is only skipped.
        if (err instanceof AppError && (err.status === 403 || err.status === 409) && err.code !== "signature_failed") {
          skipped.push({ number: m.number, reason: err.message });
          refused ||= err.status === 403;
        } else throw err;
      }
    }
    if (!decided.length) throw (refused ? forbidden : conflict)(`Nothing in release ${release.number} was waiting for your decision: ${skipped.map((s) => `#${s.number} ${s.reason.replace(/\.$/, "")}`).join("; ")}.`);
    return { id: release.id, decided, skipped };
  });
  const result = await decide().catch(async (err) => {
    // A wrong password is worth an auditor's attention; nothing of the decision was recorded.
    if (err instanceof AppError && err.code === "signature_failed" && opts.actor) await recordFailedSignature(opts.actor, opts.id);
    throw err;
  });
  return { ...(await getRelease({ actor: opts.actor, id: result.id, now })), decided: result.decided, skipped: result.skipped };
}

async function recordFailedSignature(actor: Actor, id: string): Promise<void> {
  await transaction(async (tx) => {
    const found = await findReadableRelease(tx, actor, id);
    await recordAuditEvent(tx, { actor, action: "release.signature-failed", target: releaseTarget({ id: found.id, teamIds: found.teamIds }), reason: "An electronic signature on a release decision was refused: the password was not correct." });
  });
}

/** The requester (or an admin of every member's team) withdraws a release: every member still open is cancelled, live rollouts stop. */
export async function cancelRelease(opts: { actor: Actor | null; id: string; input: { comment: string }; now?: Date }): Promise<ReleaseView> {
  const input = ZReleaseCommentInput.parse(opts.input);
  const now = opts.now ?? new Date();
  const id = await transaction(async (tx) => {
    const found = await findReadableRelease(tx, opts.actor, opts.id);
    const release = (await lockRelease(tx, found.id))!;
    const actor = opts.actor!;
    if (!isRequester(actor, release) && !release.teamIds.every((t) => can(actor, "promotions.cancel-any", t))) throw forbidden("Only the requester or an admin can cancel a release.");
    if (release.status !== "open" && release.status !== "rolling-out") throw conflict(endedMessage(release));
    const who = actorFields(actor).actorLabel;
    const reason = `Release ${release.number} was cancelled by ${who}: ${input.comment}`;
    for (const m of await loadMembers(tx, release.id)) {
      if (m.status === "rolling-out") await endRolloutOfRequest(tx, { requestId: m.id, actor, reason, now });
      if ((OPEN_STATUSES as readonly string[]).includes(m.status) || m.status === "rolling-out") await transition(tx, { actor, request: m, to: "cancelled", reason });
    }
    await setReleaseStatus(tx, { release, to: "cancelled", reason: `Cancelled by ${who}: ${input.comment}`, comment: input.comment, actor, closed: true });
    return release.id;
  });
  return getRelease({ actor: opts.actor, id, now });
}

/**
 * Rolls a release back: every member's alias is repointed to the version it replaced, in one transaction (one audit
 * event per alias and one for the release); a release still rolling out stops its rollouts. Refused, with the alias
 * named, when an alias has moved on since or its previous holder cannot serve again.
 */
export async function rollbackRelease(opts: { actor: Actor | null; id: string; input: { comment: string }; now?: Date }): Promise<ReleaseView> {
  const input = ZReleaseCommentInput.parse(opts.input);
  const now = opts.now ?? new Date();
  const id = await transaction(async (tx) => {
    const found = await findReadableRelease(tx, opts.actor, opts.id);
    const release = (await lockRelease(tx, found.id))!;
    for (const t of release.teamIds) requirePermission(opts.actor, "aliases.rollback", t);
    const actor = opts.actor!;
    if (release.status !== "applied" && release.status !== "rolling-out") throw conflict(release.status === "open" ? `Release ${release.number} has not applied yet; cancel it instead.` : endedMessage(release));
    const members = await loadMembers(tx, release.id);
    const problems: { path: string; message: string }[] = [];
    for (const [i, m] of members.entries()) {
      if (m.status !== "applied") continue;
      const holder = await tx.modelAlias.findUnique({ where: { modelId_name: { modelId: m.modelId, name: m.alias } }, include: { version: { select: { version: true } } } });
      const back = m.fromVersion !== null ? await tx.modelVersion.findUnique({ where: { modelId_version: { modelId: m.modelId, version: m.fromVersion } }, select: { status: true } }) : null;
      const alias = `${m.model.name}@${m.alias}`;
      if (holder?.versionId !== m.versionId) problems.push({ path: `members.${i}`, message: `${alias} no longer points at v${m.version.version} (it is at ${holder ? `v${holder.version.version}` : "nothing"}); it moved on after the release` });
      else if (m.fromVersion === null) problems.push({ path: `members.${i}`, message: `${alias} had no holder before the release, so there is nothing to go back to` });
      else if (back?.status !== "ready") problems.push({ path: `members.${i}`, message: `v${m.fromVersion}, which ${alias} would go back to, is archived; unarchive it first` });
    }
    if (problems.length) throw conflict(`Release ${release.number} cannot be rolled back as a whole: ${problems.map((p) => p.message).join("; ")}. Roll back the other aliases one by one if you must.`, problems);
    const who = actorFields(actor).actorLabel;
    const reason = `Release ${release.number} was rolled back by ${who}: ${input.comment}`;
    const done = await rollBackMembers(tx, { release, members, actor, now, reason, comment: input.comment });
    await setReleaseStatus(tx, { release, to: "rolled-back", reason: `Rolled back by ${who}: ${done.join("; ")}.`, comment: input.comment, actor, closed: true, data: { rolledBackAt: now }, after: { members: members.map(memberLabel) } });
    return release.id;
  });
  return getRelease({ actor: opts.actor, id, now });
}
