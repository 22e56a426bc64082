import "server-only";
import { endWatch } from "@/lib/rollouts/lifecycle";
import { conflict, forbidden, notFound } from "@/lib/api/errors";
import { actorFields, recordAuditEvent } from "@/lib/audit/record";
import { can, type Actor } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/require";
import { transaction } from "@/lib/db";
import { aliasViewOf, lockModel, moveAlias, type AliasView } from "@/lib/registry/aliases";
import { findReadableModel } from "@/lib/registry/models";
import { emitWebhookEvent } from "@/lib/webhooks/emit";
import { ZAliasName } from "@/lib/registry/schemas";
import { notifyRolledBack } from "./notify";
import { ZCommentInput, ZRollbackInput, type TCommentInput, type TRollbackInput } from "./schemas";
import { SYSTEM, reevaluateModel } from "./settle";
import { transition, lockedRequest } from "./request";
import { getPromotion, type PromotionView } from "./views";
import { z } from "zod";

/**
 * Which version an alias goes back to: the named one if it held the alias before, else the holder before the
 * current one. Pure, over the alias's history (oldest first). A default rollback right after a rollback is refused
 * rather than undoing it: an alerting system that retries must not redeploy the version it just pulled.
 */
export function rollbackTarget(history: readonly { fromVersion: number | null; toVersion: number | null; via?: string }[], current: number, toVersion?: number): { version: number } | { error: string } {
  if (toVersion !== undefined) {
    if (toVersion === current) return { error: `v${toVersion} holds the alias already` };
    if (!history.some((h) => h.toVersion === toVersion)) return { error: `v${toVersion} never held this alias, so it cannot be rolled back to` };
    return { version: toVersion };
  }
  const last = history.at(-1);
  if (last?.via === "rollback" && last.toVersion === current) {
    return { error: `it was just rolled back to v${current}${last.fromVersion !== null ? ` from v${last.fromVersion}` : ""}; name the version (toVersion) to go further back` };
  }
  for (let i = history.length - 1; i >= 0; i--) {
    const h = history[i];
    if (h.toVersion === current && h.fromVersion !== null && h.fromVersion !== current) return { version: h.fromVersion };
  }
  return { error: "it has no earlier holder to go back to" };
}

/**
 * Repoints an alias to its previous holder (or a named earlier one): the one-button undo of a promotion. Allowed to
 * ML Leads and admins, and to service tokens with `aliases:rollback` so an alerting system can pull it.
 */
