import { describe, expect, it } from "vitest";
import { bucketOf, canonicalDims, pgArray, toMetricRows } from "./aggregate";
import type { MetricItem } from "./validate";

const ids = (v: number) => `id-v${v}`;
const point = (value: number, timestamp: string, over: Partial<MetricItem> = {}): MetricItem => ({ kind: "point", version: 3, metric: "latency_ms", timestamp, value, ...over }) as MetricItem;
const window = (over: Record<string, unknown> = {}): MetricItem =>
  ({ kind: "window", version: 3, metric: "latency_ms", windowStart: "2026-11-22T10:00:00Z", windowEnd: "2026-11-22T10:01:00Z", count: 10, sum: 50, min: 1, max: 9, p50: 5, p95: 8, p99: 9, ...over }) as MetricItem;
const ratio = (numerator: number, denominator: number, over: Record<string, unknown> = {}): MetricItem =>
  ({ kind: "ratio", version: 3, metric: "ctr", windowStart: "2026-11-22T10:00:00Z", windowEnd: "2026-11-22T10:01:00Z", numerator, denominator, ...over }) as MetricItem;
const at = (iso: string) => Date.parse(iso);

describe("canonical dimensions", () => {
  it.each([
    [undefined, ""],
    [{}, ""],
    [{ group: "A" }, '{"group":"A"}'],
    [{ region: "eu", group: "A" }, '{"group":"A","region":"eu"}'],
    [{ b: "2", a: "1", c: "3" }, '{"a":"1","b":"2","c":"3"}'],
    [{ group: 'say "hi"' }, '{"group":"say \\"hi\\""}'],
  ])("%j is stored as %s", (dims, want) => expect(canonicalDims(dims)).toBe(want));
});

describe("minute buckets", () => {
  it.each([
    ["a point on the minute", point(1, "2026-11-22T10:05:00.000Z"), "2026-11-22T10:05:00Z"],
    ["a point a millisecond before the minute", point(1, "2026-11-22T10:04:59.999Z"), "2026-11-22T10:04:00Z"],
    ["a point with an offset (UTC minute)", point(1, "2026-11-22T12:05:30+02:00"), "2026-11-22T10:05:00Z"],
    ["a window ending on the minute: the minute before", window({ windowStart: "2026-11-22T10:04:00Z", windowEnd: "2026-11-22T10:05:00Z" }), "2026-11-22T10:04:00Z"],
    ["a window ending a millisecond after the minute", window({ windowStart: "2026-11-22T10:04:00Z", windowEnd: "2026-11-22T10:05:00.001Z" }), "2026-11-22T10:05:00Z"],
    ["a counter pair: by its end", ratio(1, 2, { windowStart: "2026-11-22T09:00:00Z", windowEnd: "2026-11-22T10:00:30Z" }), "2026-11-22T10:00:00Z"],
  ])("%s", (_name, item, want) => expect(bucketOf(item)).toBe(at(want)));
});

