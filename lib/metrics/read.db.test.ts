import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { ingestMetrics } from "./ingest";
import { listDimensions, listMetrics, readRollups } from "./read";
import { pruneMetrics } from "./retention";
import { METRICS_TOKEN, metricsModel, startRollout, type MetricsModel } from "./test-fixtures";

// Reading rollups back as judgement and charts do, and retention ageing raw points out, on the real PostgreSQL.
const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);

const NOW = Date.now();
const M0 = Math.floor(NOW / 60_000) * 60_000 - 30 * 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const point = (version: number, value: number, minute: number, over: Record<string, unknown> = {}) => ({ version, metric: "latency_ms", timestamp: iso(M0 + minute * 60_000 + 500), value, ...over });

describe.skipIf(!hasDb)("reading live metrics", () => {
  let m: MetricsModel;
  let v1: string, v2: string;
  const range = { from: new Date(M0), to: new Date(M0 + 10 * 60_000) };

  beforeAll(async () => {
    m = await metricsModel({ versions: 2, champion: 1 });
    await startRollout(m, { champion: 1, challenger: 2 });
    [v1, v2] = [m.versionIds[1], m.versionIds[2]];
    const items = [
      // v1 sends overall figures and per-group ones: overall reads use the overall rows only.
      point(1, 10, 0), point(1, 20, 0), point(1, 30, 1),
      point(1, 1, 0, { dimensions: { group: "A" } }), point(1, 2, 0, { dimensions: { group: "B" } }),
      // v2 sends per group only: overall reads sum the groups.
      point(2, 5, 0, { dimensions: { group: "A" } }), point(2, 7, 0, { dimensions: { group: "B", region: "eu" } }), point(2, 9, 1, { dimensions: { group: "A" } }),
      { version: 2, metric: "latency_ms", windowStart: iso(M0 + 60_000), windowEnd: iso(M0 + 120_000), count: 4, sum: 40, min: 5, max: 15, p50: 10, p95: 14, p99: 15, dimensions: { group: "A" } },
      { version: 2, metric: "ctr", windowStart: iso(M0), windowEnd: iso(M0 + 60_000), numerator: 3, denominator: 100 },
      // Outside the range read below.
      point(1, 99, 10), point(1, 99, -1),
    ];
    await ingestMetrics({ actor: METRICS_TOKEN, model: m.name, input: { items }, now: new Date(NOW) });
  });
  afterAll(async () => db.$disconnect());

  it("overall: a version's rows without dimensions when it has them, else the sum of its groups; in bucket order", async () => {
    const rows = await readRollups(db, { modelId: m.id, metric: "latency_ms", versionIds: [v1, v2], ...range });
    expect(rows.map((r) => [r.bucket.toISOString(), r.versionId === v1 ? "v1" : "v2", r.items, r.count, r.sum, r.min, r.max, r.pWeight])).toEqual([
      [iso(M0), "v1", 2, 2, 30, 10, 20, 0],
      [iso(M0), "v2", 2, 2, 12, 5, 7, 0],
      [iso(M0 + 60_000), "v1", 1, 1, 30, 30, 30, 0],
      [iso(M0 + 60_000), "v2", 2, 5, 49, 5, 15, 4],
    ]);
  });

  it("one group: only its rows", async () => {
    const rows = await readRollups(db, { modelId: m.id, metric: "latency_ms", versionIds: [v1, v2], ...range, dims: '{"group":"A"}' });
    expect(rows.map((r) => [r.versionId === v1 ? "v1" : "v2", r.bucket.getTime() - M0, r.sum])).toEqual([["v1", 0, 1], ["v2", 0, 5], ["v2", 60_000, 49]]);
    expect(rows[2]).toMatchObject({ p50Sum: 40, p95Sum: 56, p99Sum: 60, pWeight: 4 });
  });

  it("the range is from (inclusive) to (exclusive) on the minute", async () => {
    const rows = await readRollups(db, { modelId: m.id, metric: "latency_ms", versionIds: [v1], from: new Date(M0 + 60_000), to: new Date(M0 + 120_000) });
    expect(rows.map((r) => r.sum)).toEqual([30]);
    expect(await readRollups(db, { modelId: m.id, metric: "latency_ms", versionIds: [v1], from: new Date(M0 + 120_000), to: new Date(M0 + 120_000) })).toEqual([]);
  });

  it("lists the groups seen, and the metrics with the kinds they were sent as", async () => {
    expect(await listDimensions(db, { modelId: m.id, metric: "latency_ms", versionIds: [v2], ...range })).toEqual([
      { dims: '{"group":"A"}', dimensions: { group: "A" } },
      { dims: '{"group":"B","region":"eu"}', dimensions: { group: "B", region: "eu" } },
    ]);
    expect(await listMetrics(db, { modelId: m.id, versionIds: [v2], ...range })).toEqual([
      { metric: "ctr", kinds: ["ratio"] },
      { metric: "latency_ms", kinds: ["point", "window"] },
    ]);
    expect(await listMetrics(db, { modelId: m.id, versionIds: [v1], ...range })).toEqual([{ metric: "latency_ms", kinds: ["point"] }]);
  });
});

