import "server-only";
import { createHash } from "node:crypto";
import { AppError, badRequest, notFound } from "@/lib/api/errors";
import { can, type Actor } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/require";
import { transaction, type Tx } from "@/lib/db";
import { acceptedVersions, loadAcceptance, refusedItems } from "./accepted";
import { pgArray, toMetricRows, type RawColumns, type RollupRow } from "./aggregate";
import { ZIdempotencyKey, ZMetricBatchEnvelope } from "./schemas";
import { createSlots } from "./slots";
import { batchError, validateItems, type MetricItem } from "./validate";

export type IngestResult = { accepted: number; replayed: boolean; model: string; counts: { points: number; windows: number; ratios: number } };

/**
 * Stores a batch of live metrics for `model`, all or nothing: a bad item refuses the batch with every bad item's
 * index and reason. With an idempotency key, a retry of the same batch is answered from the first one's record
 * and counted once. Telemetry, not a governed change: no audit event (docs/metrics.md).
 */
export async function ingestMetrics(opts: { actor: Actor | null; model: string; input: unknown; idempotencyKey?: string | null; bodyHash?: string; now?: Date }): Promise<IngestResult> {
  const actor = requirePermission(opts.actor, "metrics.write");
  const key = idempotencyKey(opts.idempotencyKey);
  const { items: raw } = ZMetricBatchEnvelope.parse(opts.input);
  const { items, problems } = validateItems(raw);
  if (problems.length) throw batchError(problems, raw.length);
  const now = (opts.now ?? new Date()).getTime();
  const bodyHash = key ? (opts.bodyHash ?? createHash("sha256").update(JSON.stringify(opts.input)).digest("hex")) : "";
  // Metrics never change an alias or routing answer: the serving snapshot stays.
  return storingSlots.run(() =>
    transaction(
      async (tx) => {
        const model = await findModelForMetrics(tx, actor, opts.model);
        const response: IngestResult = { accepted: items.length, replayed: false, model: model.name, counts: countKinds(items) };
        if (key) {
          const earlier = await claimKey(tx, model, key, bodyHash, response);
          if (earlier) return earlier;
        }
        const acceptance = await loadAcceptance(tx, model);
        const refused = refusedItems(items, acceptance, now);
        if (refused.length) throw batchError(refused, items.length, 422);
        const ids = acceptedVersions(acceptance);
        const { raw: rows, rollups } = toMetricRows(items, (v) => ids.get(v)!);
        await insertPoints(tx, model.id, rows);
        await upsertRollups(tx, model.id, rollups);
        return response;
      },
      { changesServing: () => false },
    ),
  );
}

/**
 * At most this many batches are stored at once per process; the others wait their turn holding no database
 * connection. When batches arrive faster than the server can store them, they would otherwise hold every connection
 * in the pool (10), and pages, reads and decisions waiting more than 5 s for one would answer 503: the load test
 * (`npm run test:load`) showed exactly that on a CPU-starved server. Four are what `npm run bench` keeps in flight when it measures ingest.
 */
export const MAX_BATCHES_STORED_AT_ONCE = 4;

const storingSlots = createSlots(MAX_BATCHES_STORED_AT_ONCE);

function idempotencyKey(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const parsed = ZIdempotencyKey.safeParse(value);
  if (!parsed.success) throw badRequest(parsed.error.issues[0].message, [{ path: "Idempotency-Key", message: parsed.error.issues[0].message }]);
  return parsed.data;
}

function countKinds(items: readonly MetricItem[]): IngestResult["counts"] {
  const counts = { points: 0, windows: 0, ratios: 0 };
  for (const i of items) counts[i.kind === "point" ? "points" : i.kind === "window" ? "windows" : "ratios"]++;
  return counts;
}

/** The model, if the actor may send metrics for it: 404 when they cannot even see it, 403 when they only read it. */
async function findModelForMetrics(tx: Tx, actor: Actor, name: string) {
  const model = await tx.registeredModel.findUnique({ where: { name }, select: { id: true, name: true, teamId: true } });
  if (!model || !(can(actor, "registry.read", model.teamId) || can(actor, "metrics.write", model.teamId))) throw notFound(`No model named "${name}"`);
  requirePermission(actor, "metrics.write", model.teamId);
  return model;
}

/**
 * Records the key in this transaction; null when it is new. A concurrent batch with the same key waits on the
 * row until this one commits (then it replays) or rolls back (then it goes ahead), so a batch counts once.
 */