describe("rows and rollups", () => {
  it("points: one raw row each; the minute's count, sum, min and max", () => {
    const { raw, rollups } = toMetricRows([point(4, "2026-11-22T10:00:01Z"), point(-2, "2026-11-22T10:00:59Z"), point(10, "2026-11-22T10:01:00Z")], ids);
    expect(raw.kind).toEqual(["point", "point", "point"]);
    expect(raw.value).toEqual([4, -2, 10]);
    expect(raw.at).toEqual([at("2026-11-22T10:00:01Z"), at("2026-11-22T10:00:59Z"), at("2026-11-22T10:01:00Z")]);
    expect(raw.windowStart).toEqual([null, null, null]);
    expect(raw.count).toEqual([null, null, null]);
    expect(rollups).toEqual([
      expect.objectContaining({ bucket: at("2026-11-22T10:00:00Z"), versionId: "id-v3", dims: "", items: 2, count: 2, sum: 2, min: -2, max: 4, pWeight: 0, denominator: 0 }),
      expect.objectContaining({ bucket: at("2026-11-22T10:01:00Z"), items: 1, count: 1, sum: 10, min: 10, max: 10 }),
    ]);
  });

  it("windows: counts add, percentiles are weighted by count", () => {
    const { raw, rollups } = toMetricRows([window(), window({ count: 30, sum: 300, min: 0.5, max: 20, p50: 10, p95: 18, p99: 19 })], ids);
    expect(raw.kind).toEqual(["window", "window"]);
    expect(raw.windowStart).toEqual([at("2026-11-22T10:00:00Z"), at("2026-11-22T10:00:00Z")]);
    expect(raw.value).toEqual([null, null]);
    expect(raw.p95).toEqual([8, 18]);
    expect(rollups).toEqual([
      { metric: "latency_ms", versionId: "id-v3", dims: "", bucket: at("2026-11-22T10:00:00Z"), items: 2, count: 40, sum: 350, min: 0.5, max: 20, p50Sum: 5 * 10 + 10 * 30, p95Sum: 8 * 10 + 18 * 30, p99Sum: 9 * 10 + 19 * 30, pWeight: 40, numerator: 0, denominator: 0 },
    ]);
  });

  it("counter pairs: numerators and denominators add, and nothing else", () => {
    const { raw, rollups } = toMetricRows([ratio(3, 100), ratio(5, 200), ratio(1, 10, { dimensions: { group: "A" } })], ids);
    expect(raw.numerator).toEqual([3, 5, 1]);
    expect(raw.denominator).toEqual([100, 200, 10]);
    expect(rollups).toEqual([
      { metric: "ctr", versionId: "id-v3", dims: "", bucket: at("2026-11-22T10:00:00Z"), items: 2, count: 0, sum: 0, min: null, max: null, p50Sum: 0, p95Sum: 0, p99Sum: 0, pWeight: 0, numerator: 8, denominator: 300 },
      expect.objectContaining({ dims: '{"group":"A"}', items: 1, numerator: 1, denominator: 10, min: null }),
    ]);
  });

  it("one rollup per metric, version, dimensions and minute, whatever the order of keys, sorted by that key", () => {
    const t = "2026-11-22T10:00:10Z";
    const items = [
      point(1, t, { version: 4, dimensions: { region: "eu", group: "A" } }),
      point(2, t, { version: 3, dimensions: { group: "A", region: "eu" } }),
      point(3, t, { version: 3, dimensions: { region: "eu", group: "A" } }),
      point(4, t, { version: 3, metric: "auc" }),
      point(5, "2026-11-22T09:59:10Z", { version: 3, dimensions: { group: "A", region: "eu" } }),
    ];
    const { raw, rollups } = toMetricRows(items, ids);
    expect(raw.dims).toEqual(Array(5).fill('{"group":"A","region":"eu"}').map((d, i) => (i === 3 ? "" : d)));
    expect(raw.versionId).toEqual(["id-v4", "id-v3", "id-v3", "id-v3", "id-v3"]);
    expect(rollups.map((r) => [r.metric, r.versionId, r.dims, new Date(r.bucket).toISOString().slice(11, 16), r.items, r.sum])).toEqual([
      ["auc", "id-v3", "", "10:00", 1, 4],
      ["latency_ms", "id-v3", '{"group":"A","region":"eu"}', "09:59", 1, 5],
      ["latency_ms", "id-v3", '{"group":"A","region":"eu"}', "10:00", 2, 5],
      ["latency_ms", "id-v4", '{"group":"A","region":"eu"}', "10:00", 1, 1],
    ]);
  });

  it("points and windows of one metric share a minute's rollup", () => {
    const { rollups } = toMetricRows([point(100, "2026-11-22T10:00:30Z"), window()], ids);
    expect(rollups).toEqual([expect.objectContaining({ items: 2, count: 11, sum: 150, min: 1, max: 100, pWeight: 10, p50Sum: 50 })]);
  });
});

describe("array literals for PostgreSQL", () => {
  it.each<[string, (string | number | null)[], string]>([
    ["empty", [], "{}"],
    ["numbers, nulls and exponents", [1, -2.5, null, 1e21, 5e-7, 0], "{1,-2.5,NULL,1e+21,5e-7,0}"],
    ["strings, always quoted (so the text NULL stays text)", ["a", "", "NULL", "x y"], '{"a","","NULL","x y"}'],
    ["quotes, backslashes, braces and commas", ['{"group":"A"}', "back\\slash", "a,b}"], '{"{\\"group\\":\\"A\\"}","back\\\\slash","a,b}"}'],
  ])("%s", (_name, values, want) => expect(pgArray(values)).toBe(want));
});

