import "server-only";
import { db } from "@/lib/db";
import { env } from "@/lib/env";

/** How often the server runs pruneMetrics (instrumentation.ts). */
export const RETENTION_EVERY_MS = 10 * 60_000;
/** Idempotency keys are remembered this long: retries come within minutes, not days. */
export const BATCH_KEY_TTL_MS = 24 * 3_600_000;
const CHUNK = 50_000;
/** One pass stops after this long and carries on at the next; a backlog never holds the database for minutes. */
const PASS_BUDGET_MS = 60_000;

const DAY_MS = 86_400_000;

/**
 * Ages raw metric points out after GATEHOUSE_METRICS_RETENTION_DAYS (by their event time; a late label stays until
 * it has also been stored that long) and forgets idempotency keys after a day. Rollups are kept: judgement and
 * charts read those. Deletes run in chunks of separate statements, each short, so ingest is never blocked for
 * long; several instances running it at once only share the work.
 */
export async function pruneMetrics(o: { now?: Date; retentionDays?: number; chunk?: number } = {}): Promise<{ points: number; batches: number }> {
  const now = (o.now ?? new Date()).getTime();
  const cutoff = new Date(now - (o.retentionDays ?? env().GATEHOUSE_METRICS_RETENTION_DAYS) * DAY_MS);
  const chunk = o.chunk ?? CHUNK;
  const started = Date.now();
  const done = { points: 0, batches: 0 };
  // Only received_at is indexed on its own, so it finds the candidates: a point goes once both its event time and
  // its arrival are past the cutoff (they differ by at most the accepted lateness).
  for (;;) {
    const n = await db.$executeRawUnsafe(
      `DELETE FROM metric_points WHERE id IN (SELECT id FROM metric_points WHERE received_at < $1 AND at < $1 LIMIT $2)`,
      cutoff, chunk,
    );
    done.points += n;
    if (n < chunk || Date.now() - started > PASS_BUDGET_MS) break;
  }
  const keysBefore = new Date(now - BATCH_KEY_TTL_MS);
  for (;;) {
    const n = await db.$executeRawUnsafe(
      `DELETE FROM metric_batches WHERE (model_id, key) IN (SELECT model_id, key FROM metric_batches WHERE created_at < $1 LIMIT $2)`,
      keysBefore, chunk,
    );
    done.batches += n;
    if (n < chunk || Date.now() - started > PASS_BUDGET_MS) break;
  }
  return done;
}
