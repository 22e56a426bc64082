import "server-only";
import type { RollupFigures } from "./aggregate";
import type { Tx } from "@/lib/db";
import type { MetricKind } from "./validate";

/**
 * The read side of live metrics, for judgement and charts: minute rollups (never raw points, which age out).
 * Every query is a range scan of the rollups' primary key (model_id, metric, version_id, dims, bucket).
 * `from` is inclusive, `to` exclusive, both on the bucket (a minute's start).
 */

export type RollupView = RollupFigures & { versionId: string; bucket: Date };

type Client = Pick<Tx, "$queryRawUnsafe">;

/**
 * Minute rollups of `metric` for `versionIds`, ordered by bucket (then version). With `dims` (canonical JSON, as
 * canonicalDims makes it), only that group. Without, a version's overall figures: its rows sent without dimensions
 * when it has any in the range, else the sum over all its groups per minute (senders who only send per group).
 */
export async function readRollups(client: Client, o: { modelId: string; metric: string; versionIds: readonly string[]; from: Date; to: Date; dims?: string }): Promise<RollupView[]> {
  const where = "model_id = $1 AND metric = $2 AND version_id = ANY($3::text[]) AND bucket >= $4 AND bucket < $5";
  const sums = `SUM(items)::float8 AS items, SUM(count) AS count, SUM(sum) AS sum, MIN(min) AS min, MAX(max) AS max, SUM(p50_sum) AS "p50Sum", SUM(p95_sum) AS "p95Sum",
    SUM(p99_sum) AS "p99Sum", SUM(p_weight) AS "pWeight", SUM(numerator) AS numerator, SUM(denominator) AS denominator`;
  const args = [o.modelId, o.metric, [...o.versionIds], o.from, o.to];
  const sql =
    o.dims !== undefined
      ? `SELECT version_id AS "versionId", bucket, ${sums} FROM metric_rollups WHERE ${where} AND dims = $6 GROUP BY version_id, bucket ORDER BY bucket, version_id`
      : `WITH r AS (SELECT * FROM metric_rollups WHERE ${where}),
           plain AS (SELECT DISTINCT version_id FROM r WHERE dims = '')
         SELECT version_id AS "versionId", bucket, ${sums} FROM r
         WHERE dims = '' OR version_id NOT IN (SELECT version_id FROM plain)
         GROUP BY version_id, bucket ORDER BY bucket, version_id`;
  const rows = await client.$queryRawUnsafe<RollupView[]>(sql, ...args, ...(o.dims !== undefined ? [o.dims] : []));
  return rows.map((r) => ({ ...r, bucket: new Date(r.bucket) }));
}

/** The dimension groups seen for `metric` in the range (not the "" of items without dimensions), sorted. */
export async function listDimensions(client: Client, o: { modelId: string; metric: string; versionIds: readonly string[]; from: Date; to: Date }): Promise<{ dims: string; dimensions: Record<string, string> }[]> {
  const rows = await client.$queryRawUnsafe<{ dims: string }[]>(
    `SELECT DISTINCT dims FROM metric_rollups WHERE model_id = $1 AND metric = $2 AND version_id = ANY($3::text[]) AND bucket >= $4 AND bucket < $5 AND dims <> '' ORDER BY dims`,
    o.modelId, o.metric, [...o.versionIds], o.from, o.to,
  );
  return rows.map((r) => ({ dims: r.dims, dimensions: JSON.parse(r.dims) as Record<string, string> }));
}

/**
 * The metrics sent for `versionIds` in the range, with the kinds seen, read off the rollups: a ratio adds to the
 * denominator, a window to the percentile weight (by its count), a point to count alone.
 */
export async function listMetrics(client: Client, o: { modelId: string; versionIds: readonly string[]; from: Date; to: Date }): Promise<{ metric: string; kinds: MetricKind[] }[]> {
  const rows = await client.$queryRawUnsafe<{ metric: string; point: boolean; window: boolean; ratio: boolean }[]>(
    `SELECT metric, BOOL_OR(count > p_weight) AS point, BOOL_OR(p_weight > 0) AS "window", BOOL_OR(denominator > 0) AS ratio
     FROM metric_rollups WHERE model_id = $1 AND version_id = ANY($2::text[]) AND bucket >= $3 AND bucket < $4 GROUP BY metric ORDER BY metric`,
    o.modelId, [...o.versionIds], o.from, o.to,
  );
  return rows.map((r) => ({ metric: r.metric, kinds: (["point", "window", "ratio"] as const).filter((k) => r[k]) }));
}
