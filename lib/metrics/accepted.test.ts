import { describe, expect, it } from "vitest";
import { DEFAULT_LATENESS_MS, latenessOf, refusedItems, type Acceptance } from "./accepted";
import type { MetricItem } from "./validate";

const NOW = Date.parse("2026-11-22T12:00:00Z");
const iso = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();
const point = (version: number, offsetMs = 0): MetricItem => ({ kind: "point", version, metric: "latency_ms", timestamp: iso(offsetMs), value: 1 });
const window = (version: number, endOffsetMs: number): MetricItem =>
  ({ kind: "window", version, metric: "latency_ms", windowStart: iso(endOffsetMs - 60_000), windowEnd: iso(endOffsetMs), count: 1, sum: 1, min: 1, max: 1, p50: 1, p95: 1, p99: 1 }) as MetricItem;

const noRollout: Acceptance = { model: "fraud-detector", alias: "champion", holder: { id: "v3", version: 3 }, rollout: null, latenessMs: DEFAULT_LATENESS_MS };
const inRollout: Acceptance = { ...noRollout, rollout: { number: 7, champion: { id: "v3", version: 3 }, challenger: { id: "v6", version: 6 } } };
const H = 3_600_000;

describe("which items a model takes now", () => {
  it.each<[string, Acceptance, MetricItem, string | null]>([
    ["the champion, without a rollout", noRollout, point(3), null],
    ["another version, without a rollout", noRollout, point(6), "v6 is not fraud-detector's champion (v3) and there is no rollout"],
    ["the challenger during a rollout", inRollout, point(6), null],
    ["the champion during a rollout", inRollout, point(3), null],
    ["a version outside the rollout", inRollout, point(7), "v7 is not in fraud-detector's rollout (champion v3, challenger v6)"],
    ["anything when there is no champion and no rollout", { ...noRollout, holder: null }, point(3), "fraud-detector has no champion and no rollout"],
    ["a point 4 minutes ahead (clock skew)", noRollout, point(3, 4 * 60_000), null],
    ["a point 6 minutes ahead", noRollout, point(3, 6 * 60_000), "timestamp is 6 minutes ahead of the server's clock"],
    ["a window ending 10 minutes ahead", noRollout, window(3, 10 * 60_000), "windowEnd is 10 minutes ahead"],
    ["a point 59 minutes old", noRollout, point(3, -59 * 60_000), null],
    ["a point 61 minutes old", noRollout, point(3, -61 * 60_000), "timestamp is more than 1 hour old"],
    ["a late label within the plan's lateLabelsMs", { ...inRollout, latenessMs: 6 * H }, point(6, -5 * H), null],
    ["a label later than the plan's lateLabelsMs", { ...inRollout, latenessMs: 6 * H }, point(6, -7 * H), "more than 6 hours old; metrics may arrive at most 6 hours late (the rollout plan's lateLabelsMs)"],
  ])("%s", (_name, acceptance, item, reason) => {
    const problems = refusedItems([item], acceptance, NOW);
    if (reason === null) expect(problems).toEqual([]);
    else expect(problems).toEqual([{ index: 0, path: expect.stringMatching(/^items\.0\.(version|timestamp|windowEnd)$/), message: expect.stringContaining(reason) }]);
  });

  it("names every refused item by its index", () => {
    const problems = refusedItems([point(3), point(7), point(6), point(3, -2 * H)], inRollout, NOW);
    expect(problems.map((p) => p.path)).toEqual(["items.1.version", "items.3.timestamp"]);
  });

  it("names the alias holder too when it is neither the rollout's champion nor its challenger", () => {
    const [p] = refusedItems([point(9)], { ...inRollout, holder: { id: "v5", version: 5 } }, NOW);
    expect(p.message).toBe("v9 is not in fraud-detector's rollout (champion v3, challenger v6; @champion now v5)");
    expect(refusedItems([point(5)], { ...inRollout, holder: { id: "v5", version: 5 } }, NOW)).toEqual([]);
  });

  it.each([
    [{}, DEFAULT_LATENESS_MS],
    [null, DEFAULT_LATENESS_MS],
    [{ lateLabelsMs: null }, DEFAULT_LATENESS_MS],
    [{ lateLabelsMs: 60_000 }, DEFAULT_LATENESS_MS],
    [{ lateLabelsMs: 86_400_000 }, 86_400_000],
    [{ lateLabelsMs: "1d" }, DEFAULT_LATENESS_MS],
  ])("a plan of %j lets labels arrive %i ms late", (plan, want) => expect(latenessOf(plan)).toBe(want));
});
