import { describe, expect, it } from "vitest";
import reference from "./fixtures/hodges-lehmann.json";
import { StatsInputError, hodgesLehmannInterval } from "./index";
import { sample, type SampleSpec } from "./testing";

// Against R's wilcox.test(x, y, conf.int = TRUE, exact = FALSE, correct = TRUE): to 1e-4, R's root-finding tolerance.
describe("hodgesLehmannInterval against R", () => {
  it.each(reference.cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const r = hodgesLehmannInterval(sample(c.x as SampleSpec), sample(c.y as SampleSpec), c.confidence);
    expect(Math.abs(r.estimate - c.estimate)).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(r.lower - c.lower)).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(r.upper - c.upper)).toBeLessThanOrEqual(1e-4);
  });

  it("matches Kayenta's published case: x = 10…40, y = 1…4 at 95 % → 22.5 in [6, 39]", () => {
    const r = hodgesLehmannInterval([10, 20, 30, 40], [1, 2, 3, 4], 0.95);
    expect(r.estimate).toBeCloseTo(22.5, 4);
    expect(r.lower).toBe(6);
    expect(r.upper).toBe(39);
  });

  it.each<[string, () => unknown, RegExp]>([
    ["all values tied", () => hodgesLehmannInterval([1, 1], [1, 1]), /all one value/],
    ["confidence of 1", () => hodgesLehmannInterval([1, 2], [3, 4], 1), /strictly between 0 and 1/],
    ["an empty sample", () => hodgesLehmannInterval([], [3, 4]), /^x must hold/],
    ["NaN", () => hodgesLehmannInterval([1, Number.NaN], [3, 4]), /^x\[1\] is NaN/],
  ])("refuses %s", (_n, call, message) => {
    expect(call).toThrow(StatsInputError);
    expect(call).toThrow(message);
  });
});
