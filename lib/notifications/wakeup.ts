import "server-only";
import pg from "pg";
import type { Tx } from "@/lib/db";
import { env } from "@/lib/env";

/**
 * Outbox rows become visible when the transaction that wrote them commits, which the writer cannot observe from
 * inside it. PostgreSQL can: a NOTIFY sent in a transaction is delivered exactly at its commit (never on
 * rollback), to every instance. notify() sends one; each server process listens and runs a delivery pass, so
 * email and Slack go out within moments of the commit, whichever process or CLI made the change.
 */
export const OUTBOX_CHANNEL = "gatehouse_outbox";
const RECONNECT_MS = 5_000;

/** Inside the writer's transaction: wake the delivery workers once it commits. */
export async function announceOutbox(tx: Tx): Promise<void> {
  await tx.$executeRawUnsafe(`SELECT pg_notify('${OUTBOX_CHANNEL}', '')`);
}

type ListenerState = { client: pg.Client | null; stopped: boolean; timer: NodeJS.Timeout | null; subscribers: Set<() => void> };

function listenerState(): ListenerState | undefined {
  return (globalThis as { gatehouseOutboxListener?: ListenerState }).gatehouseOutboxListener;
}

/**
 * Calls `subscriber` whenever an outbox announcement commits anywhere. Reconnects after a lost connection; the
 * periodic pass covers anything announced meanwhile. One connection per process, however many subscribe (the
 * email and Slack pass, the webhook pass).
 */
export function listenForOutbox(subscriber: () => void): void {
  const existing = listenerState();
  if (existing) {
    existing.subscribers.add(subscriber);
    return;
  }
  const s: ListenerState = { client: null, stopped: false, timer: null, subscribers: new Set([subscriber]) };
  const onWake = () => s.subscribers.forEach((wake) => wake());
  (globalThis as { gatehouseOutboxListener?: ListenerState }).gatehouseOutboxListener = s;

  const retry = () => {
    if (s.stopped || s.timer) return;
    s.timer = setTimeout(() => {
      s.timer = null;
      void connect();
    }, RECONNECT_MS);
    s.timer.unref();
  };

  const connect = async () => {
    const client = new pg.Client({ connectionString: env().DATABASE_URL, connectionTimeoutMillis: 5_000 });
    client.on("notification", () => onWake());
    client.on("error", () => {
      client.end().catch(() => {});
      if (s.client === client) s.client = null;
      retry();
    });
    client.on("end", () => {
      if (s.client === client) s.client = null;
      retry();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      s.client = client;
      // The connection must not keep a CLI or test process alive.
      (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
      if (s.stopped) await client.end();
      else onWake(); // anything committed while we were not listening
    } catch {
      client.end().catch(() => {});
      retry();
    }
  };
  void connect();
}

export async function stopListening(): Promise<void> {
  const s = listenerState();
  if (!s) return;
  s.stopped = true;
  if (s.timer) clearTimeout(s.timer);
  await s.client?.end().catch(() => {});
  delete (globalThis as { gatehouseOutboxListener?: ListenerState }).gatehouseOutboxListener;
}
