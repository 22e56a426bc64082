import { describe, expect, it } from "vitest";
import { batchError, kindOf, MAX_DETAILS, validateItems } from "./validate";

const T = "2026-11-22T10:00:00Z";
const point = (over: Record<string, unknown> = {}) => ({ version: 3, metric: "latency_ms", timestamp: T, value: 12.5, ...over });
const window = (over: Record<string, unknown> = {}) => ({ version: 3, metric: "latency_ms", windowStart: "2026-11-22T09:59:00Z", windowEnd: T, count: 4, sum: 20, min: 2, max: 8, p50: 5, p95: 7, p99: 8, ...over });
const ratio = (over: Record<string, unknown> = {}) => ({ version: 3, metric: "ctr", windowStart: "2026-11-22T09:59:00Z", windowEnd: T, numerator: 3, denominator: 100, ...over });

/** The problems of one bad item, as [path, message fragment]. */
function problemsOf(item: unknown): [string, string][] {
  return validateItems([item]).problems.map((p) => [p.path, p.message]);
}

describe("metric items", () => {
  it.each([
    ["a point", point(), "point"],
    ["a point with dimensions and an offset", point({ timestamp: "2026-11-22T11:00:00.123+01:00", dimensions: { group: "A", region: "eu-west" } }), "point"],
    ["a window", window(), "window"],
    ["a window of one observation", window({ count: 1, sum: 5, min: 5, max: 5, p50: 5, p95: 5, p99: 5 }), "window"],
    ["a window whose sum is off by float rounding", window({ count: 3, sum: 0.1 * 3 + 1e-12, min: 0.1, max: 0.1, p50: 0.1, p95: 0.1, p99: 0.1 }), "window"],
    ["a counter pair", ratio(), "ratio"],
    ["a counter pair with no successes", ratio({ numerator: 0, dimensions: { group: "B" } }), "ratio"],
    ["a one-day window", window({ windowStart: "2026-11-21T10:00:00Z" }), "window"],
    ["a metric name with . : -", point({ metric: "live.auc:group-a_1" }), "point"],
  ])("accepts %s", (_name, item, kind) => {
    const { items, problems } = validateItems([item]);
    expect(problems).toEqual([]);
    expect(items).toEqual([{ kind, ...item }]);
  });

  it.each<[string, unknown, string, string]>([
    ["a value so large its minute sum could overflow", point({ value: 1e308 }), "items.0.value", "at most 1e15"],
    ["a version of 0", point({ version: 0 }), "items.0.version", "positive"],
    ["a fractional version", point({ version: 2.5 }), "items.0.version", "whole number"],
    ["a version as a string", point({ version: "3" }), "items.0.version", "version number"],
    ["a metric starting with a digit", point({ metric: "1st" }), "items.0.metric", "starts with a letter"],
    ["a metric with a space", point({ metric: "latency ms" }), "items.0.metric", "starts with a letter"],
    ["a metric of 101 characters", point({ metric: "m".repeat(101) }), "items.0.metric", "at most 100"],
    ["a timestamp without a zone", point({ timestamp: "2026-11-22T10:00:00" }), "items.0.timestamp", "time zone"],
    ["a timestamp that is not a date", point({ timestamp: "2026-02-30T10:00:00Z" }), "items.0.timestamp", "ISO 8601"],
    ["a value that is a string", point({ value: "1.5" }), "items.0.value", "finite number"],
    ["a value that is null (NaN in JSON)", point({ value: null }), "items.0.value", "finite number"],
    ["an unknown field", point({ vaule: 1 }), "items.0", 'Unknown field "vaule"'],
    ["a window ending before it starts", window({ windowEnd: "2026-11-22T09:00:00Z" }), "items.0.windowEnd", "after windowStart"],
    ["a window ending as it starts", window({ windowEnd: "2026-11-22T09:59:00Z" }), "items.0.windowEnd", "after windowStart"],
    ["a window longer than a day", window({ windowStart: "2026-11-21T09:59:59Z" }), "items.0.windowEnd", "at most 1 day"],
    ["a window with count 0", window({ count: 0 }), "items.0.count", "at least 1"],
    ["a window with a fractional count", window({ count: 1.5 }), "items.0.count", "whole number"],
    ["p50 below min", window({ p50: 1 }), "items.0.p50", "below min"],
    ["p99 below p95", window({ p99: 6.9 }), "items.0.p99", "below p95"],
    ["max below p99", window({ max: 7.5, sum: 20 }), "items.0.max", "below p99"],
    ["a sum above count × max", window({ sum: 33 }), "items.0.sum", "outside"],
    ["a sum below count × min", window({ sum: 7 }), "items.0.sum", "outside"],
    ["a negative numerator", ratio({ numerator: -1 }), "items.0.numerator", "at least 0"],
    ["a zero denominator", ratio({ denominator: 0 }), "items.0.denominator", "above 0"],
    ["a counter pair ending before it starts", ratio({ windowStart: "2026-11-22T10:00:01Z" }), "items.0.windowEnd", "after windowStart"],
    ["nine dimensions", point({ dimensions: Object.fromEntries("abcdefghi".split("").map((k) => [k, "x"])) }), "items.0.dimensions", "At most 8"],
    ["a dimension name with a space", point({ dimensions: { "my group": "A" } }), "items.0.dimensions.my group", "dimension name"],
    ["a dimension value that is a number", point({ dimensions: { group: 1 } }), "items.0.dimensions.group", "is a string"],
    ["a dimension value of 101 characters", point({ dimensions: { group: "x".repeat(101) } }), "items.0.dimensions.group", "at most 100"],
    ["a dimension value with a NUL byte", point({ dimensions: { group: "a\u0000b" } }), "items.0.dimensions.group", "cannot be stored"],
    ["dimensions as a list", point({ dimensions: ["A"] }), "items.0.dimensions", "object of names"],
    ["a window missing its percentiles", { version: 3, metric: "m", windowStart: T, windowEnd: T }, "items.0", "A window needs"],
    ["a string", "latency=3", "items.0", "Each item is a point"],
    ["null", null, "items.0", "Each item is a point"],
    ["an empty object", {}, "items.0", "Each item is a point"],
  ])("refuses %s, naming the field", (_name, item, path, message) => {
    const problems = problemsOf(item);
    expect(problems.map(([p]) => p)).toContain(path);
    expect(problems.find(([p]) => p === path)![1]).toContain(message);
    expect(validateItems([item]).items).toEqual([]);
  });

  it("names every bad item by its index and keeps the good ones apart", () => {
    const { items, problems } = validateItems([point(), point({ value: "x" }), window(), ratio({ denominator: 0 }), point({ metric: "" })]);
    expect(items).toHaveLength(2);
    expect(problems.map((p) => p.path)).toEqual(["items.1.value", "items.3.denominator", "items.4.metric"]);
    expect(problems.map((p) => p.index)).toEqual([1, 3, 4]);
  });

  it.each([
    [{ numerator: 1 }, "ratio"],
    [{ denominator: 1, timestamp: T }, "ratio"],
    [{ timestamp: T }, "point"],
    [{ value: 1 }, "point"],
    [{ p95: 1 }, "window"],
    [{ windowStart: T }, null],
    [[1, 2], null],
  ])("reads the intended shape of %j as %s", (item, kind) => expect(kindOf(item)).toBe(kind));
});

