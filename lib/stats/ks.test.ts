import { describe, expect, it } from "vitest";
import reference from "./fixtures/reference.json";
import { ks2samp, type KsMethod } from "./index";
import { binomial, countPathsOutside, ksExactPvalue } from "./ks-exact";
import { kolmogorovSf } from "./kolmogorov";
import type { Alternative } from "./mann-whitney";
import { smirnovSf, splitNX } from "./smirnov";
import { sample, type SampleSpec } from "./testing";

// Agreement required by the statistics issue: statistics to 1e-9 relative, p-values to 1e-6 absolute.
describe("ks2samp against scipy.stats.ks_2samp", () => {
  it.each(reference.ks2samp.map((c) => [`${c.name} (${c.alternative}, ${c.method})`, c] as const))("%s", (_n, c) => {
    const a = sample(c.a as SampleSpec);
    const b = sample(c.b as SampleSpec);
    const r = ks2samp(a, b, { alternative: c.alternative as Alternative, method: c.method as KsMethod });
    expect(Math.abs(r.statistic - c.statistic)).toBeLessThanOrEqual(1e-9 * Math.max(1, c.statistic));
    expect(Math.abs(r.pvalue - c.pvalue)).toBeLessThanOrEqual(1e-6);
    expect(r.statisticLocation).toBe(c.location);
    expect(r.statisticSign).toBe(c.sign);
  });

  it("says which method produced the p-value, as SciPy chooses and falls back", () => {
    const small = sample({ seed: 1, n: 50 });
    expect(ks2samp(small, sample({ seed: 2, n: 60 })).method).toBe("exact");
    expect(ks2samp(small, sample({ seed: 2, n: 60 }), { method: "asymp" }).method).toBe("asymp");
    expect(ks2samp(small, sample({ seed: 2, n: 10_001 })).method).toBe("asymp");
    // One-sided exact counts overflow a double beyond C(1300, 600): the asymptotic formula takes over.
    expect(ks2samp(sample({ seed: 301, n: 600 }), sample({ seed: 302, n: 700, shift: 0.02 }), { alternative: "less" }).method).toBe("asymp");
    expect(ks2samp(sample({ seed: 301, n: 250 }), sample({ seed: 302, n: 400 }), { alternative: "less" }).method).toBe("exact");
  });

  it("names the argument that is bad", () => {
    expect(() => ks2samp([], [1])).toThrow(/^a must hold/);
    expect(() => ks2samp([1], [Number.POSITIVE_INFINITY])).toThrow(/^b\[0\] is Infinity/);
    expect(() => ks2samp([1], [Number.NaN])).toThrow(/^b\[0\] is NaN/);
    expect(() => ks2samp([1], [2], { alternative: "bigger" as Alternative })).toThrow(/^alternative is "bigger"/);
    expect(() => ks2samp([1], [2], { method: "fast" as KsMethod })).toThrow(/^method is "fast"/);
  });
});

describe("kolmogorovSf against scipy.stats.kstwo.sf, across each region of the method choice", () => {
  it.each(reference.kstwo.map((c) => [`n=${c.n} x=${c.x}`, c] as const))("%s", (_n, c) => {
    const sf = kolmogorovSf(c.n, c.x);
    // p-values to 1e-6 absolute is the requirement; this port agrees far more closely, and a regression should show.
    expect(Math.abs(sf - c.sf)).toBeLessThanOrEqual(1e-9);
  });

  it("is 1 at 0 and 0 at 1, and names a bad argument", () => {
    expect(kolmogorovSf(10, 0)).toBe(1);
    expect(kolmogorovSf(10, 1)).toBe(0);
    expect(() => kolmogorovSf(10.5, 0.2)).toThrow(/^n is 10.5; it must be a whole number/);
    expect(() => kolmogorovSf(10, Number.NaN)).toThrow(/^x is NaN/);
  });
});

describe("building blocks", () => {
  it.each([
    // n·x split exactly, although the double product rounds: 3 × 0.1 = 0.30000000000000004 and 10 × 0.1 = 1.
    [3, 0.1, 0, 0.30000000000000004],
    [10, 0.1, 1, 5.551115123125783e-17],
    [49, 1 / 49, 0, 0.9999999999999999],
    [4, 0.25, 1, 0],
  ])("splitNX(%d, %d) = %d + %d", (n, x, floor, alpha) => {
    expect(splitNX(n, x)).toEqual({ floor, alpha });
  });

  it.each([
    [10, 3, 120],
    [52, 5, 2598960],
    [1000, 1, 1000],
    [7, 0, 1],
    [7, 8, 0],
  ])("C(%d, %d) = %d", (a, k, expected) => {
    expect(binomial(a, k)).toBe(expected);
  });

  it("counts one-sided paths exactly on a case small enough to enumerate", () => {
    // Paths from (0,0) to (3,2) touching 3y ≤ 2x − h·g with g = 1, h = 2: enumerate all C(5, 2) = 10 by brute force.
    const brute = (m: number, n: number, hg: number) => {
      let count = 0;
      const walk = (x: number, y: number, hit: boolean): void => {
        const touched = hit || m * y <= n * x - hg;
        if (x === m && y === n) {
          if (touched) count++;
          return;
        }
        if (x < m) walk(x + 1, y, touched);
        if (y < n) walk(x, y + 1, touched);
      };
      walk(0, 0, false);
      return count;
    };
    for (const [m, n, h] of [[3, 2, 2], [5, 3, 4], [6, 4, 3], [7, 5, 9]]) {
      const g = gcdOf(m, n);
      expect(countPathsOutside(m, n, g, h)).toBe(brute(m, n, h * g));
    }
  });

  it("refuses the one-sided exact count when it would overflow, instead of returning Infinity", () => {
    expect(countPathsOutside(700, 600, 100, 10)).toBeNull();
    expect(ksExactPvalue(700, 600, 0.05, "less").pvalue).toBeNull();
  });

  it("smirnovSf refuses x below 0.5/√n, where SciPy uses a sum this port does not need", () => {
    expect(() => smirnovSf(1000, 0.01)).toThrow(/upper sum/);
    expect(smirnovSf(1000, 0.1)).toBeGreaterThan(0);
  });
});

function gcdOf(a: number, b: number): number {
  return b ? gcdOf(b, a % b) : a;
}
