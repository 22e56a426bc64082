import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { ingestMetrics } from "@/lib/metrics/ingest";
import { makeTeam, makeUser } from "@/lib/promotions/test-fixtures";
import { decideCheckpoint } from "./control";
import { MAX_POINTS, rolloutMetrics, rolloutSeries, type RolloutSeries } from "./series";
import { CANARY, HOUR, MINUTE, makeScene, rolloutScenario, sendMinutes, type Scene } from "./test-fixtures";
import { stepRollout } from "./tick";

// A rollout's chart data read back from the real PostgreSQL, on a fake clock.
const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);
const T0 = new Date("2031-05-01T10:00:00Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);
const DAY = 24 * HOUR;
const WITH_CHECKPOINT = `${CANARY}checkpoints:\n  - { after: canary, step: 1, role: compliance-officer }\n`;

describe.skipIf(!hasDb)("rollout chart data in PostgreSQL", () => {
  let s: Scene;
  let r: Awaited<ReturnType<typeof rolloutScenario>>;
  let all: RolloutSeries;
  const NOW = at(90);

  beforeAll(async () => {
    s = await makeScene();
    r = await rolloutScenario(s, WITH_CHECKPOINT, T0);
    const { model, v1, v2 } = r;
    await sendMinutes({ actor: s.engineer, model, from: T0, minutes: 60, versions: { [v1]: { latency: 120, errorRate: 0.01 }, [v2]: { latency: 118, errorRate: 0.0102 } } });
    // A metric that is no criterion, sent per region only (counter pairs).
    const ctr = (version: number, region: string, minute: number, numerator: number) => ({ version, metric: "ctr", windowStart: at(minute).toISOString(), windowEnd: at(minute + 1).toISOString(), numerator, denominator: 100, dimensions: { region } });
    await ingestMetrics({ actor: s.engineer, model, input: { items: [ctr(v1, "eu", 10, 5), ctr(v1, "us", 10, 15), ctr(v2, "eu", 10, 7), ctr(v2, "us", 10, 9), ctr(v2, "eu", 11, 8)] }, now: at(60) });
    expect(await stepRollout(r.rollout.id, at(60))).toMatchObject({ action: "wait" });
    await decideCheckpoint({ actor: s.compliance, id: r.rollout.id, input: { decision: "approve", comment: "First canary step reviewed, latency and errors are fine." }, now: at(62) });
    await sendMinutes({ actor: s.engineer, model, from: at(60), minutes: 30, versions: { [v2]: { latency: 119, errorRate: 0.011 } } });
    // Timeline rows carry the scheduler's clock (here the fake one), so markers line up with the data.
    const events = await db.rolloutEvent.findMany({ where: { rolloutId: r.rollout.id }, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => [e.kind, e.createdAt.toISOString()])).toEqual([["started", T0.toISOString()], ["waiting", at(60).toISOString()], ["advanced", at(62).toISOString()]]);
    all = await rolloutSeries({ actor: s.viewer, id: r.rollout.id, metric: "error_rate", range: "all", now: NOW });
  });
  afterAll(async () => db.$disconnect());

  it("lists the metrics to chart: the criteria first, then the others sent", async () => {
    const { metrics } = await rolloutMetrics({ actor: s.viewer, id: String(r.rollout.number), now: NOW });
    expect(metrics).toEqual([
      { metric: "latency_p95_ms", criterion: true, kind: "percentile", kinds: ["point"] },
      { metric: "error_rate", criterion: true, kind: "ratio", kinds: ["ratio"] },
      { metric: "ctr", criterion: false, kind: "ratio", kinds: ["ratio"] },
    ]);
  });

  it("a ratio metric: both versions per minute as Σnumerator / Σdenominator, over the whole rollout", async () => {
    expect(all).toMatchObject({ metric: "error_rate", criterion: true, kind: "ratio", direction: "lower", dims: null, range: { name: "all", from: new Date(T0.getTime() - 60 * MINUTE).toISOString(), to: NOW.toISOString() } });
    expect(all.challenger).toMatchObject({ version: r.v2, total: 90 });
    expect(all.champion).toMatchObject({ version: r.v1, total: 60 });
    expect(all.challenger.points).toHaveLength(90);
    const row = await db.metricRollup.findFirstOrThrow({ where: { modelId: r.rollout.modelId, versionId: r.rollout.challengerVersionId, metric: "error_rate", bucket: at(17) } });
    expect(all.challenger.points.find((p) => p.at === at(17).toISOString())?.value).toBe(row.numerator / row.denominator);
  });

  it("comparative thresholds are drawn the allowance away from the champion's pooled value, the worse way", async () => {
    const sums = await db.metricRollup.aggregate({ where: { modelId: r.rollout.modelId, versionId: r.rollout.championVersionId!, metric: "error_rate" }, _sum: { numerator: true, denominator: true } });
    const champion = sums._sum.numerator! / sums._sum.denominator!;
    expect(all.thresholds).toEqual([
      { criterion: "advance", bound: { absolute: 0.002 }, allowed: "at most 0.002 worse than the champion", of: "value", basis: "champion", value: expect.closeTo(champion + 0.002, 12) },
      { criterion: "rollback", bound: { absolute: 0.01 }, allowed: "at most 0.01 worse than the champion", of: "value", basis: "champion", value: expect.closeTo(champion + 0.01, 12) },
    ]);
  });

  it("a percentile metric with a fixed rollback bound and a relative advance bound", async () => {
    const latency = await rolloutSeries({ actor: s.viewer, id: r.rollout.id, metric: "latency_p95_ms", range: "all", now: NOW });
    expect(latency).toMatchObject({ kind: "percentile", quantile: "p95", challenger: { total: 90 }, champion: { total: 60 } });
    const [advance, rollback] = latency.thresholds;
    expect(rollback).toMatchObject({ criterion: "rollback", basis: "fixed", value: 250, allowed: "at most 250" });
    expect(advance).toMatchObject({ criterion: "advance", basis: "champion", allowed: "at most 10% worse than the champion" });
    expect(advance.value!).toBeGreaterThan(120 * 1.1 * 0.97);
    expect(advance.value!).toBeLessThan(120 * 1.1 * 1.03);
  });

  it("marks the start, the checkpoint wait and its approval, and the advance; traffic as a step series; the score over time", () => {
    expect(all.markers.map((m) => [m.kind, m.at, m.trafficPercent])).toEqual([
      ["started", T0.toISOString(), 10],
      ["waiting", at(60).toISOString(), 10],
      ["advanced", at(62).toISOString(), 100],
    ]);
    expect(all.markers[0].label).toBe("Started: canary 10% (step 1 of 2)");
    expect(all.markers[2].label).toBe("Advanced: canary 100% (step 2 of 2)");
    expect(all.checkpoints).toEqual([expect.objectContaining({ at: at(62).toISOString(), checkpoint: "canary:1", decision: "approve", label: expect.stringMatching(/approved \(a compliance-officer after canary step 1\)/) })]);
    expect(all.traffic).toEqual([
      { at: all.range.from, value: 0 },
      { at: T0.toISOString(), value: 10 },
      { at: at(60).toISOString(), value: 10 },
      { at: at(62).toISOString(), value: 100 },
      { at: NOW.toISOString(), value: 100 },
    ]);
    expect(all.pauses).toEqual([]);
    expect(all.score.map((p) => p.at)).toEqual([at(60).toISOString(), at(62).toISOString()]);
    expect(all.score[0]).toMatchObject({ step: 1, outcome: "pass", score: 100 });
  });

  it("the last hour: an hour of buckets, markers and traffic inside it only", async () => {
    const hour = await rolloutSeries({ actor: s.viewer, id: r.rollout.id, metric: "error_rate", range: "hour", now: NOW });
    expect(hour.range).toEqual({ name: "hour", from: at(30).toISOString(), to: NOW.toISOString() });
    expect(hour.challenger.total).toBe(60);
    expect(hour.champion?.total).toBe(30);
    expect(hour.markers.map((m) => m.kind)).toEqual(["waiting", "advanced"]);
    expect(hour.traffic[0]).toEqual({ at: at(30).toISOString(), value: 10 });
  });

  it("a metric with dimensions lists its groups; dims gives one group's series", async () => {
    const overall = await rolloutSeries({ actor: s.viewer, id: r.rollout.id, metric: "ctr", now: NOW });
    expect(overall).toMatchObject({ criterion: false, kind: "ratio", direction: "higher", thresholds: [] });
    expect(overall.groups).toEqual([
      { dims: '{"region":"eu"}', dimensions: { region: "eu" }, label: "region=eu" },
      { dims: '{"region":"us"}', dimensions: { region: "us" }, label: "region=us" },
    ]);
    // Without dims, a version that sent per group only is the sum of its groups: (5 + 15) / 200.
    expect(overall.champion?.points).toEqual([{ at: at(10).toISOString(), value: 0.1 }]);
    const eu = await rolloutSeries({ actor: s.viewer, id: r.rollout.id, metric: "ctr", dims: '{ "region": "eu" }', now: NOW });
    expect(eu.dims).toBe('{"region":"eu"}');
    expect(eu.champion?.points).toEqual([{ at: at(10).toISOString(), value: 0.05 }]);
    expect(eu.challenger.points).toEqual([{ at: at(10).toISOString(), value: 0.07 }, { at: at(11).toISOString(), value: 0.08 }]);
    await expect(rolloutSeries({ actor: s.viewer, id: r.rollout.id, metric: "ctr", dims: '{"region":"apac"}', now: NOW })).rejects.toMatchObject({ status: 404, message: expect.stringMatching(/apac/) });
    await expect(rolloutSeries({ actor: s.viewer, id: r.rollout.id, metric: "ctr", dims: "region=eu", now: NOW })).rejects.toMatchObject({ status: 400, details: [{ path: "dims" }] });
  });

  it("refuses an unknown metric (404 naming it), a bad range, and a rollout of a team the actor cannot read (404)", async () => {
    await expect(rolloutSeries({ actor: s.viewer, id: r.rollout.id, metric: "no_such_metric", now: NOW })).rejects.toMatchObject({ status: 404, message: expect.stringMatching(/"no_such_metric"/) });
    await expect(rolloutSeries({ actor: s.viewer, id: r.rollout.id, metric: "error_rate", range: "week" as "all", now: NOW })).rejects.toMatchObject({ issues: [expect.objectContaining({ path: ["range"] })] });
    const outsider = await makeUser("Otto Outsider", ["viewer"], (await makeTeam("other")).id);
    await expect(rolloutSeries({ actor: outsider, id: r.rollout.id, metric: "error_rate", now: NOW })).rejects.toMatchObject({ status: 404 });
    await expect(rolloutMetrics({ actor: outsider, id: r.rollout.id, now: NOW })).rejects.toMatchObject({ status: 404 });
  });

  it("a long series reaches the browser as at most 1,000 points a version, keeping its spike, first and last minutes", async () => {
    const long = await rolloutScenario(s, CANARY, T0);
    const { modelId, championVersionId, challengerVersionId } = long.rollout;
    const minutes = 3 * 24 * 60;
    const SPIKE = 1_234;
    const rows = [championVersionId!, challengerVersionId].flatMap((versionId, side) =>
      Array.from({ length: minutes }, (_, m) => {
        const value = m === 2_000 + side ? 9_999 : 100 + side * 5 + Math.sin(m * 12.9898) * 3 + (m === SPIKE ? -90 : 0);
        return { modelId, versionId, metric: "latency_p95_ms", dims: "", bucket: at(m), items: 1, count: 1, sum: value, min: value, max: value };
      }),
    );
    await db.metricRollup.createMany({ data: rows });
    const series = await rolloutSeries({ actor: s.viewer, id: long.rollout.id, metric: "latency_p95_ms", range: "all", now: at(minutes) });
    for (const side of [series.challenger, series.champion!]) {
      expect(side.total).toBe(minutes);
      expect(side.points.length).toBeLessThanOrEqual(MAX_POINTS);
      expect(side.points[0].at).toBe(T0.toISOString());
      expect(side.points.at(-1)!.at).toBe(at(minutes - 1).toISOString());
      expect(Math.max(...side.points.map((p) => p.value))).toBe(9_999);
    }
    expect(series.champion!.points.find((p) => p.at === at(SPIKE).toISOString())?.value).toBeCloseTo(100 + Math.sin(SPIKE * 12.9898) * 3 - 90, 9);
  });
});
