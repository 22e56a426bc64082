import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/api/errors";
import { publicUrl } from "@/lib/api/public-url";
import { can, type Actor } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/require";
import { db } from "@/lib/db";
import { effectivePolicyFor } from "@/lib/policy/policies";
import { requestPromotion } from "@/lib/promotions/request";
import { OPEN_STATUSES, STATUS_LABELS, type Status } from "@/lib/promotions/state";
import { deleteAlias, setAlias } from "@/lib/registry/aliases";
import { ZAliasName } from "@/lib/registry/schemas";
import { invalidParameter, MlflowError } from "./errors";
import { findMlflowModel, findMlflowVersion, versionJson } from "./read";

/**
 * The header a client sends with `POST registered-models/alias` on a protected alias to open a promotion request
 * instead: its value is the justification (percent-encoded if it is not plain ASCII).
 */
export const PROMOTION_HEADER = "Gatehouse-Promotion-Justification";

const VIA = "through the MLflow API";

function aliasName(alias: string): string {
  const parsed = z.object({ alias: ZAliasName }).safeParse({ alias });
  if (!parsed.success) throw invalidParameter(`Invalid alias name '${alias}': ${parsed.error.issues[0].message}.`);
  return parsed.data.alias;
}

function headerText(value: string | null): string | null {
  if (!value?.trim()) return null;
  try {
    return /%[0-9A-Fa-f]{2}/.test(value) ? decodeURIComponent(value) : value;
  } catch {
    return value;
  }
}

type RequestRef = { id: string; number: number; status: string; version: number; stage: string };

function requestInfo(r: RequestRef, request: Request) {
  return { id: r.id, number: r.number, status: r.status, version: String(r.version), stage: r.stage, url: publicUrl(`/promotions/${r.id}`, request) };
}

/**
 * MLflow `SetRegisteredModelAlias`. Unprotected aliases move as in MLflow. A protected one answers PERMISSION_DENIED
 * naming the promotion request flow; with the justification header it opens that request (or names the open one for
 * the same version, so a retried call opens no second), and answers 200 only if the request applied at once.
 */
export async function setRegisteredModelAlias(actor: Actor, req: { name: string; alias: string; version: string }, request: Request) {
  const alias = aliasName(req.alias);
  const model = await findMlflowModel(db, actor, req.name);
  const target = await findMlflowVersion(db, model, req.version);
  // Already there: nothing to do, for anyone who could have set it (a reader learns nothing new, but is not told "done").
  if (target.aliases.some((a) => a.name === alias) && (can(actor, "aliases.set", model.teamId) || can(actor, "promotions.request", model.teamId))) return {};
  // Protected first: a pipeline that may request promotions but not set aliases must still be told the way (or use it).
  const { policy } = await effectivePolicyFor(db, model.id);
  if (!policy.protectedAliases.includes(alias)) {
    try {
      await setAlias({ actor, model: model.name, alias, input: { version: target.version, reason: `Set ${VIA}` } });
      return {};
    } catch (err) {
      // Protected since the policy was read: answered as below.
      if (!(err instanceof AppError && err.code === "protected_alias")) throw err;
    }
  }

  const stage = policy.stages.find((s) => s.alias === alias);
  const protectedMessage = `@${alias} is a protected alias of ${model.name}: Gatehouse moves it only through a promotion request that passes the policy's gates and approvals`;
  const justification = headerText(request.headers.get(PROMOTION_HEADER));
  if (!stage) {
    throw new MlflowError("PERMISSION_DENIED", `${protectedMessage}, and no stage of the policy promotes to @${alias}: it moves by rollout or rollback only.`);
  }
  if (!justification) {
    throw new MlflowError(
      "PERMISSION_DENIED",
      `${protectedMessage}. Request one in Gatehouse (${publicUrl(`/models/${encodeURIComponent(model.name)}`, request)}), with POST /api/v1/promotions {"model": "${model.name}", "version": ${target.version}, "stage": "${stage.name}", "justification": "…"}, or repeat this call with the header "${PROMOTION_HEADER}: <why>" to open it from here.`,
    );
  }
  if (!can(actor, "promotions.request", model.teamId)) {
    throw new MlflowError("PERMISSION_DENIED", `${protectedMessage}, and this token may not request promotions (it needs the promotions:request scope, or an engineer's or ML Lead's role on the team).`);
  }
  const open = await db.promotionRequest.findFirst({
    where: { modelId: model.id, alias, versionId: target.id, status: { in: [...OPEN_STATUSES] } },
    orderBy: { createdAt: "desc" },
    select: { id: true, number: true, status: true, stage: true },
  });
  if (open) {
    const info = requestInfo({ ...open, version: target.version }, request);
    throw new MlflowError("PERMISSION_DENIED", `${protectedMessage}. Promotion request #${open.number} to move it to version ${target.version} is already open (${STATUS_LABELS[open.status as Status]?.toLowerCase() ?? open.status}): ${info.url}`, { promotion_request: info, opened: false });
  }
  const created = await requestPromotion({ actor, input: { model: model.name, version: target.version, stage: stage.name, justification } });
  const info = requestInfo(created, request);
  if (created.status === "applied") return { gatehouse: { promotion_request: info, opened: true } };
  throw new MlflowError(
    "PERMISSION_DENIED",
    `${protectedMessage}. Opened promotion request #${created.number} to move it to version ${target.version} (stage ${created.stage}; ${created.statusLabel.toLowerCase()}${created.statusReason ? `: ${created.statusReason}` : ""}). @${alias} moves when it is approved: ${info.url}`,
    { promotion_request: info, opened: true },
  );
}

