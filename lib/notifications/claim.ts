import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";

/**
 * Claims up to `limit` due rows of a work table (the notification outbox, webhook deliveries, MLflow alias moves) for
 * one pass. The rows are leased by pushing next_attempt_at to the end of the lease, in one statement with FOR UPDATE
 * SKIP LOCKED, so passes in this process or on other instances never take the same row. A pass that dies leaves
 * its rows to be retried when the lease ends: at least once.
 *
 * `table` and `returning` are SQL written in the calling module, never input; `due` is the table's own condition
 * for a row still to be sent (next_attempt_at <= now is added here).
 */
export function claimDue<T>(o: { table: string; due: Prisma.Sql; returning: string; now: Date; limit: number; leaseMs: number }): Promise<T[]> {
  const table = Prisma.raw(o.table);
  const leaseUntil = new Date(o.now.getTime() + o.leaseMs);
  return db.$queryRaw<T[]>`
    UPDATE ${table} SET next_attempt_at = ${leaseUntil}
    WHERE id IN (
      SELECT id FROM ${table}
      WHERE ${o.due} AND next_attempt_at <= ${o.now}
      ORDER BY next_attempt_at, id
      LIMIT ${o.limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING ${Prisma.raw(o.returning)}`;
}

/** Runs `fn` over `items`, at most `parallel` at a time. */
export async function eachLimited<T>(items: T[], parallel: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(parallel, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(lanes);
}
