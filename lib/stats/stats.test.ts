import { describe, expect, it } from "vitest";
import reference from "./fixtures/reference.json";
import { StatsInputError, equalizedOddsRatio, erfc, mannWhitneyU, normalCdf, normalQuantile, normalSf, parityRatio, percentile, psi, psiFromShares, type Alternative } from "./index";
import { sample, type SampleSpec } from "./testing";

// Agreement required by the statistics issue: statistics to 1e-9 relative, p-values to 1e-6 absolute.
const close = (actual: number, expected: number, rel = 1e-9) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));

describe("normal distribution against scipy", () => {
  it.each(reference.erfc)("erfc($x)", ({ x, erfc: expected }) => {
    expect(Math.abs(erfc(x) - expected)).toBeLessThanOrEqual(1e-14 * Math.max(expected, 1e-300) + 1e-300);
  });
  it.each(reference.normal)("sf and cdf at $z", ({ z, sf, cdf }) => {
    expect(Math.abs(normalSf(z) - sf)).toBeLessThanOrEqual(1e-13 * Math.max(sf, 1e-300) + 1e-300);
    expect(Math.abs(normalCdf(z) - cdf)).toBeLessThanOrEqual(1e-13 * Math.max(cdf, 1e-300) + 1e-300);
  });
  it.each(reference.normalQuantile)("quantile at $p", ({ p, q }) => {
    close(normalQuantile(p), q, 1e-12);
  });
});

describe("percentile against numpy (linear)", () => {
  it.each(reference.percentile.map((c) => [`${c.name} p=${c.p}`, c] as const))("%s", (_n, c) => {
    close(percentile(sample(c.values as SampleSpec), c.p), c.expected);
  });
});

describe("PSI against the numpy implementation of the same definition", () => {
  it.each(reference.psi.map((c) => [c.name, c] as const))("%s", (_n, c) => {
    close(psi(sample(c.expected as SampleSpec), sample(c.actual as SampleSpec), c.opts as { bins?: number; edges?: number[] }), c.psi);
  });

  it("is zero for identical shares and grows with the shift", () => {
    expect(psiFromShares([0.5, 0.5], [0.5, 0.5])).toBe(0);
    expect(psiFromShares([0.5, 0.5], [0.4, 0.6])).toBeLessThan(psiFromShares([0.5, 0.5], [0.2, 0.8]));
  });
});

describe("Mann-Whitney U against scipy.stats.mannwhitneyu(method='asymptotic', use_continuity=True)", () => {
  it.each(reference.mannWhitneyU.map((c) => [`${c.name}, ${c.alternative}`, c] as const))("%s", (_n, c) => {
    const r = mannWhitneyU(sample(c.x as SampleSpec), sample(c.y as SampleSpec), { alternative: c.alternative as Alternative });
    close(r.statistic, c.statistic);
    expect(Math.abs(r.pvalue - c.pvalue)).toBeLessThanOrEqual(1e-6);
  });
});

describe("fairness ratios", () => {
  it.each([
    [[0.2, 0.25], 0.8],
    [[0.1, 0.1, 0.1], 1],
    [[0, 0.5], 0],
    [[0, 0], 1],
  ])("parityRatio(%j) = %d", (rates, expected) => {
    close(parityRatio(rates), expected);
  });

  it.each([
    [[{ truePositiveRate: 0.8, falsePositiveRate: 0.1 }, { truePositiveRate: 0.9, falsePositiveRate: 0.1 }], 0.8 / 0.9],
    [[{ truePositiveRate: 0.8, falsePositiveRate: 0.05 }, { truePositiveRate: 0.8, falsePositiveRate: 0.1 }], 0.5],
    [[{ truePositiveRate: 1, falsePositiveRate: 0 }, { truePositiveRate: 1, falsePositiveRate: 0 }], 1],
  ])("equalizedOddsRatio(%j) = %d (the worse of the TPR and FPR ratios)", (groups, expected) => {
    close(equalizedOddsRatio(groups), expected);
  });
});

describe("bad input is a clear error naming the argument, never a silent NaN", () => {
  it.each<[string, () => unknown, RegExp]>([
    ["empty x", () => mannWhitneyU([], [1]), /^x must hold at least 1 value \(it is empty\)/],
    ["NaN in y", () => mannWhitneyU([1], [2, Number.NaN]), /^y\[1\] is NaN/],
    ["infinity in expected", () => psi([1, Infinity], [1]), /^expected\[1\] is Infinity/],
    ["empty actual", () => psi([1, 2], []), /^actual must hold/],
    ["mismatched shares", () => psiFromShares([0.5, 0.5], [1]), /bins/],
    ["a negative share", () => psiFromShares([0.5, 0.5], [1.5, -0.5]), /^actualShares\[1\] is -0.5/],
    ["a fractional bin count", () => psi([1, 2, 3], [1], { bins: 2.5 }), /^bins is 2.5; it must be a whole number/],
    ["NaN among the edges", () => psi([1, 2, 3], [1], { edges: [Number.NaN] }), /^edges\[0\] is NaN/],
    ["NaN among the rates", () => parityRatio([0.5, Number.NaN]), /^rates\[1\] is NaN/],
    ["NaN in a group's rate", () => equalizedOddsRatio([{ truePositiveRate: Number.NaN, falsePositiveRate: 0 }, { truePositiveRate: 1, falsePositiveRate: 0 }]), /^groups\[0\].truePositiveRate is NaN/],
    ["percentile out of range", () => percentile([1, 2], 101), /^p is 101/],
    ["percentile of nothing", () => percentile([], 50), /^values must hold/],
    ["a rate above 1", () => parityRatio([0.5, 1.5]), /^rates\[1\] is 1.5/],
    ["one group", () => equalizedOddsRatio([{ truePositiveRate: 1, falsePositiveRate: 0 }]), /at least two groups/],
    ["a bad alternative", () => mannWhitneyU([1], [2], { alternative: "sideways" as Alternative }), /alternative/],
  ])("%s", (_name, call, message) => {
    expect(call).toThrow(StatsInputError);
    expect(call).toThrow(message);
  });
});