export async function rollbackAlias(opts: { actor: Actor | null; model: string; alias: string; input: TRollbackInput; now?: Date }): Promise<{ alias: AliasView; from: number; to: number; requestId: string | null }> {
  const alias = z.object({ alias: ZAliasName }).parse({ alias: opts.alias }).alias;
  const input = ZRollbackInput.parse(opts.input);
  const result = await transaction(async (tx) => {
    // An alerting system's token may hold only aliases:rollback: that is enough to find the model it rolls back.
    const model = await findReadableModel(tx, opts.actor, opts.model, opts.actor && can(opts.actor, "registry.read") ? "registry.read" : "aliases.rollback");
    const actor = requirePermission(opts.actor, "aliases.rollback", model.teamId);
    await lockModel(tx, model.id);
    const now = opts.now ?? new Date();
    const current = await tx.modelAlias.findUnique({ where: { modelId_name: { modelId: model.id, name: alias } }, include: { version: { select: { id: true, version: true } } } });
    if (!current) throw notFound(`Model "${model.name}" has no alias "${alias}"`);
    const history = await tx.aliasChange.findMany({ where: { modelId: model.id, alias }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { fromVersion: true, toVersion: true, via: true, requestId: true } });
    const target = rollbackTarget(history, current.version.version, input.toVersion);
    if ("error" in target) throw conflict(`${model.name}@${alias} cannot be rolled back: ${target.error}.`, [{ path: "toVersion", message: target.error }]);
    const version = await tx.modelVersion.findUnique({ where: { modelId_version: { modelId: model.id, version: target.version } } });
    if (!version) throw notFound(`Model "${model.name}" has no version ${target.version}`);
    if (version.status !== "ready") throw conflict(`v${version.version} is archived; unarchive it or roll back to another version`, [{ path: "toVersion", message: "Archived" }]);
    // The request whose application put the current holder there, if the last move was one: it is now rolled back.
    const last = history.at(-1);
    const byRequest = last && (last.via === "promotion" || last.via === "emergency" || last.via === "rollout") && last.toVersion === current.version.version ? last.requestId : null;
    const applied = byRequest ? await tx.promotionRequest.findFirst({ where: { id: byRequest, status: "applied" }, include: { model: true, version: { select: { version: true } }, release: { select: { number: true, name: true, teamIds: true } } } }) : null;
    // A release's member goes back with the rest of its release (no mismatched pair is left), so rolling it back
    // takes the right to roll back every member's alias, as rolling back the release itself does.
    if (applied?.release && !applied.release.teamIds.every((t) => can(actor, "aliases.rollback", t))) {
      throw forbidden(`${model.name}@${alias} was moved by release ${applied.release.number} (${applied.release.name}); rolling it back rolls back every member of the release, including models of teams you cannot roll back. Ask someone who may roll back all of them, or roll back the release.`);
    }
    await moveAlias(tx, { model, alias, target: { id: version.id, version: version.version }, actor, reason: input.comment, via: "rollback", requestId: applied?.id ?? null, action: "alias.rollback" });
    if (applied) await transition(tx, { actor, request: applied, to: "rolled-back", reason: `${actorFields(actor).actorLabel} rolled ${model.name}@${alias} back to v${version.version}: ${input.comment}`, comment: input.comment });
    // A rollout still watching the version rolled back away from has nothing left to watch.
    if (applied) await endWatch(tx, { requestId: applied.id, actor, reason: `${actorFields(actor).actorLabel} rolled ${model.name}@${alias} back to v${version.version} by hand: ${input.comment}` });
    await notifyRolledBack(tx, { model, alias, from: current.version.version, to: version.version, by: actorFields(actor).actorLabel, comment: input.comment, request: applied });
    await emitWebhookEvent(tx, { event: "promotion.rolled_back", actor, model, alias, previousVersion: current.version.version, newVersion: version.version, request: applied, data: { comment: input.comment } });
    await reevaluateModel(tx, { modelId: model.id, actor: SYSTEM, now });
    return { model: { id: model.id, name: model.name }, from: current.version.version, to: version.version, requestId: applied?.id ?? null };
  });
  const { model, ...moved } = result;
  return { alias: await aliasViewOf(model, alias), ...moved };
}

/** A compliance officer's review of an applied emergency promotion, which clears it from the "review due" list. */
export async function reviewEmergencyPromotion(opts: { actor: Actor | null; id: string; input: TCommentInput }): Promise<PromotionView> {
  const input = ZCommentInput.parse(opts.input);
  const id = await transaction(async (tx) => {
    const r = await lockedRequest(tx, opts.actor, opts.id);
    const actor = requirePermission(opts.actor, "promotions.review", r.model.teamId);
    if (!r.reviewRequired) throw conflict(`Request #${r.number} was not an applied emergency promotion; it needs no review.`);
    if (r.reviewedAt) throw conflict(`Request #${r.number} was reviewed already, by ${r.reviewedBy}.`);
    // The review is a second pair of eyes: not the requester's, nor those of anyone who approved it.
    if (actor.kind === "user" && (actor.userId === r.requesterId || r.decisions.some((d) => d.userId === actor.userId))) {
      throw forbidden(`You ${actor.userId === r.requesterId ? "requested" : "decided on"} request #${r.number}; another compliance officer must review it.`);
    }
    const who = actorFields(actor).actorLabel;
    await tx.promotionRequest.update({ where: { id: r.id }, data: { reviewedAt: new Date(), reviewedBy: who, reviewComment: input.comment } });
    await recordAuditEvent(tx, { actor, action: "promotion.review", target: { type: "promotion", id: r.id, teamId: r.model.teamId }, before: { reviewed: false }, after: { reviewed: true }, reason: input.comment });
    return r.id;
  });
  return getPromotion({ actor: opts.actor, id });
}
