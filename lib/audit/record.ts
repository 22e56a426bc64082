import "server-only";
import type { Actor } from "@/lib/auth/permissions";
import type { Tx } from "@/lib/db";
import { CHANGES_CHANNEL } from "@/lib/serving/alias-view.mjs";
import { GENESIS_HASH, chainEvent, type AuditContent } from "./chain";

// Serialises appends to the chain across every connection and instance; held until the transaction ends.
const CHAIN_LOCK_KEY = 72_540_001;

export type AuditInput = {
  actor: Actor;
  action: string;
  target: { type: string; id: string; teamId?: string | null };
  before?: unknown;
  after?: unknown;
  reason?: string | null;
};

export function actorFields(actor: Actor): Pick<AuditContent, "actorType" | "actorId" | "actorLabel"> {
  switch (actor.kind) {
    case "user":
      return { actorType: "user", actorId: actor.userId, actorLabel: actor.tokenId ? `${actor.label} (token)` : actor.label };
    case "service":
      return { actorType: "service", actorId: actor.tokenId, actorLabel: actor.label };
    case "system":
      return { actorType: "system", actorId: null, actorLabel: actor.label };
  }
}

/** JSON as PostgreSQL's jsonb will hand it back (dates as strings, no undefined), so hashes recompute exactly. */
function asStoredJson(value: unknown): unknown {
  return value === undefined || value === null ? null : JSON.parse(JSON.stringify(value));
}

/**
 * Appends one audit event inside the caller's transaction: the event commits or rolls back with the change
 * it records. Call it from every use case that mutates anything.
 */
/** Takes the chain's lock early, for a writer that must hold it before its other locks (see deleteWebhook). */
export async function lockAuditChain(tx: Tx): Promise<void> {
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${CHAIN_LOCK_KEY})`);
}

export async function recordAuditEvent(tx: Tx, input: AuditInput): Promise<{ id: bigint; hash: string }> {
  await lockAuditChain(tx);
  const last = await tx.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true, hash: true } });
  const id = (last?.id ?? 0n) + 1n;
  const content: AuditContent = {
    id: id.toString(),
    occurredAt: new Date().toISOString(),
    ...actorFields(input.actor),
    action: input.action,
    targetType: input.target.type,
    targetId: input.target.id,
    teamId: input.target.teamId ?? null,
    before: asStoredJson(input.before),
    after: asStoredJson(input.after),
    reason: input.reason?.trim() || null,
  };
  const event = chainEvent(content, last?.hash ?? GENESIS_HASH);
  // Every change is audited, so announcing it here tells every instance's caches (delivered at commit).
  await tx.$executeRawUnsafe(`SELECT pg_notify('${CHANGES_CHANNEL}', $1)`, input.action);
  await tx.auditEvent.create({
    data: {
      ...event,
      id,
      occurredAt: new Date(event.occurredAt),
      before: event.before === null ? undefined : (event.before as object),
      after: event.after === null ? undefined : (event.after as object),
    },
  });
  return { id, hash: event.hash };
}