describe.skipIf(!hasDb)("metrics retention", () => {
  afterAll(async () => db.$disconnect());

  it("deletes raw points past the retention period and keys older than a day; keeps the rollups and recent points", async () => {
    const m = await metricsModel({ champion: 1 });
    const items = Array.from({ length: 30 }, (_, i) => point(1, i, i % 3));
    await ingestMetrics({ actor: METRICS_TOKEN, model: m.name, input: { items }, now: new Date(NOW), idempotencyKey: "old-key" });
    await ingestMetrics({ actor: METRICS_TOKEN, model: m.name, input: { items: items.slice(0, 5) }, now: new Date(NOW), idempotencyKey: "new-key" });
    // Age 20 of the first batch's points (and their arrival) and the first key past the limits.
    const ids = (await db.metricPoint.findMany({ where: { modelId: m.id }, orderBy: { id: "asc" }, take: 20, select: { id: true } })).map((p) => p.id);
    await db.$executeRawUnsafe(`UPDATE metric_points SET at = at - interval '31 days', received_at = received_at - interval '31 days' WHERE id = ANY($1::bigint[])`, ids.map(String));
    await db.$executeRawUnsafe(`UPDATE metric_batches SET created_at = created_at - interval '25 hours' WHERE model_id = $1 AND key = 'old-key'`, m.id);
    const rollupsBefore = await db.metricRollup.findMany({ where: { modelId: m.id }, orderBy: { bucket: "asc" } });

    const done = await pruneMetrics({ retentionDays: 30, chunk: 7 });
    expect(done.points).toBeGreaterThanOrEqual(20);
    expect(await db.metricPoint.count({ where: { modelId: m.id } })).toBe(15);
    expect(await db.metricPoint.count({ where: { id: { in: ids } } })).toBe(0);
    expect(await db.metricRollup.findMany({ where: { modelId: m.id }, orderBy: { bucket: "asc" } })).toEqual(rollupsBefore);
    expect((await db.metricBatch.findMany({ where: { modelId: m.id } })).map((b) => b.key)).toEqual(["new-key"]);
  });

  it("keeps a late label whose event is old but which arrived recently, until it too has been kept that long", async () => {
    const m = await metricsModel({ champion: 1 });
    await ingestMetrics({ actor: METRICS_TOKEN, model: m.name, input: { items: [point(1, 1, 0)] }, now: new Date(NOW) });
    await db.$executeRawUnsafe(`UPDATE metric_points SET at = at - interval '40 days' WHERE model_id = $1`, m.id);
    await pruneMetrics({ retentionDays: 30 });
    expect(await db.metricPoint.count({ where: { modelId: m.id } })).toBe(1);
    await db.$executeRawUnsafe(`UPDATE metric_points SET received_at = received_at - interval '31 days' WHERE model_id = $1`, m.id);
    await pruneMetrics({ retentionDays: 30 });
    expect(await db.metricPoint.count({ where: { modelId: m.id } })).toBe(0);
  });
});
