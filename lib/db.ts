import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

export type Db = PrismaClient;
/** The client inside `db.$transaction(async (tx) => ...)`. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

const globalForDb = globalThis as unknown as { gatehouseDb?: PrismaClient };

function createClient(): PrismaClient {
  const adapter = new PrismaPg({ connectionString: env().DATABASE_URL, max: 10, connectionTimeoutMillis: 5_000 });
  return new PrismaClient({ adapter });
}

function client(): PrismaClient {
  // One client per process (the dev server's hot reload would otherwise open a pool per edit).
  return (globalForDb.gatehouseDb ??= createClient());
}

/**
 * The database client, created on first use so that importing a module (as `next build` does) needs no
 * database configuration.
 */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, prop) {
    const c = client();
    const value = Reflect.get(c, prop, c);
    return typeof value === "function" ? value.bind(c) : value;
  },
});

/**
 * Every mutation runs in one of these. READ COMMITTED is pinned, whatever the server's default: the audit chain
 * reads the newest event after taking its lock, and a snapshot taken before the lock (REPEATABLE READ) would
 * read a stale one.
 */
export async function transaction<T>(fn: (tx: Tx) => Promise<T>, opts: { changesServing?: (result: T) => boolean } = {}): Promise<T> {
  const hooks = new Map<string, () => Promise<void>>();
  const result = await db.$transaction(
    async (tx) => {
      pending.set(tx, hooks);
      try {
        return await fn(tx);
      } finally {
        pending.delete(tx);
      }
    },
    { isolationLevel: "ReadCommitted", maxWait: 10_000, timeout: 30_000 },
  );
  // The serving fast path in this process (scripts/lib/serving.mjs) drops its snapshot at once; other instances
  // hear of the change through PostgreSQL NOTIFY (see lib/audit/record.ts). Writes that cannot change an alias or
  // routing answer (metrics, a rollout's judgement) say so, and the snapshot stays.
  if (opts.changesServing?.(result) ?? true) (globalThis as { gatehouseServing?: { invalidate(): void } }).gatehouseServing?.invalidate();
  await runAfterCommit(hooks);
  return result;
}

const pending = new WeakMap<Tx, Map<string, () => Promise<void>>>();

/**
 * Work that must follow a commit in a transaction of its own, keyed so it runs once however often it is asked for:
 * a coordinated release settling after one of its members changed takes every member model's lock, which the
 * member's transaction (holding one model's lock) must not do. It runs before `transaction` returns, so the caller
 * sees its effect; a failure is logged, and the periodic pass that asks for the same work again repairs it.
 */
export function afterCommit(tx: Tx, key: string, fn: () => Promise<void>): void {
  const hooks = pending.get(tx);
  if (!hooks) throw new Error("afterCommit outside transaction()");
  hooks.set(key, fn);
}

async function runAfterCommit(hooks: Map<string, () => Promise<void>>): Promise<void> {
  for (const [key, fn] of hooks) {
    try {
      await fn();
    } catch (err) {
      console.error(`[gatehouse] ${key} after commit failed (the periodic pass retries it): ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
