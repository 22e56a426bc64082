import { describe, expect, it } from "vitest";
import { formatTarget, formatValue, meets, median, percentile, row, table } from "./figures.mjs";

describe("percentile (nearest rank)", () => {
  it.each([
    { values: [], p: 0.5, want: Number.NaN },
    { values: [7], p: 0.99, want: 7 },
    { values: [5, 1, 4, 2, 3], p: 0.5, want: 3 },
    { values: Array.from({ length: 100 }, (_, i) => i + 1), p: 0.95, want: 95 },
    { values: Array.from({ length: 50 }, (_, i) => 50 - i), p: 0.95, want: 48 },
    { values: [1, 2, 3, 4], p: 0, want: 1 },
    { values: [1, 2, 3, 4], p: 1, want: 4 },
  ])("$p of $values.length values", ({ values, p, want }) => {
    expect(percentile(values, p)).toEqual(want);
  });
});

describe("median of runs", () => {
  it.each([
    { runs: [], want: Number.NaN },
    { runs: [3], want: 3 },
    { runs: [9, 1, 5], want: 5 },
    { runs: [4, 1, 3, 2], want: 2.5 },
  ])("$runs", ({ runs, want }) => expect(median(runs)).toEqual(want));
});

describe("meets", () => {
  it.each([
    { value: 0.6, target: { atLeast: 0.5 }, want: true },
    { value: 0.5, target: { atLeast: 0.5 }, want: true },
    { value: 0.49, target: { atLeast: 0.5 }, want: false },
    { value: 25, target: { atMost: 25 }, want: true },
    { value: 25.1, target: { atMost: 25 }, want: false },
    { value: Number.NaN, target: { atMost: 25 }, want: false },
    { value: 3, target: null, want: null },
  ])("$value against $target", ({ value, target, want }) => expect(meets(value, target)).toBe(want));
});

describe("rows and the table", () => {
  it("takes the median of the runs and judges it", () => {
    const r = row({ section: "serving", name: "p99", unit: "ms", runs: [30, 10, 20], target: { atMost: 25 } });
    expect(r).toMatchObject({ value: 20, runs: [30, 10, 20], ok: true });
  });
  it("a failure is a miss whatever the figure, with its reason as the note", () => {
    const r = row({ section: "serving", name: "rps", unit: "", runs: [9000], target: { atLeast: 1 }, failure: "3 non-2xx answers" });
    expect(r).toMatchObject({ ok: false, note: "3 non-2xx answers", failure: "3 non-2xx answers" });
    expect(row({ section: "s", name: "n", unit: "", runs: [1] }).failure).toBeNull();
  });
  it("formats thousands, targets and n/a", () => {
    expect(formatValue(12345.6, "req/s")).toBe("12,346 req/s");
    expect(formatValue(null, "ms")).toBe("n/a");
    expect(formatTarget({ atLeast: 50000 }, "points/s")).toBe("≥ 50,000 points/s");
    expect(formatTarget({ atMost: 150 }, "ms")).toBe("≤ 150 ms");
  });
  it("prints one line per row under a header, columns aligned", () => {
    const text = table([row({ section: "pages", name: "models list p95", unit: "ms", runs: [40, 42, 41], target: { atMost: 150 } }), row({ section: "cold start", name: "database", unit: "ms", runs: [900] })]);
    const lines = text.split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/^pages\s+models list p95\s+41 ms\s+≤ 150 ms\s+yes\s+40 \/ 42 \/ 41$/);
    expect(lines[3]).toMatch(/^cold start\s+database\s+900 ms\s+900$/);
    expect(lines[0].indexOf("figure")).toBe(lines[2].indexOf("models"));
  });
});
