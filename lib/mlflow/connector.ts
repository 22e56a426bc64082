import "server-only";
import { ZodError } from "zod";
import { AppError, badRequest, notFound } from "@/lib/api/errors";
import { actorFields, recordAuditEvent } from "@/lib/audit/record";
import { can, type Actor } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/require";
import { db, transaction } from "@/lib/db";
import { announceOutbox } from "@/lib/notifications/wakeup";
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
  syncs: SyncView[];
};
export type ImportSummary = { status: "ok" | "failed"; imported: number[]; skipped: { version: number; reason: string }[]; adopted: string[]; drift: DriftItem[]; message: string };

/** Who imports: recorded as the registrant of imported versions and the actor of the connector's audit events. */
export const CONNECTOR_ACTOR: Actor = { kind: "system", label: "MLflow connector" };

type ConnectorRow = NonNullable<Awaited<ReturnType<typeof loadConnector>>>;

function loadConnector(modelId: string) {
  return db.mlflowConnector.findUnique({ where: { modelId }, include: { model: { select: { name: true } } } });
}


async function toView(c: ConnectorRow): Promise<ConnectorView> {
  const syncs = await db.mlflowAliasSync.findMany({ where: { connectorId: c.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 20 });
  const drift = c.drift as DriftItem[];
  return {
    model: c.model.name,
    trackingUri: c.trackingUri,
    mlflowName: c.mlflowName,
    hasToken: c.tokenSealed !== null,
    intervalMinutes: c.intervalMinutes,
    enabled: c.enabled,
    nextImportAt: c.enabled ? c.nextImportAt.toISOString() : null,
    lastImportAt: c.lastImportAt?.toISOString() ?? null,
    lastImportStatus: c.lastImportStatus as ConnectorView["lastImportStatus"],
    lastImportMessage: c.lastImportMessage,
    drift: drift.map((d) => ({ ...d, message: describeDrift(d) })),
    driftSince: c.driftSince?.toISOString() ?? null,
    syncs: syncs.map(toSyncView),
  };
}

/** The model's connector, for anyone who may read the model; null when it has none. */
export async function getConnector(opts: { actor: Actor | null; model: string }): Promise<ConnectorView | null> {
  const model = await findReadableModel(db, opts.actor, opts.model);
  const c = await loadConnector(model.id);
  return c ? toView(c) : null;
}

/** Connects the model to an MLflow registry, or changes the connection (an admin). The token is stored sealed. */
export async function saveConnector(opts: { actor: Actor | null; model: string; input: TSaveConnectorInput }): Promise<ConnectorView> {
  const input = ZSaveConnectorInput.parse(opts.input);
  await transaction(async (tx) => {
    const model = await findReadableModel(tx, opts.actor, opts.model);
    const actor = requirePermission(opts.actor, "mlflow.manage", model.teamId);
    if (model.archivedAt) throw badRequest(`${model.name} is archived; it cannot be connected`, [{ path: "model", message: "Archived" }]);
    await lockModel(tx, model.id);
    const before = await tx.mlflowConnector.findUnique({ where: { modelId: model.id } });
    const token = input.token === undefined ? undefined : input.token === null || input.token === "" ? null : sealStoredSecret(input.token);
    const data = {
      trackingUri: input.trackingUri.replace(/\/+$/, ""),
      mlflowName: input.mlflowName ?? before?.mlflowName ?? model.name,
      intervalMinutes: input.intervalMinutes,
      enabled: input.enabled,
      ...(token !== undefined ? { tokenSealed: token } : {}),
      // A new or re-enabled connection imports at once.
      ...(!before || (input.enabled && !before.enabled) || before.trackingUri !== input.trackingUri || (input.mlflowName && input.mlflowName !== before.mlflowName) ? { nextImportAt: new Date() } : {}),
    };
    const saved = before ? await tx.mlflowConnector.update({ where: { id: before.id }, data }) : await tx.mlflowConnector.create({ data: { ...data, modelId: model.id, tokenSealed: token ?? null } });
    const shown = (c: { trackingUri: string; mlflowName: string; intervalMinutes: number; enabled: boolean; tokenSealed: string | null }) => ({ trackingUri: c.trackingUri, mlflowName: c.mlflowName, intervalMinutes: c.intervalMinutes, enabled: c.enabled, token: c.tokenSealed ? "set" : "none" });
    await recordAuditEvent(tx, {
      actor,
      action: before ? "mlflow.connector.update" : "mlflow.connector.create",
      target: { type: "model", id: model.id, teamId: model.teamId },
      before: before ? { ...shown(before), ...(token !== undefined && before.tokenSealed ? { token: "replaced" } : {}) } : undefined,
      after: shown(saved),
      reason: input.reason,
    });
  });
  return (await getConnector({ actor: opts.actor, model: opts.model }))!;
}

/** Disconnects the model (an admin): imported versions, aliases and their history stay; queued alias moves are dropped. */
export async function removeConnector(opts: { actor: Actor | null; model: string; reason?: string }): Promise<{ removed: true }> {
  return transaction(async (tx) => {
    const model = await findReadableModel(tx, opts.actor, opts.model);
    const actor = requirePermission(opts.actor, "mlflow.manage", model.teamId);
    const before = await tx.mlflowConnector.findUnique({ where: { modelId: model.id } });
    if (!before) throw notFound(`${model.name} has no MLflow connector`);
    const dropped = await tx.mlflowAliasSync.count({ where: { connectorId: before.id, status: "pending" } });
    await tx.mlflowConnector.delete({ where: { id: before.id } });
    await recordAuditEvent(tx, {
      actor,
      action: "mlflow.connector.remove",
      target: { type: "model", id: model.id, teamId: model.teamId },
      before: { trackingUri: before.trackingUri, mlflowName: before.mlflowName, pendingAliasMoves: dropped },
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

/**
 * One import: MLflow's versions Gatehouse lacks are registered with their numbers; the first successful import adopts
 * MLflow's aliases (those Gatehouse has not set); every import records the aliases that drifted. Never throws for
 * MLflow's trouble: it is recorded on the connector (and in the audit trail when the state changes).
 */
export async function importConnector(connectorId: string, opts: { now?: Date } = {}): Promise<ImportSummary> {
  const now = opts.now ?? new Date();
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
      const run = v.run_id ? await getRemoteRun(remote, v.run_id) : null;
      const { input, origins } = importedVersionInput({ trackingUri: c.trackingUri, version: v, run });
      const report = v.run_id ? metricsReport(run, v.run_id) : null;
      try {
        await registerVersion({ actor: CONNECTOR_ACTOR, model: c.model.name, input, via: "connector", number, reports: report ? [report] : [] });
        imported.push(number);
      } catch (err) {
        if (err instanceof ZodError) skipped.push({ version: number, reason: validationText(err, origins) });
        else if (err instanceof AppError && err.status === 409) skipped.push({ version: number, reason: err.message });
        else throw err;
      }
    }

    const mlflowAliases = aliasRecord(remoteModel.aliases);
    await transaction(async (tx) => {
      await lockModel(tx, c.modelId);
      const fresh = await tx.mlflowConnector.findUnique({ where: { id: c.id } });
      // Removed or re-pointed while this import ran: its findings are about another connection.
      if (!fresh || fresh.trackingUri !== c.trackingUri || fresh.mlflowName !== c.mlflowName) return;
      const rows = await tx.modelAlias.findMany({ where: { modelId: c.modelId }, select: { name: true, version: { select: { version: true } } } });
      const gatehouse = Object.fromEntries(rows.map((a) => [a.name, a.version.version]));
      if (!fresh.aliasesAdopted) {
        for (const [alias, version] of Object.entries(mlflowAliases)) {
          if (gatehouse[alias] !== undefined) continue;
          const target = await tx.modelVersion.findUnique({ where: { modelId_version: { modelId: c.modelId, version } }, select: { id: true, version: true, status: true } });
          if (!target || target.status !== "ready") continue;
          await moveAlias(tx, { model: c.model, alias, target, actor: CONNECTOR_ACTOR, reason: `Adopted from MLflow (${c.mlflowName} at ${c.trackingUri}) when the connector first imported`, via: "import", action: "alias.import" });
          gatehouse[alias] = version;
          adopted.push(alias);
        }
      }
      const pending = new Set((await tx.mlflowAliasSync.findMany({ where: { connectorId: c.id, status: "pending" }, select: { alias: true } })).map((s) => s.alias));
      drift = detectDrift(mlflowAliases, gatehouse, pending);
      const before = fresh.drift as DriftItem[];
      const changed = JSON.stringify(before) !== JSON.stringify(drift);
      await tx.mlflowConnector.update({
        where: { id: c.id },
        data: {
          aliasesAdopted: true,
          drift,
          driftSince: drift.length ? (before.length && fresh.driftSince ? fresh.driftSince : now) : null,
          lastImportAt: now,
          lastImportStatus: "ok",
          lastImportMessage: summaryMessage(imported, skipped, adopted, drift, known.size),
          nextImportAt: next,
        },
      });
      if (imported.length || skipped.length || adopted.length || fresh.lastImportStatus !== "ok") {
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
      if (!fresh) return;
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
  const c = await db.mlflowConnector.findUnique({ where: { modelId: model.id }, select: { id: true } });
  if (!c) throw notFound(`${model.name} has no MLflow connector; an admin connects it first`);
  return importConnector(c.id);
}

/** The scheduled imports: every enabled connector whose time has come (one import per connector per pass). */
export async function runDueImports(opts: { now?: Date } = {}): Promise<ImportSummary[]> {
  const now = opts.now ?? new Date();
  const due = await db.mlflowConnector.findMany({ where: { enabled: true, nextImportAt: { lte: now }, model: { archivedAt: null } }, select: { id: true }, orderBy: { nextImportAt: "asc" }, take: 20 });
  const out: ImportSummary[] = [];
  for (const c of due) {
    // Claim it: another instance's pass that read the same row moves on when the update finds it already claimed.
    const claimed = await db.mlflowConnector.updateMany({ where: { id: c.id, nextImportAt: { lte: now } }, data: { nextImportAt: new Date(now.getTime() + 5 * 60_000) } });
    if (claimed.count) out.push(await importConnector(c.id, { now }));
  }
  return out;
}

/**
 * Resolves drift the Gatehouse way (an ML Lead or admin): queue Gatehouse's position of every drifted alias for
 * MLflow, so MLflow follows the governed registry again. Audited.
 */
export async function pushAliases(opts: { actor: Actor | null; model: string; reason?: string }): Promise<{ queued: string[] }> {
  return transaction(async (tx) => {
    const model = await findReadableModel(tx, opts.actor, opts.model);
    const actor = requirePermission(opts.actor, "aliases.rollback", model.teamId);
    await lockModel(tx, model.id);
    const c = await tx.mlflowConnector.findUnique({ where: { modelId: model.id } });
    if (!c) throw notFound(`${model.name} has no MLflow connector`);
    const drift = c.drift as DriftItem[];
    if (!drift.length) throw badRequest("MLflow's aliases agree with Gatehouse's (as of the last import); there is nothing to push");
    for (const d of drift) {
      await tx.mlflowAliasSync.updateMany({ where: { connectorId: c.id, alias: d.alias, status: "pending" }, data: { status: "superseded", doneAt: new Date() } });
      await tx.mlflowAliasSync.create({ data: { connectorId: c.id, alias: d.alias, version: d.gatehouse, via: "drift-repair" } });
    }
    await recordAuditEvent(tx, {
      actor,
      action: "mlflow.drift.push",
      target: { type: "model", id: model.id, teamId: model.teamId },
      before: { drift },
      after: { queued: drift.map((d) => ({ alias: d.alias, version: d.gatehouse })) },
      reason: opts.reason?.trim() || `${actorFields(actor).actorLabel} pushed Gatehouse's aliases to MLflow`,
    });
    await announceOutbox(tx);
    return { queued: drift.map((d) => d.alias) };
  });
}
