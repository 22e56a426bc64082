import "server-only";
import { recordAuditEvent } from "@/lib/audit/record";
import { db, transaction } from "@/lib/db";
import { databaseConfigured } from "@/lib/env";
import { Prisma } from "@/lib/generated/prisma/client";
import { claimDue } from "@/lib/notifications/claim";
import { listenForOutbox } from "@/lib/notifications/wakeup";
import { kickJob, registerJob } from "@/lib/notifications/worker";
import { syncRetryDelayMs } from "./connector-rules";
import { CONNECTOR_ACTOR, remoteOf, runDueImports } from "./connector";
import { ALIAS_SYNC_JOB } from "./connector-queue";
import { setRemoteAlias } from "./remote";

/**
 * Sends queued alias moves to MLflow, as the webhook worker sends deliveries: a pass leases due rows (pushing
 * next_attempt_at past the pass) with FOR UPDATE SKIP LOCKED, so passes here or on other instances never take the
 * same row, calls MLflow outside any transaction, and records the outcome with its audit event. A failure is tried
 * again (lib/mlflow/connector-rules.ts: at most every ten minutes), never given up: Gatehouse's alias has moved and
 * MLflow must follow. Moves of one alias go in the order they were made: only the newest unsent one is pending.
 */

// Longer than the slowest pass: DEFAULT_LIMIT sends one after another, each at most MLFLOW_TIMEOUT_MS (10 s).
const LEASE_MS = 5 * 60_000;
const DEFAULT_LIMIT = 20;

export type SyncPassCounts = { claimed: number; done: number; retried: number };

type Claimed = { id: string; connectorId: string; alias: string; version: number | null; attempts: number; requestId: string | null; via: string };

function claim(now: Date, limit: number): Promise<Claimed[]> {
  return claimDue<Claimed>({ table: "mlflow_alias_syncs", due: Prisma.sql`status = 'pending'`, returning: `id, connector_id AS "connectorId", alias, version, attempts, request_id AS "requestId", via`, now, limit, leaseMs: LEASE_MS });
}

/** One pass over the due alias moves. `now` and `random` are the tests' handles on time and jitter. */
export async function runAliasSyncPass(opts: { now?: Date; limit?: number; random?: () => number } = {}): Promise<SyncPassCounts> {
  const now = opts.now ?? new Date();
  const rows = await claim(now, opts.limit ?? DEFAULT_LIMIT);
  const counts: SyncPassCounts = { claimed: rows.length, done: 0, retried: 0 };
  for (const s of rows) {
    const c = await db.mlflowConnector.findUnique({ where: { id: s.connectorId }, include: { model: { select: { id: true, name: true, teamId: true } } } });
    if (!c) continue;
    // A paused connector keeps its queue: the moves go when an admin enables it again.
    if (!c.enabled) {
      await db.mlflowAliasSync.update({ where: { id: s.id }, data: { nextAttemptAt: new Date(now.getTime() + LEASE_MS) } });
      continue;
    }
    // Superseded since it was claimed (a newer move of the alias was queued): the newer one goes instead.
    if ((await db.mlflowAliasSync.findUnique({ where: { id: s.id }, select: { status: true } }))?.status !== "pending") continue;
    let error: string | null = null;
    try {
      await setRemoteAlias(remoteOf(c), c.mlflowName, s.alias, s.version);
    } catch (err) {
      error = (err instanceof Error ? err.message : String(err)).slice(0, 1_000);
    }
    const attempts = s.attempts + 1;
    const target = { type: "alias", id: `${c.model.name}@${s.alias}`, teamId: c.model.teamId };
    const after = { mlflow: `${c.mlflowName} at ${c.trackingUri}`, alias: s.alias, version: s.version, attempts, via: s.via, ...(s.requestId ? { requestId: s.requestId } : {}) };
    await transaction(async (tx) => {
      if (error === null) {
        // Left superseded if a newer move was queued while this one was on its way; the newer one follows it.
        await tx.mlflowAliasSync.updateMany({ where: { id: s.id, status: "pending" }, data: { status: "done", attempts, lastAttemptAt: now, lastError: null, doneAt: now } });
        await recordAuditEvent(tx, { actor: CONNECTOR_ACTOR, action: "mlflow.alias.synced", target, after, reason: `${s.version === null ? `Removed @${s.alias}` : `Set @${s.alias} to version ${s.version}`} in MLflow${attempts > 1 ? ` after ${attempts} attempts` : ""}` });
      } else {
        await tx.mlflowAliasSync.updateMany({ where: { id: s.id, status: "pending" }, data: { attempts, lastAttemptAt: now, lastError: error, nextAttemptAt: new Date(now.getTime() + syncRetryDelayMs(attempts, opts.random)) } });
        // The first failure is recorded; later ones only update the row (its page shows the latest error).
        if (attempts === 1) await recordAuditEvent(tx, { actor: CONNECTOR_ACTOR, action: "mlflow.alias.sync_failed", target, after, reason: `MLflow refused or could not be reached; retrying until it succeeds: ${error}` });
      }
    });
    if (error === null) counts.done++;
    else counts.retried++;
  }
  return counts;
}


const IMPORT_JOB = "mlflow-imports";

/**
 * Starts the connector's background work (instrumentation.ts): alias moves every few seconds and moments after each
 * commit that queues one, and the scheduled imports every 30 s (each connector at its own interval).
 */
export function startMlflowWorker(): void {
  if (!databaseConfigured()) return;
  registerJob(ALIAS_SYNC_JOB, 5_000, async (now) => {
    const counts = await runAliasSyncPass({ now });
    if (counts.retried) console.error(`[gatehouse] MLflow alias sync: ${counts.retried} move(s) failed this pass and will be retried`);
  });
  registerJob(IMPORT_JOB, 30_000, async (now) => {
    for (const r of await runDueImports({ now })) if (r.status === "failed") console.error(`[gatehouse] ${r.message}`);
  });
  listenForOutbox(() => kickJob(ALIAS_SYNC_JOB));
}
