import { describe, expect, it } from "vitest";
import reference from "./fixtures/reference.json";
import { ksExactTwoSided, ksStatistic } from "./ks";
import { sample, type SampleSpec } from "./testing";

// The exact branch of scipy.stats.ks_2samp (method "auto" with both samples ≤ 10,000): statistic to 1e-9 relative,
// p-value to 1e-6 absolute. The asymptotic branch for larger samples is not ported yet.
describe("two-sample KS, exact branch, against scipy.stats.ks_2samp", () => {
  it.each(reference.ks2sampExact.map((c) => [c.name, c] as const))("%s", (_n, c) => {
    const a = sample(c.a as SampleSpec);
    const b = sample(c.b as SampleSpec);
    const { d } = ksStatistic(a, b);
    expect(Math.abs(d - c.statistic)).toBeLessThanOrEqual(1e-9 * Math.max(1, c.statistic));
    const exact = ksExactTwoSided(a.length, b.length, d);
    expect(exact).not.toBeNull();
    expect(Math.abs(exact!.pvalue - c.pvalue)).toBeLessThanOrEqual(1e-6);
  });

  it("names the argument that is bad", () => {
    expect(() => ksStatistic([], [1])).toThrow(/^a must hold/);
    expect(() => ksStatistic([1], [Number.POSITIVE_INFINITY])).toThrow(/^b\[0\] is Infinity/);
  });
});
