import "server-only";
import type { Tx } from "@/lib/db";
import { announceOutbox } from "@/lib/notifications/wakeup";

/** The alias sync job's name: lib/mlflow/connector.ts runs it, the outbox announcement wakes it. */
export const ALIAS_SYNC_JOB = "mlflow-alias-sync";

/**
 * Inside the transaction that moves an alias of a model with an MLflow connector: queue the same move for
 * MLflow, and let a queued, unsent move of the same alias go (only the latest position matters). Moves recorded
 * from MLflow itself (via "import") are not sent back.
 */
export async function queueAliasSync(tx: Tx, o: { modelId: string; alias: string; version: number | null; via: string; requestId: string | null }): Promise<void> {
  if (o.via === "import") return;
  const connector = await tx.mlflowConnector.findUnique({ where: { modelId: o.modelId }, select: { id: true, removedAt: true } });
  // A paused connector queues too: its moves wait for it (the sync pass holds them) and go when it is enabled again.
  if (!connector || connector.removedAt) return;
  await tx.mlflowAliasSync.updateMany({ where: { connectorId: connector.id, alias: o.alias, status: "pending" }, data: { status: "superseded", doneAt: new Date() } });
  await tx.mlflowAliasSync.create({ data: { connectorId: connector.id, alias: o.alias, version: o.version, via: o.via, requestId: o.requestId } });
  // Wakes the sync pass on every instance once this commits (the outbox's channel; its listeners kick their passes).
  await announceOutbox(tx);
}