/** MLflow `DeleteRegisteredModelAlias`: an alias that is not set is already deleted; a protected one is refused. */
export async function deleteRegisteredModelAlias(actor: Actor, req: { name: string; alias: string }) {
  const alias = aliasName(req.alias);
  const model = await findMlflowModel(db, actor, req.name);
  const current = await db.modelAlias.findUnique({ where: { modelId_name: { modelId: model.id, name: alias } }, select: { id: true } });
  if (!current) {
    // Nothing to delete, as MLflow answers; but only to those who could have deleted it.
    requirePermission(actor, "aliases.set", model.teamId);
    return {};
  }
  try {
    await deleteAlias({ actor, model: model.name, alias, reason: `Deleted ${VIA}` });
  } catch (err) {
    if (err instanceof AppError && err.code === "protected_alias") {
      throw new MlflowError("PERMISSION_DENIED", `@${alias} is a protected alias of ${model.name}: it is never deleted by hand. It moves only through promotion requests, rollouts and rollbacks in Gatehouse.`);
    }
    if (err instanceof AppError && err.status === 404) return {};
    throw err;
  }
  return {};
}

/** MLflow `GetModelVersionByAlias`: serving tokens may call it too (MLflow clients resolve `models:/name@alias` with it). */
export async function getModelVersionByAlias(actor: Actor, req: { name: string; alias: string }) {
  const permission = can(actor, "serving.read") ? "serving.read" : "registry.read";
  let model;
  try {
    model = await findMlflowModel(db, actor, req.name, permission);
  } catch (err) {
    // MLflow answers an unknown model here as it does an unknown alias.
    if (err instanceof MlflowError && err.code === "RESOURCE_DOES_NOT_EXIST") throw invalidParameter(`Registered model alias ${req.alias} not found.`);
    throw err;
  }
  const row = await db.modelAlias.findUnique({ where: { modelId_name: { modelId: model.id, name: req.alias } }, select: { version: { select: { version: true } } } });
  if (!row) throw invalidParameter(`Registered model alias ${req.alias} not found.`);
  return { model_version: versionJson(await findMlflowVersion(db, model, String(row.version.version))) };
}

