import "server-only";
import { db } from "@/lib/db";

/** An alias move queued for MLflow, as pages and the API show it. */
export type SyncView = { id: string; alias: string; version: number | null; via: string; requestId: string | null; status: "pending" | "done" | "superseded"; attempts: number; lastError: string | null; nextAttemptAt: string | null; lastAttemptAt: string | null; doneAt: string | null; createdAt: string };

export function toSyncView(s: { id: string; alias: string; version: number | null; via: string; requestId: string | null; status: string; attempts: number; lastError: string | null; nextAttemptAt: Date; lastAttemptAt: Date | null; doneAt: Date | null; createdAt: Date }): SyncView {
  return {
    id: s.id,
    alias: s.alias,
    version: s.version,
    via: s.via,
    requestId: s.requestId,
    status: s.status as SyncView["status"],
    attempts: s.attempts,
    lastError: s.lastError,
    nextAttemptAt: s.status === "pending" ? s.nextAttemptAt.toISOString() : null,
    lastAttemptAt: s.lastAttemptAt?.toISOString() ?? null,
    doneAt: s.doneAt?.toISOString() ?? null,
    createdAt: s.createdAt.toISOString(),
  };
}

/**
 * The MLflow side of a promotion request: each alias move it made (applied, rolled back) and how far it got in
 * MLflow. The caller has checked that the reader may see the request.
 */
export async function syncsForRequest(requestId: string): Promise<(SyncView & { mlflow: string })[]> {
  const rows = await db.mlflowAliasSync.findMany({ where: { requestId }, include: { connector: { select: { mlflowName: true, trackingUri: true } } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return rows.map((r) => ({ ...toSyncView(r), mlflow: `${r.connector.mlflowName} at ${r.connector.trackingUri}` }));
}
