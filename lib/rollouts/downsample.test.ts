import { describe, expect, it } from "vitest";
import { lttb, minMax, type Point } from "./downsample";

const T0 = Date.parse("2031-03-01T10:00:00Z");
const MIN = 60_000;
const series = (n: number, f: (i: number) => number): Point[] => Array.from({ length: n }, (_, i) => ({ t: T0 + i * MIN, v: f(i) }));
/** Noise around 100 with one spike up and one dip down, `gap` points apart (3: they share a bucket). */
const spiky = (n: number, gap = Math.floor(n * 0.3)) => series(n, (i) => (i === Math.floor(n * 0.4) ? 900 : i === Math.floor(n * 0.4) + gap ? -500 : 100 + Math.sin(i * 12.9898) * 5));
const noisy = (n: number) => series(n, (i) => 100 + Math.sin(i * 12.9898) * 5 + Math.sin(i / 50) * 20);

const sorted = (ps: Point[]) => ps.every((p, i) => i === 0 || ps[i - 1].t <= p.t);
const extremes = (ps: Point[]) => [Math.min(...ps.map((p) => p.v)), Math.max(...ps.map((p) => p.v))];

type Case = [name: string, down: <P extends Point>(ps: readonly P[], n: number) => P[], size: number, bound: (n: number) => number];
const algorithms: Case[] = [
  ["minMax", minMax, 499, (k) => 2 * k + 2],
  ["lttb", lttb, 1_000, (k) => k],
];

describe.each(algorithms)("%s", (_name, down, size, bound) => {
  it.each([
    ["a spike and a dip in noise", spiky(20_000)],
    ["a slow wave with noise", noisy(20_000)],
    ["a short series just over the bound", noisy(bound(size) + 7)],
  ])("%s: at most the bound, first and last kept, in time order", (_label, input) => {
    const out = down(input, size);
    expect(out.length).toBeLessThanOrEqual(bound(size));
    expect(out.length).toBeGreaterThan(2);
    expect(out[0]).toBe(input[0]);
    expect(out.at(-1)).toBe(input.at(-1));
    expect(sorted(out)).toBe(true);
  });

  it("keeps an isolated spike and dip (the global max and min)", () => {
    const input = spiky(20_000);
    expect(extremes(down(input, size))).toEqual(extremes(input));
  });

  it("is deterministic", () => {
    const input = noisy(5_000);
    expect(down(input, size)).toEqual(down(input, size));
  });

  it("is stable on constant input: within the bound, every value equal", () => {
    const out = down(series(10_000, () => 42), size);
    expect(out.length).toBeLessThanOrEqual(bound(size));
    expect(out.length).toBeGreaterThan(2);
    expect(new Set(out.map((p) => p.v))).toEqual(new Set([42]));
    expect(down(series(10_000, () => 42), size)).toEqual(out);
  });

  it.each([
    ["empty", 0, 0],
    ["one point", 1, 1],
    ["two points", 2, 2],
  ])("%s comes back as it is", (_label, n, want) => {
    expect(down(noisy(n), size)).toHaveLength(want);
  });

  it("a series within the bound comes back whole, as a copy", () => {
    const input = noisy(100);
    const out = down(input, size);
    expect(out).toEqual(input);
    expect(out).not.toBe(input);
  });

  it("below the smallest useful size: first and last only", () => {
    const input = noisy(1_000);
    expect(down(input, minMax === down ? 0 : 2)).toEqual([input[0], input[999]]);
  });

  it("skips points whose time or value is not finite, and sorts input that is out of order", () => {
    const input = [...noisy(3_000), { t: T0 + 5 * MIN, v: Number.NaN }, { t: Number.POSITIVE_INFINITY, v: 1 }, { t: T0 + 7 * MIN, v: Number.NEGATIVE_INFINITY }].reverse();
    const out = down(input, size);
    expect(out.every((p) => Number.isFinite(p.t) && Number.isFinite(p.v))).toBe(true);
    expect(sorted(out)).toBe(true);
    expect(out[0].t).toBe(T0);
    expect(out.at(-1)!.t).toBe(T0 + 2_999 * MIN);
  });

  it("carries extra fields along (the original points come back)", () => {
    const input = noisy(5_000).map((p, i) => ({ ...p, i }));
    for (const p of down(input, size)) expect(input[p.i]).toBe(p);
  });

  it("brings a million points down to the bound, keeping the extremes", () => {
    const input = series(1_000_000, (i) => (i === 765_432 ? 5_000 : i === 123_456 ? -5_000 : Math.sin(i / 1_000) * 10 + Math.sin(i * 12.9898)));
    const out = down(input, size);
    expect(out.length).toBeLessThanOrEqual(bound(size));
    expect(out[0]).toBe(input[0]);
    expect(out.at(-1)).toBe(input.at(-1));
    expect(sorted(out)).toBe(true);
    expect(extremes(out)).toEqual([-5_000, 5_000]);
  });
});

describe("why metric series use min/max", () => {
  it("min/max keeps every bucket's extremes, so a spike and a dip in one bucket both survive; LTTB keeps one point per bucket", () => {
    // 1,000 points into 10 buckets of ~100: the spike and the dip are 3 points apart, in one bucket.
    const input = spiky(1_000, 3);
    const kept = minMax(input, 10);
    expect(extremes(kept)).toEqual([-500, 900]);
    const perBucket = lttb(input, 12);
    expect(perBucket.length).toBe(12);
    expect(perBucket.some((p) => p.v === 900) && perBucket.some((p) => p.v === -500)).toBe(false);
  });

  it("min/max of every bucket: each bucket's lowest and highest value appear in the output", () => {
    const input = noisy(10_000);
    const buckets = 50;
    const out = new Set(minMax(input, buckets));
    const width = (input.at(-1)!.t - input[0].t) / buckets;
    const groups = new Map<number, Point[]>();
    for (const p of input) {
      const k = Math.min(buckets - 1, Math.floor((p.t - input[0].t) / width));
      groups.set(k, [...(groups.get(k) ?? []), p]);
    }
    for (const g of groups.values()) {
      const [lo, hi] = extremes(g);
      expect(g.some((p) => p.v === lo && out.has(p))).toBe(true);
      expect(g.some((p) => p.v === hi && out.has(p))).toBe(true);
    }
  });
});
