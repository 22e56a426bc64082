import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppError } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { SYSTEM_ACTOR, makeTeam, makeUser } from "@/lib/promotions/test-fixtures";
import { importAliases } from "@/lib/registry/aliases";
import { canonicalDims } from "./aggregate";
import { ingestMetrics } from "./ingest";
import { readRollups } from "./read";
import { METRICS_TOKEN, metricsModel, startRollout, storedCounts, type MetricsModel } from "./test-fixtures";

// Against the real PostgreSQL of `npm test`: what a pipeline sending live metrics sees, and what ends up stored.
const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);

const NOW = Date.now();
const MINUTE = Math.floor(NOW / 60_000) * 60_000 - 10 * 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const point = (version: number, value: number, over: Record<string, unknown> = {}) => ({ version, metric: "latency_ms", timestamp: iso(MINUTE + 1_000), value, ...over });
const window = (version: number, over: Record<string, unknown> = {}) => ({ version, metric: "latency_ms", windowStart: iso(MINUTE), windowEnd: iso(MINUTE + 60_000), count: 10, sum: 50, min: 1, max: 9, p50: 5, p95: 8, p99: 9, ...over });
const ratio = (version: number, numerator: number, denominator: number, over: Record<string, unknown> = {}) => ({ version, metric: "ctr", windowStart: iso(MINUTE), windowEnd: iso(MINUTE + 60_000), numerator, denominator, ...over });

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err, "expected the batch to be refused").toBeTruthy();
  return err as AppError;
}