async function claimKey(tx: Tx, model: { id: string; name: string }, key: string, bodyHash: string, response: IngestResult): Promise<IngestResult | null> {
  const claimed = await tx.$executeRaw`INSERT INTO metric_batches (model_id, key, body_hash, response) VALUES (${model.id}, ${key}, ${bodyHash}, ${JSON.stringify(response)}::jsonb) ON CONFLICT DO NOTHING`;
  if (claimed === 1) return null;
  const earlier = await tx.metricBatch.findUniqueOrThrow({ where: { modelId_key: { modelId: model.id, key } } });
  if (earlier.bodyHash !== bodyHash) {
    throw new AppError(409, "idempotency_conflict", `Idempotency-Key "${key}" was already used for a different batch of ${model.name}'s metrics; use a new key for new data`, [{ path: "Idempotency-Key", message: "Used for a different batch" }]);
  }
  return { ...(earlier.response as IngestResult), replayed: true };
}

/** Times go as epoch milliseconds: PostgreSQL reads a float8 array several times faster than ISO text (measured by the ingest benchmark, bench/lib/ingest.mjs). */
async function insertPoints(tx: Tx, modelId: string, r: RawColumns): Promise<void> {
  await tx.$executeRawUnsafe(
    `INSERT INTO metric_points (model_id, version_id, metric, kind, at, window_start, value, count, sum, min, max, p50, p95, p99, numerator, denominator, dims)
     SELECT $1, u.version_id, u.metric, u.kind, to_timestamp(u.at / 1000), to_timestamp(u.window_start / 1000), u.value, u.count, u.sum, u.min, u.max,
       u.p50, u.p95, u.p99, u.numerator, u.denominator, u.dims
     FROM unnest($2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::float8[],
       $12::float8[], $13::float8[], $14::float8[], $15::float8[], $16::float8[], $17::text[])
       AS u(version_id, metric, kind, at, window_start, value, count, sum, min, max, p50, p95, p99, numerator, denominator, dims)`,
    modelId, ...[r.versionId, r.metric, r.kind, r.at, r.windowStart, r.value, r.count, r.sum, r.min, r.max, r.p50, r.p95, r.p99, r.numerator, r.denominator, r.dims].map(pgArray),
  );
}

/** One upsert for every rollup row of the batch, in key order (toMetricRows sorts them) so batches never deadlock. */
async function upsertRollups(tx: Tx, modelId: string, rows: readonly RollupRow[]): Promise<void> {
  const col = (k: Exclude<keyof RollupRow, "bucket">) => pgArray(rows.map((r) => r[k]));
  await tx.$executeRawUnsafe(
    `INSERT INTO metric_rollups AS r (model_id, metric, version_id, dims, bucket, items, count, sum, min, max, p50_sum, p95_sum, p99_sum, p_weight, numerator, denominator)
     SELECT $1, u.metric, u.version_id, u.dims, u.bucket, u.items, u.count, u.sum, u.min, u.max, u.p50_sum, u.p95_sum, u.p99_sum, u.p_weight, u.numerator, u.denominator
     FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::int[], $7::float8[], $8::float8[], $9::float8[], $10::float8[],
       $11::float8[], $12::float8[], $13::float8[], $14::float8[], $15::float8[], $16::float8[])
       WITH ORDINALITY AS u(metric, version_id, dims, bucket, items, count, sum, min, max, p50_sum, p95_sum, p99_sum, p_weight, numerator, denominator, ord)
     ORDER BY u.ord
     ON CONFLICT (model_id, metric, version_id, dims, bucket) DO UPDATE SET
       items = r.items + EXCLUDED.items, count = r.count + EXCLUDED.count, sum = r.sum + EXCLUDED.sum,
       min = LEAST(r.min, EXCLUDED.min), max = GREATEST(r.max, EXCLUDED.max),
       p50_sum = r.p50_sum + EXCLUDED.p50_sum, p95_sum = r.p95_sum + EXCLUDED.p95_sum, p99_sum = r.p99_sum + EXCLUDED.p99_sum,
       p_weight = r.p_weight + EXCLUDED.p_weight, numerator = r.numerator + EXCLUDED.numerator, denominator = r.denominator + EXCLUDED.denominator`,
    modelId, col("metric"), col("versionId"), col("dims"), pgArray(rows.map((r) => new Date(r.bucket).toISOString())), col("items"), col("count"), col("sum"), col("min"), col("max"),
    col("p50Sum"), col("p95Sum"), col("p99Sum"), col("pWeight"), col("numerator"), col("denominator"),
  );
}
