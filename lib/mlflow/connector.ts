import "server-only";
import { ZodError } from "zod";
import { AppError, badRequest, conflict, notFound } from "@/lib/api/errors";
import { actorFields, recordAuditEvent } from "@/lib/audit/record";
import { can, type Actor } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/require";
import { db, transaction } from "@/lib/db";
import { announceOutbox } from "@/lib/notifications/wakeup";
import { effectivePolicyFor } from "@/lib/policy/policies";
import { lockModel, moveAlias } from "@/lib/registry/aliases";
import { findReadableModel } from "@/lib/registry/models";
import { registerVersion } from "@/lib/registry/versions";
import { openStoredSecret, sealStoredSecret } from "@/lib/webhooks/secret-store";
import { aliasRecord, describeDrift, detectDrift, importedVersionInput, metricsReport, versionsToImport, type DriftItem } from "./connector-rules";
import { ZSaveConnectorInput, type TSaveConnectorInput } from "./connector-schemas";
import { getRemoteModel, getRemoteRun, RemoteError, searchRemoteVersions, type Remote } from "./remote";
import { originOf } from "./shapes";
import { toSyncView, type SyncView } from "./sync-view";

export type { SyncView };

/**
 * MLflow connectors: a Gatehouse model governing a registered model of an MLflow registry. Imports bring MLflow's
 * versions in (numbers kept, gaps included, run lineage and metrics as a report) on a schedule and on demand; the
 * alias moves Gatehouse makes are sent to MLflow (lib/mlflow/alias-sync.ts); an import also compares MLflow's aliases
 * with Gatehouse's and records any drift, which the model page shows.
 */

export type ConnectorView = {
  model: string;
  trackingUri: string;
  mlflowName: string;
  hasToken: boolean;
  intervalMinutes: number;
  enabled: boolean;
  nextImportAt: string | null;
  lastImportAt: string | null;
  lastImportStatus: "ok" | "failed" | null;
  lastImportMessage: string | null;
  drift: (DriftItem & { message: string })[];
  driftSince: string | null;
  /** Alias moves MLflow has not taken yet although tried: how many, and the newest error. */
  failing: { count: number; lastError: string | null };
  syncs: SyncView[];
};
export type ImportSummary = { status: "ok" | "failed"; imported: number[]; skipped: { version: number; reason: string }[]; adopted: string[]; drift: DriftItem[]; message: string };

/** Who imports: recorded as the registrant of imported versions and the actor of the connector's audit events. */
export const CONNECTOR_ACTOR: Actor = { kind: "system", label: "MLflow connector" };

type ConnectorRow = NonNullable<Awaited<ReturnType<typeof loadConnector>>>;

async function loadConnector(modelId: string) {
  const c = await db.mlflowConnector.findUnique({ where: { modelId }, include: { model: { select: { name: true, archivedAt: true } } } });
  return c && !c.removedAt ? c : null;
}