describe("the batch error", () => {
  it("says how many of how many items are bad and that nothing was stored", () => {
    const { problems } = validateItems([point(), point({ value: "x" }), point({ version: 0, metric: "" })]);
    const err = batchError(problems, 3);
    expect(err).toMatchObject({ status: 400, code: "invalid_batch" });
    expect(err.message).toMatch(/^2 of 3 items are invalid; nothing was ingested\. items\.1\.value: /);
    expect(err.details?.map((d) => d.path)).toEqual(["items.1.value", "items.2.version", "items.2.metric"]);
  });

  it("lists at most MAX_DETAILS problems, and says how many more there were", () => {
    const bad = Array.from({ length: 250 }, () => point({ value: "x" }));
    const err = batchError(validateItems(bad).problems, 250);
    expect(err.message).toMatch(/^250 of 250 items are invalid/);
    expect(err.details).toHaveLength(MAX_DETAILS + 1);
    expect(err.details!.at(-1)).toEqual({ path: "items", message: "…and 150 more problems not listed" });
  });

  it("is a 422 items_refused for items this model does not take now", () => {
    expect(batchError([{ index: 0, path: "items.0.version", message: "v7 is not in m's rollout" }], 1, 422)).toMatchObject({ status: 422, code: "items_refused", message: expect.stringMatching(/^1 of 1 items were refused; nothing was ingested/) });
  });
});