describe.skipIf(!hasDb)("ingesting live metrics", () => {
  let m: MetricsModel;
  const ingest = (items: unknown[], o: { key?: string; actor?: Actor; model?: string } = {}) =>
    ingestMetrics({ actor: o.actor ?? METRICS_TOKEN, model: o.model ?? m.name, input: { items }, idempotencyKey: o.key, now: new Date(NOW) });
  const rollups = (metric: string, version: number, dims?: string) => readRollups(db, { modelId: m.id, metric, versionIds: [m.versionIds[version]], from: new Date(MINUTE - 3_600_000), to: new Date(NOW + 3_600_000), dims });

  beforeAll(async () => {
    m = await metricsModel({ versions: 3, champion: 1 });
  });
  afterAll(async () => db.$disconnect());

  it("stores points, windows and counter pairs for the champion; the minute rollups are their sums", async () => {
    const before = await storedCounts(m.id);
    const res = await ingest([point(1, 4), point(1, 10), window(1), ratio(1, 3, 100), ratio(1, 7, 100), ratio(1, 2, 50, { dimensions: { group: "A" } })]);
    expect(res).toEqual({ accepted: 6, replayed: false, model: m.name, counts: { points: 2, windows: 1, ratios: 3 } });
    expect(await storedCounts(m.id)).toEqual({ points: before.points + 6, rollupItems: before.rollupItems + 6 });
    expect(await rollups("latency_ms", 1)).toEqual([
      { versionId: m.versionIds[1], bucket: new Date(MINUTE), items: 3, count: 12, sum: 64, min: 1, max: 10, p50Sum: 50, p95Sum: 80, p99Sum: 90, pWeight: 10, numerator: 0, denominator: 0 },
    ]);
    expect(await rollups("ctr", 1)).toEqual([expect.objectContaining({ items: 2, numerator: 10, denominator: 200, count: 0, min: null })]);
    expect(await rollups("ctr", 1, '{"group":"A"}')).toEqual([expect.objectContaining({ items: 1, numerator: 2, denominator: 50 })]);
  });

  it("stores dimension values with quotes, backslashes, braces, commas and non-ASCII text exactly", async () => {
    const dimensions = { group: 'say "hi", {x}', path: "C:\\temp\\", empty: "", nul: "NULL", city: "Zürich 東京 🙂" };
    await ingest([point(1, 3, { metric: "odd_dims", dimensions })]);
    const [row] = await db.metricPoint.findMany({ where: { modelId: m.id, metric: "odd_dims" } });
    expect(JSON.parse(row.dims)).toEqual(dimensions);
    expect(row.dims).toBe(canonicalDims(dimensions));
    expect(await rollups("odd_dims", 1, canonicalDims(dimensions))).toEqual([expect.objectContaining({ items: 1, sum: 3 })]);
  });

  it("stores event times to the millisecond, whatever offset they were sent with", async () => {
    const t = MINUTE + 1_123;
    const local = new Date(t + 2 * 3_600_000).toISOString().replace("Z", "+02:00");
    await ingest([point(1, 1, { metric: "precise", timestamp: local }), window(1, { metric: "precise", windowStart: iso(MINUTE + 7), windowEnd: iso(MINUTE + 59_999) })]);
    const rows = await db.metricPoint.findMany({ where: { modelId: m.id, metric: "precise" }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.kind, r.at.getTime() - MINUTE, r.windowStart && r.windowStart.getTime() - MINUTE])).toEqual([["point", 1_123, null], ["window", 59_999, 7]]);
  });

  it("refuses a batch with bad items whole, naming each, and stores nothing of it", async () => {
    const before = await storedCounts(m.id);
    const err = await refusal(ingest([point(1, 1), point(1, Number.NaN), window(1, { p50: 100 }), point(1, 2)]));
    expect(err).toMatchObject({ status: 400, code: "invalid_batch", message: expect.stringMatching(/^2 of 4 items are invalid; nothing was ingested/) });
    expect(err.details!.map((d) => d.path)).toEqual(["items.1.value", "items.2.p95"]);
    expect(await storedCounts(m.id)).toEqual(before);
  });

  it("refuses versions outside the rollout, and times too far ahead or too late, with nothing stored", async () => {
    const before = await storedCounts(m.id);
    const err = await refusal(ingest([point(1, 1), point(2, 1), point(1, 1, { timestamp: iso(NOW + 6 * 60_000) }), window(1, { windowStart: iso(NOW - 2 * 3_600_000 - 60_000), windowEnd: iso(NOW - 2 * 3_600_000) })]));
    expect(err).toMatchObject({ status: 422, code: "items_refused", message: expect.stringMatching(/^3 of 4 items were refused; nothing was ingested/) });
    expect(err.details).toEqual([
      { path: "items.1.version", message: expect.stringContaining(`v2 is not ${m.name}'s champion (v1)`) },
      { path: "items.2.timestamp", message: expect.stringContaining("6 minutes ahead") },
      { path: "items.3.windowEnd", message: expect.stringContaining("more than 1 hour old") },
    ]);
    expect(await storedCounts(m.id)).toEqual(before);
  });

  it("during a rollout takes the champion and the challenger, labels as late as the plan allows, and names the rollout's versions otherwise", async () => {
    const r = await metricsModel({ versions: 4, champion: 2 });
    await startRollout(r, { champion: 2, challenger: 4, plan: { lateLabelsMs: 6 * 3_600_000 } });
    const late = point(4, 0.91, { metric: "live_auc", timestamp: iso(NOW - 5 * 3_600_000) });
    expect((await ingest([point(2, 1), point(4, 2), late], { model: r.name })).accepted).toBe(3);
    const err = await refusal(ingest([point(3, 1), point(4, 1, { timestamp: iso(NOW - 7 * 3_600_000) })], { model: r.name }));
    expect(err.details).toEqual([
      { path: "items.0.version", message: `v3 is not in ${r.name}'s rollout (champion v2, challenger v4)` },
      { path: "items.1.timestamp", message: expect.stringContaining("at most 6 hours late (the rollout plan's lateLabelsMs)") },
    ]);
    // Once the rollout is over, only the alias holder takes metrics.
    await db.rollout.updateMany({ where: { modelId: r.id }, data: { status: "completed" } });
    expect((await refusal(ingest([point(4, 1)], { model: r.name }))).details![0].message).toContain(`v4 is not ${r.name}'s champion (v2)`);
  });

  it("a model with no champion and no rollout takes nothing, and says why", async () => {
    const bare = await metricsModel({ champion: null });
    const err = await refusal(ingest([point(1, 1)], { model: bare.name }));
    expect(err.details![0].message).toBe(`${bare.name} has no champion and no rollout, so no version of it accepts metrics yet`);
  });

  it("after a rollout of another alias has ended, takes the version that alias holds, as the routing answer names it", async () => {
    const staged = await metricsModel({ champion: null });
    await importAliases({ actor: SYSTEM_ACTOR, model: staged.name, aliases: { staging: 1 }, reason: "test holder" });
    await startRollout(staged, { champion: 1, challenger: 2, status: "aborted", alias: "staging" });
    expect(await ingest([point(1, 1)], { model: staged.name })).toMatchObject({ accepted: 1 });
    const err = await refusal(ingest([point(2, 1)], { model: staged.name }));
    expect(err.details![0].message).toMatch(/v2 is not/);
  });

  it("with an Idempotency-Key, a retry is answered as the first time and counted once", async () => {
    const before = await storedCounts(m.id);
    const batch = [point(1, 5, { metric: "retried" }), ratio(1, 1, 10)];
    const first = await ingest(batch, { key: "batch-0001" });
    const again = await ingest(batch, { key: "batch-0001" });
    expect(first.replayed).toBe(false);
    expect(again).toEqual({ ...first, replayed: true });
    expect(await storedCounts(m.id)).toEqual({ points: before.points + 2, rollupItems: before.rollupItems + 2 });
    const err = await refusal(ingest([point(1, 6, { metric: "retried" })], { key: "batch-0001" }));
    expect(err).toMatchObject({ status: 409, code: "idempotency_conflict" });
    // Keys are per model.
    const other = await metricsModel();
    expect((await ingest(batch, { key: "batch-0001", model: other.name })).replayed).toBe(false);
  });

  it("two retries racing each other count once", async () => {
    const batch = Array.from({ length: 500 }, (_, i) => point(1, i, { metric: "raced" }));
    const results = await Promise.all([1, 2, 3, 4].map(() => ingest(batch, { key: "race-7" })));
    expect(results.map((r) => r.replayed).sort()).toEqual([false, true, true, true]);
    const [row] = await rollups("raced", 1);
    expect(row).toMatchObject({ items: 500, count: 500, sum: (499 * 500) / 2 });
  });

  it("a refused batch does not use up its key: the corrected batch goes through under it", async () => {
    await refusal(ingest([point(2, 1, { metric: "fixed" })], { key: "fix-1" }));
    expect(await ingest([point(1, 1, { metric: "fixed" })], { key: "fix-1" })).toMatchObject({ accepted: 1, replayed: false });
  });

  it("refuses a malformed Idempotency-Key", async () => {
    expect(await refusal(ingest([point(1, 1)], { key: "" }))).toMatchObject({ status: 400, details: [{ path: "Idempotency-Key" }] });
    expect(await refusal(ingest([point(1, 1)], { key: "x".repeat(201) }))).toMatchObject({ status: 400 });
  });

  it("concurrent batches over the same minutes in opposite orders neither deadlock nor lose counts", async () => {
    const items = Array.from({ length: 200 }, (_, i) => point(1, 1, { metric: `m${i % 20}`, timestamp: iso(MINUTE + (i % 5) * 60_000), dimensions: { group: String(i % 3) } }));
    await Promise.all([0, 1, 2, 3, 4, 5].map((n) => ingest(n % 2 ? items : [...items].reverse())));
    const total = await db.metricRollup.aggregate({ where: { modelId: m.id, metric: { startsWith: "m" } }, _sum: { items: true } });
    expect(total._sum.items).toBe(1_200);
  });

  it("checks who may send: the scope, the team, the model", async () => {
    const readOnly: Actor = { kind: "service", tokenId: "t", label: "reader", scopes: ["registry:read"] };
    expect(await refusal(ingest([point(1, 1)], { actor: readOnly }))).toMatchObject({ status: 403 });
    const viewer = await makeUser("Vi Viewer", ["viewer"], m.teamId);
    expect(await refusal(ingest([point(1, 1)], { actor: viewer }))).toMatchObject({ status: 403 });
    const otherTeam = await makeTeam("elsewhere");
    const stranger = await makeUser("St Ranger", ["engineer"], otherTeam.id);
    expect(await refusal(ingest([point(1, 1)], { actor: stranger }))).toMatchObject({ status: 404 });
    expect(await refusal(ingest([point(1, 1)], { model: "no-such-model" }))).toMatchObject({ status: 404 });
    const engineer = await makeUser("En Gineer", ["engineer"], m.teamId);
    expect((await ingest([point(1, 1)], { actor: engineer })).accepted).toBe(1);
  });
});