async function toView(c: ConnectorRow): Promise<ConnectorView> {
  const [syncs, failing] = await Promise.all([
    db.mlflowAliasSync.findMany({ where: { connectorId: c.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 20 }),
    db.mlflowAliasSync.findMany({ where: { connectorId: c.id, status: "pending", attempts: { gt: 0 } }, orderBy: { lastAttemptAt: "desc" }, select: { lastError: true } }),
  ]);
  const drift = c.drift as DriftItem[];
  return {
    model: c.model.name,
    trackingUri: c.trackingUri,
    mlflowName: c.mlflowName,
    hasToken: c.tokenSealed !== null,
    intervalMinutes: c.intervalMinutes,
    enabled: c.enabled,
    nextImportAt: c.enabled && !c.model.archivedAt ? c.nextImportAt.toISOString() : null,
    lastImportAt: c.lastImportAt?.toISOString() ?? null,
    lastImportStatus: c.lastImportStatus as ConnectorView["lastImportStatus"],
    lastImportMessage: c.lastImportMessage,
    drift: drift.map((d) => ({ ...d, message: describeDrift(d) })),
    driftSince: c.driftSince?.toISOString() ?? null,
    failing: { count: failing.length, lastError: failing[0]?.lastError ?? null },
    syncs: syncs.map(toSyncView),
  };
}

/** The model's connector, for anyone who may read the model; null when it has none. */
export async function getConnector(opts: { actor: Actor | null; model: string }): Promise<ConnectorView | null> {
  const model = await findReadableModel(db, opts.actor, opts.model);
  const c = await loadConnector(model.id);
  return c ? toView(c) : null;
}

/**
 * Connects the model to an MLflow registry, or changes the connection (an admin). The token is stored sealed. A
 * connected model's version numbers are its MLflow model's, so a model is connected only while it has no versions,
 * or again (after a disconnection) to the same MLflow model; a connection with versions cannot be re-pointed.
 */
export async function saveConnector(opts: { actor: Actor | null; model: string; input: TSaveConnectorInput }): Promise<ConnectorView> {
  const input = ZSaveConnectorInput.parse(opts.input);
  await transaction(async (tx) => {
    const model = await findReadableModel(tx, opts.actor, opts.model);
    const actor = requirePermission(opts.actor, "mlflow.manage", model.teamId);
    if (model.archivedAt) throw badRequest(`${model.name} is archived; it cannot be connected`, [{ path: "model", message: "Archived" }]);
    await lockModel(tx, model.id);
    const before = await tx.mlflowConnector.findUnique({ where: { modelId: model.id } });
    const trackingUri = input.trackingUri.replace(/\/+$/, "");
    const mlflowName = input.mlflowName ?? before?.mlflowName ?? model.name;
    const versions = await tx.modelVersion.count({ where: { modelId: model.id } });
    if (versions > 0 && (!before || before.trackingUri !== trackingUri || before.mlflowName !== mlflowName)) {
      throw conflict(
        before
          ? `${model.name} has ${versions} version${versions > 1 ? "s" : ""} numbered by ${before.mlflowName} at ${before.trackingUri}; another MLflow model's numbers would collide with them. Connect a new Gatehouse model to it instead.`
          : `${model.name} already has ${versions} version${versions > 1 ? "s" : ""} of its own; a connected model's versions are numbered by MLflow, so connect a model that has none yet.`,
        [{ path: before && before.trackingUri !== trackingUri ? "trackingUri" : before ? "mlflowName" : "trackingUri", message: "The model's versions come from another source" }],
      );
    }
    // A token goes only where it was given for: pointed at another server, the stored one is dropped unless re-entered.
    const movedOrigin = before !== null && new URL(before.trackingUri).origin !== new URL(trackingUri).origin;
    const token = input.token === undefined ? (movedOrigin ? null : undefined) : input.token === null || input.token === "" ? null : sealStoredSecret(input.token);
    const data = {
      trackingUri,
      mlflowName,
      intervalMinutes: input.intervalMinutes,
      enabled: input.enabled,
      removedAt: null,
      ...(token !== undefined ? { tokenSealed: token } : {}),
      // A new, re-enabled, re-connected or re-pointed connection imports at once.
      ...(!before || before.removedAt || (input.enabled && !before.enabled) || before.trackingUri !== trackingUri ? { nextImportAt: new Date() } : {}),
    };
    const saved = before ? await tx.mlflowConnector.update({ where: { id: before.id }, data }) : await tx.mlflowConnector.create({ data: { ...data, modelId: model.id, tokenSealed: token ?? null } });
    const shown = (c: { trackingUri: string; mlflowName: string; intervalMinutes: number; enabled: boolean; tokenSealed: string | null }) => ({ trackingUri: c.trackingUri, mlflowName: c.mlflowName, intervalMinutes: c.intervalMinutes, enabled: c.enabled, token: c.tokenSealed ? "set" : "none" });
    const live = before && !before.removedAt ? before : null;
    await recordAuditEvent(tx, {
      actor,
      action: live ? "mlflow.connector.update" : "mlflow.connector.create",
      target: { type: "model", id: model.id, teamId: model.teamId },
      before: live ? { ...shown(live), ...(token !== undefined && live.tokenSealed ? { token: token === null ? "set" : "replaced" } : {}) } : undefined,
      after: { ...shown(saved), ...(movedOrigin && input.token === undefined && before?.tokenSealed ? { tokenDropped: "the tracking URI moved to another server" } : {}) },
      reason: input.reason,
    });
  });
  return (await getConnector({ actor: opts.actor, model: opts.model }))!;
}

/**
 * Disconnects the model (an admin). Imported versions, aliases and their history stay, and so do the requests' MLflow
 * outcomes: the connection is kept as removed. Alias moves not yet sent are dropped (marked superseded).
 */
export async function removeConnector(opts: { actor: Actor | null; model: string; reason?: string }): Promise<{ removed: true }> {
  return transaction(async (tx) => {
    const model = await findReadableModel(tx, opts.actor, opts.model);
    const actor = requirePermission(opts.actor, "mlflow.manage", model.teamId);
    await lockModel(tx, model.id);
    const before = await tx.mlflowConnector.findUnique({ where: { modelId: model.id } });
    if (!before || before.removedAt) throw notFound(`${model.name} has no MLflow connector`);
    const now = new Date();
    const dropped = await tx.mlflowAliasSync.updateMany({ where: { connectorId: before.id, status: "pending" }, data: { status: "superseded", doneAt: now, lastError: "The MLflow connector was removed before this move was sent." } });
    await tx.mlflowConnector.update({ where: { id: before.id }, data: { removedAt: now, enabled: false, drift: [], driftSince: null } });
    await recordAuditEvent(tx, {
      actor,
      action: "mlflow.connector.remove",
      target: { type: "model", id: model.id, teamId: model.teamId },
      before: { trackingUri: before.trackingUri, mlflowName: before.mlflowName, pendingAliasMoves: dropped.count },
      reason: opts.reason,
    });
    return { removed: true as const };
  });
}

export function remoteOf(c: { trackingUri: string; tokenSealed: string | null }): Remote {
  const token = c.tokenSealed ? openStoredSecret(c.tokenSealed) : null;
  if (c.tokenSealed && token === null) throw new RemoteError("the stored MLflow token cannot be opened (the key changed since it was saved): save the token again", null, null);
  return { trackingUri: c.trackingUri, token };
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 1_000);

function validationText(err: ZodError, origins: Record<string, string>): string {
  return err.issues.map((i) => `${originOf(i.path.map(String).join("."), origins)}: ${i.message}`).join("; ");
}

/** How long one import may hold its connector; longer than an import of many versions takes (10 s per MLflow call). */
const IMPORT_LEASE_MS = 10 * 60_000;
/** A queued alias move tried this often without success no longer hides its alias from drift detection. */
const FAILED_SYNC_SHOWS_DRIFT_AFTER = 3;

/**
 * One import: MLflow's versions Gatehouse lacks are registered with their numbers; MLflow's aliases that Gatehouse
 * has not set are adopted until every one has been (so the first connection records where they point, and an alias on
 * a version imported later is adopted then); every import records the aliases that drifted. Never throws for MLflow's
 * trouble: it is recorded on the connector (and in the audit trail when the state changes). Returns null when another
 * import of the same connector holds it.
 */
export async function importConnector(connectorId: string, opts: { now?: Date } = {}): Promise<ImportSummary | null> {
  const now = opts.now ?? new Date();
  const claimed = await db.mlflowConnector.updateMany({
    where: { id: connectorId, removedAt: null, OR: [{ importLeaseUntil: null }, { importLeaseUntil: { lt: now } }] },
    data: { importLeaseUntil: new Date(now.getTime() + IMPORT_LEASE_MS) },
  });
  if (!claimed.count) return null;
  try {
    return await runImport(connectorId, now);
  } finally {
    await db.mlflowConnector.update({ where: { id: connectorId }, data: { importLeaseUntil: null } });
  }
}

async function runImport(connectorId: string, now: Date): Promise<ImportSummary> {
  const started = new Date();
  const c = await db.mlflowConnector.findUniqueOrThrow({ where: { id: connectorId }, include: { model: { select: { id: true, name: true, teamId: true, archivedAt: true } } } });
  const next = new Date(now.getTime() + c.intervalMinutes * 60_000);
  const imported: number[] = [];
  const skipped: { version: number; reason: string }[] = [];
  const adopted: string[] = [];
  let drift: DriftItem[] = c.drift as DriftItem[];
  try {
    const remote = remoteOf(c);
    const [remoteModel, remoteVersions] = await Promise.all([getRemoteModel(remote, c.mlflowName), searchRemoteVersions(remote, c.mlflowName)]);
    const known = new Set((await db.modelVersion.findMany({ where: { modelId: c.modelId }, select: { version: true } })).map((v) => v.version));
    for (const v of versionsToImport(remoteVersions, known)) {
      const number = Number(v.version);
      try {
        const run = v.run_id ? await getRemoteRun(remote, v.run_id) : null;
        const { input, origins } = importedVersionInput({ trackingUri: c.trackingUri, version: v, run });
        const report = v.run_id ? metricsReport(run, v.run_id) : null;
        try {
          await registerVersion({ actor: CONNECTOR_ACTOR, model: c.model.name, input, via: "connector", number, reports: report ? [report] : [] });
          imported.push(number);
        } catch (err) {
          if (err instanceof ZodError) throw new SkipVersion(validationText(err, origins));
          throw err;
        }
      } catch (err) {
        // One version MLflow or Gatehouse will not take (a malformed tag, a run MLflow refuses) is skipped and tried
        // again next time; MLflow being unreachable fails the whole import.
        if (err instanceof SkipVersion) skipped.push({ version: number, reason: err.message });
        else if (err instanceof AppError && err.status < 500) skipped.push({ version: number, reason: err.message });
        else if (err instanceof RemoteError && err.status !== null) skipped.push({ version: number, reason: `its run could not be read: ${err.message}` });
        else throw err;
      }
    }

    const mlflowAliases = aliasRecord(remoteModel.aliases);
    await transaction(async (tx) => {
      await lockModel(tx, c.modelId);
      const fresh = await tx.mlflowConnector.findUnique({ where: { id: c.id } });
      // Removed or re-pointed while this import ran: its findings are about another connection.
      if (!fresh || fresh.removedAt || fresh.trackingUri !== c.trackingUri || fresh.mlflowName !== c.mlflowName) return;
      const rows = await tx.modelAlias.findMany({ where: { modelId: c.modelId }, select: { name: true, version: { select: { version: true } } } });
      const gatehouse = Object.fromEntries(rows.map((a) => [a.name, a.version.version]));
      let allAdopted = fresh.aliasesAdopted;
      if (!fresh.aliasesAdopted) {
        allAdopted = true;
        for (const [alias, version] of Object.entries(mlflowAliases)) {
          if (gatehouse[alias] !== undefined) continue;
          const target = await tx.modelVersion.findUnique({ where: { modelId_version: { modelId: c.modelId, version } }, select: { id: true, version: true, status: true } });
          if (!target || target.status !== "ready") {
            allAdopted = false;
            continue;
          }
          await moveAlias(tx, { model: c.model, alias, target, actor: CONNECTOR_ACTOR, reason: `Adopted from MLflow (${c.mlflowName} at ${c.trackingUri}) when the connector imported it`, via: "import", action: "alias.import" });
          gatehouse[alias] = version;
          adopted.push(alias);
        }
      }
      // Aliases whose move is on its way to MLflow differ only until it arrives (or arrived while this import ran);
      // one MLflow keeps refusing shows as drift.
      const inFlight = await tx.mlflowAliasSync.findMany({
        where: { connectorId: c.id, OR: [{ status: "pending", attempts: { lt: FAILED_SYNC_SHOWS_DRIFT_AFTER } }, { status: "done", doneAt: { gte: started } }] },
        select: { alias: true },
      });
      drift = detectDrift(mlflowAliases, gatehouse, new Set(inFlight.map((s) => s.alias)));
      const before = fresh.drift as DriftItem[];
      const changed = JSON.stringify(before) !== JSON.stringify(drift);
      await tx.mlflowConnector.update({
        where: { id: c.id },
        data: {
          aliasesAdopted: allAdopted,
          drift,
          driftSince: drift.length ? (before.length && fresh.driftSince ? fresh.driftSince : now) : null,
          lastImportAt: now,
          lastImportStatus: "ok",
          lastImportMessage: summaryMessage(imported, skipped, adopted, drift, known.size),
          nextImportAt: next,
        },
      });
      // Imports that bring nothing are not events: the connector's status shows them (and any skipped version).
      if (imported.length || adopted.length || fresh.lastImportStatus === "failed") {
        await recordAuditEvent(tx, { actor: CONNECTOR_ACTOR, action: "mlflow.import", target: { type: "model", id: c.modelId, teamId: c.model.teamId }, after: { trackingUri: c.trackingUri, mlflowName: c.mlflowName, imported, skipped, adopted } });
      }
      if (changed) {
        await recordAuditEvent(tx, {
          actor: CONNECTOR_ACTOR,
          action: drift.length ? "mlflow.drift.detected" : "mlflow.drift.resolved",
          target: { type: "model", id: c.modelId, teamId: c.model.teamId },
          before: { drift: before },
          after: { drift },
          reason: drift.length ? drift.map(describeDrift).join("; ") : "MLflow's aliases agree with Gatehouse's again",
        });
      }
    });
    return { status: "ok", imported, skipped, adopted, drift, message: summaryMessage(imported, skipped, adopted, drift, known.size) };
  } catch (err) {
    const message = `Import failed: ${errorText(err)}`;
    await transaction(async (tx) => {
      const fresh = await tx.mlflowConnector.findUnique({ where: { id: c.id } });
      if (!fresh || fresh.removedAt) return;
      await tx.mlflowConnector.update({ where: { id: c.id }, data: { lastImportAt: now, lastImportStatus: "failed", lastImportMessage: message, nextImportAt: next } });
      // The first failure after a success is recorded; the ones after it only update the connector.
      if (fresh.lastImportStatus !== "failed") {
        await recordAuditEvent(tx, { actor: CONNECTOR_ACTOR, action: "mlflow.import.failed", target: { type: "model", id: c.modelId, teamId: c.model.teamId }, after: { trackingUri: c.trackingUri, mlflowName: c.mlflowName, imported }, reason: message });
      }
    });
    if (!(err instanceof RemoteError) && !(err instanceof AppError)) console.error(`[gatehouse] MLflow import for ${c.model.name} failed`, err);
    return { status: "failed", imported, skipped, adopted, drift, message };
  }
}

class SkipVersion extends Error {}

function summaryMessage(imported: number[], skipped: { version: number; reason: string }[], adopted: string[], drift: DriftItem[], known: number): string {
  const parts = [imported.length ? `Imported version${imported.length > 1 ? "s" : ""} ${imported.join(", ")}.` : `No new versions (${known} already imported).`];
  if (skipped.length) parts.push(`Skipped ${skipped.map((s) => `version ${s.version} (${s.reason})`).join("; ")}.`);
  if (adopted.length) parts.push(`Adopted MLflow's alias${adopted.length > 1 ? "es" : ""} ${adopted.map((a) => `@${a}`).join(", ")}.`);
  if (drift.length) parts.push(`Drift: ${drift.map(describeDrift).join("; ")}.`);
  return parts.join(" ");
}

/** Who may ask for an import now: those who register the model's versions, and the admins who connect it. */
export function canImportNow(actor: Actor, teamId: string): boolean {
  return can(actor, "registry.write", teamId) || can(actor, "mlflow.manage", teamId);
}

/** "Import now". */
export async function importNow(opts: { actor: Actor | null; model: string }): Promise<ImportSummary> {
  const model = await findReadableModel(db, opts.actor, opts.model);
  if (!canImportNow(opts.actor!, model.teamId)) requirePermission(opts.actor, "registry.write", model.teamId);
  const c = await loadConnector(model.id);
  if (!c) throw notFound(`${model.name} has no MLflow connector; an admin connects it first`);
  // A scheduled import holding the connector finishes in moments: wait for it, then import (what it found is kept).
  const deadline = Date.now() + 30_000;
  for (;;) {
    const summary = await importConnector(c.id);
    if (summary) return summary;
    if (Date.now() > deadline) throw conflict(`An import of ${model.name} from MLflow is still running; its outcome shows on the connector when it ends.`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The scheduled imports: every enabled connector whose time has come (each import holds its connector while it runs). */
export async function runDueImports(opts: { now?: Date } = {}): Promise<ImportSummary[]> {
  const now = opts.now ?? new Date();
  const due = await db.mlflowConnector.findMany({ where: { enabled: true, removedAt: null, nextImportAt: { lte: now }, model: { archivedAt: null } }, select: { id: true }, orderBy: { nextImportAt: "asc" }, take: 20 });
  const out: ImportSummary[] = [];
  for (const c of due) {
    const summary = await importConnector(c.id, { now });
    if (summary) out.push(summary);
  }
  return out;
}

/**
 * Resolves drift the Gatehouse way (an ML Lead or admin): every drifted alias is queued for MLflow at Gatehouse's
 * position now (read under the model's lock, not from the last import). An alias Gatehouse does not have is removed
 * from MLflow, except a protected one: deleting @champion in MLflow could stop whatever serves from it, so that is left
 * for a person to decide (promote a version to it in Gatehouse, or delete it in MLflow) and reported as kept.
 */
export async function pushAliases(opts: { actor: Actor | null; model: string; reason?: string }): Promise<{ queued: string[]; kept: string[] }> {
  return transaction(async (tx) => {
    const model = await findReadableModel(tx, opts.actor, opts.model);
    const actor = requirePermission(opts.actor, "aliases.rollback", model.teamId);
    await lockModel(tx, model.id);
    const c = await tx.mlflowConnector.findUnique({ where: { modelId: model.id } });
    if (!c || c.removedAt) throw notFound(`${model.name} has no MLflow connector`);
    const drift = c.drift as DriftItem[];
    if (!drift.length) throw badRequest("MLflow's aliases agree with Gatehouse's (as of the last import); there is nothing to push");
    const current = Object.fromEntries((await tx.modelAlias.findMany({ where: { modelId: model.id }, select: { name: true, version: { select: { version: true } } } })).map((a) => [a.name, a.version.version]));
    const { policy } = await effectivePolicyFor(tx, model.id);
    const queued: { alias: string; version: number | null }[] = [];
    const kept: string[] = [];
    for (const d of drift) {
      const version = current[d.alias] ?? null;
      if (version === null && policy.protectedAliases.includes(d.alias)) {
        kept.push(d.alias);
        continue;
      }
      await tx.mlflowAliasSync.updateMany({ where: { connectorId: c.id, alias: d.alias, status: "pending" }, data: { status: "superseded", doneAt: new Date() } });
      await tx.mlflowAliasSync.create({ data: { connectorId: c.id, alias: d.alias, version, via: "drift-repair" } });
      queued.push({ alias: d.alias, version });
    }
    if (!queued.length) throw badRequest(`Nothing to push: ${kept.map((a) => `@${a}`).join(", ")} ${kept.length > 1 ? "are protected aliases" : "is a protected alias"} Gatehouse has not set, and Gatehouse does not delete ${kept.length > 1 ? "them" : "it"} from MLflow. Promote a version to ${kept.length > 1 ? "them" : "it"} in Gatehouse, or delete ${kept.length > 1 ? "them" : "it"} in MLflow.`);
    await recordAuditEvent(tx, {
      actor,
      action: "mlflow.drift.push",
      target: { type: "model", id: model.id, teamId: model.teamId },
      before: { drift },
      after: { queued, kept },
      reason: opts.reason?.trim() || `${actorFields(actor).actorLabel} pushed Gatehouse's aliases to MLflow`,
    });
    await announceOutbox(tx);
    return { queued: queued.map((q) => q.alias), kept };
  });
}
