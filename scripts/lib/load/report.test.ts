import { describe, expect, it } from "vitest";
import { ingestSustained, judgeRun, percentile, summarize, type CategoryData } from "./report.mjs";

const category = (over: Partial<CategoryData> = {}): CategoryData => ({ latencies: [], statuses: {}, errors: 0, errorSamples: [], serverErrors: [], unexpected: [], ...over });

type Run = Parameters<typeof judgeRun>[0];

/** A run that passes every check; each case below changes one thing about it. */
function passingRun(): Run {
  return {
    categories: {
      "page: overview": category({ latencies: [120, 80], statuses: { 200: 2 } }),
      "api: decide": category({ latencies: [30, 40, 50], statuses: { 201: 2, 409: 1 } }),
      ingest: category({ latencies: [200], statuses: { 200: 1 } }),
    },
    expected: { "page: overview": [200], "api: decide": [201, 409], ingest: [200] },
    counts: [
      { name: "decisions", actual: 2, expected: 2 },
      { name: "metric points stored (raw)", actual: 2_000, expected: 2_000 },
    ],
    conflicts: { pairs: 3, oneAccepted: 2, bothAccepted: 0 },
    replays: { sent: 4, replayed: 4 },
    audit: { ok: true, checked: 812, firstBrokenId: null },
    ingest: { targetPerSecond: 20_000, offeredPerSecond: 20_000, acknowledgedPerSecond: 17_000 },
  };
}

describe("percentile (nearest rank)", () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  it.each([
    { values: [], p: 0.5, expected: null },
    { values: [7], p: 0.99, expected: 7 },
    { values: [1, 2], p: 0.5, expected: 1 },
    { values: hundred, p: 0.5, expected: 50 },
    { values: hundred, p: 0.95, expected: 95 },
    { values: hundred, p: 0.99, expected: 99 },
    { values: hundred, p: 1, expected: 100 },
  ])("p$p of $values.length values is $expected", ({ values, p, expected }) => {
    expect(percentile(values, p)).toBe(expected);
  });
});

describe("summarize", () => {
  it("counts unanswered requests in the total and the rate, and sorts latencies itself", () => {
    const s = summarize("ingest", category({ latencies: [300, 100, 200, 400], statuses: { 200: 4 }, errors: 1 }), 10);
    expect(s).toMatchObject({ requests: 5, perSecond: 0.5, p50: 200, p95: 400, max: 400, errors: 1 });
  });
});

describe("judgeRun", () => {
  it("passes a clean run: every check ok", () => {
    const checks = judgeRun(passingRun());
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.map((c) => c.name)).toEqual([
      "no 5xx",
      "no connection errors or timeouts",
      "only expected statuses",
      "database: decisions",
      "database: metric points stored (raw)",
      "two leads deciding one request: never both accepted",
      "retried ingest batches replayed, not stored again",
      "audit chain verifies",
      "ingest target offered (≥ 95% of 20,000 points/s)",
    ]);
  });

  it.each<{ why: string; change: (r: Run) => void; fails: string; detail?: RegExp }>([
    { why: "a 503 anywhere", change: (r) => (r.categories.ingest.statuses[503] = 1), fails: "no 5xx", detail: /ingest: 1 × 503/ },
    { why: "a 500 on a page", change: (r) => (r.categories["page: overview"].statuses[500] = 2), fails: "no 5xx", detail: /page: overview: 2 × 500/ },
    { why: "a request with no answer", change: (r) => (r.categories.ingest.errors = 1), fails: "no connection errors or timeouts" },
    { why: "a 400 from a decision (the script is wrong)", change: (r) => (r.categories["api: decide"].statuses[400] = 1), fails: "only expected statuses", detail: /api: decide: 1 × 400/ },
    { why: "a 409 from ingest", change: (r) => (r.categories.ingest.statuses[409] = 1), fails: "only expected statuses" },
    { why: "a category nobody declared", change: (r) => (r.categories["api: other"] = category({ statuses: { 200: 1 } })), fails: "only expected statuses" },
    { why: "a decision acknowledged but not stored", change: (r) => (r.counts[0].actual = 1), fails: "database: decisions", detail: /1 in the database, 2 acknowledged/ },
    { why: "points stored that were never acknowledged", change: (r) => (r.counts[1].actual = 4_000), fails: "database: metric points stored (raw)" },
    { why: "two leads both accepted on one request", change: (r) => (r.conflicts.bothAccepted = 1), fails: "two leads deciding one request: never both accepted" },
    { why: "no conflict ever exercised", change: (r) => (r.conflicts = { pairs: 2, oneAccepted: 0, bothAccepted: 0 }), fails: "two leads deciding one request: never both accepted" },
    { why: "a retried batch stored again", change: (r) => (r.replays.replayed = 3), fails: "retried ingest batches replayed, not stored again" },
    { why: "no retry sent", change: (r) => (r.replays = { sent: 0, replayed: 0 }), fails: "retried ingest batches replayed, not stored again" },
    { why: "a broken audit chain", change: (r) => (r.audit = { ok: false, checked: 500, firstBrokenId: "314" }), fails: "audit chain verifies", detail: /broken at event 314/ },
    { why: "the generator offered 94% of the target", change: (r) => (r.ingest.offeredPerSecond = 18_800), fails: "ingest target offered (≥ 95% of 20,000 points/s)", detail: /could not keep its schedule/ },
  ])("fails exactly one check on $why", ({ change, fails, detail }) => {
    const run = passingRun();
    change(run);
    const failed = judgeRun(run).filter((c) => !c.ok);
    expect(failed.map((c) => c.name)).toEqual([fails]);
    if (detail) expect(failed[0].detail).toMatch(detail);
  });

  it.each([
    { why: "a 409 from a decision", change: (r: Run) => (r.categories["api: decide"].statuses[409] = 5) },
    { why: "95% of the target offered", change: (r: Run) => (r.ingest.offeredPerSecond = 19_000) },
    { why: "the server acknowledging half the target (slow is not failed)", change: (r: Run) => (r.ingest.acknowledgedPerSecond = 10_000) },
    { why: "a pair where the request had closed before either decision", change: (r: Run) => (r.conflicts.pairs = 4) },
  ])("still passes with $why", ({ change }) => {
    const run = passingRun();
    change(run);
    expect(judgeRun(run).filter((c) => !c.ok)).toEqual([]);
  });
});

describe("ingestSustained", () => {
  it.each([
    { acknowledged: 20_000, expected: true },
    { acknowledged: 19_000, expected: true },
    { acknowledged: 18_999, expected: false },
    { acknowledged: 0, expected: false },
  ])("$acknowledged of 20,000 points/s acknowledged: $expected", ({ acknowledged, expected }) => {
    expect(ingestSustained({ targetPerSecond: 20_000, offeredPerSecond: 20_000, acknowledgedPerSecond: acknowledged })).toBe(expected);
  });
});
