import { describe, expect, it } from "vitest";
import { DURATION_PATTERN, durationSeconds, formatDuration } from "./duration";

describe("durationSeconds", () => {
  it.each([
    ["90s", 90],
    ["15m", 900],
    ["2h", 7_200],
    ["7d", 604_800],
    ["2w", 1_209_600],
    ["0s", 0],
    ["1.5h", 5_400],
    ["0.5d", 43_200],
    ["2 h", 7_200],
    [" 7d ", 604_800],
    ["36h", 129_600],
  ])("%j → %d seconds", (text, seconds) => {
    expect(durationSeconds(text)).toBe(seconds);
  });

  it.each([["7"], ["d"], ["7 days"], ["7D"], ["1y"], ["-1h"], ["1h30m"], [".5h"], ["1.h"], [""], ["P7D"]])("%j is not a duration", (text) => {
    expect(durationSeconds(text)).toBeNull();
  });

  it("the pattern and the parser agree", () => {
    for (const t of ["90s", "1.5h", "7 days", "1y"]) expect(DURATION_PATTERN.test(t)).toBe(durationSeconds(t) !== null);
  });
});

describe("formatDuration: the largest whole unit", () => {
  it.each([
    [0, "0 seconds"],
    [1, "1 second"],
    [45, "45 seconds"],
    [60, "1 minute"],
    [90, "90 seconds"],
    [900, "15 minutes"],
    [3_600, "1 hour"],
    [5_400, "90 minutes"],
    [7_200, "2 hours"],
    [86_400, "1 day"],
    [129_600, "36 hours"],
    [172_800, "2 days"],
    [604_800, "1 week"],
    [864_000, "10 days"],
    [1_209_600, "2 weeks"],
    // Not a whole number of seconds: hours to one decimal, else rounded seconds.
    [5_400.5, "1.5 hours"],
    [3_601.2, "1 hour"],
    [12.4, "12 seconds"],
    [0.6, "1 second"], [0.4, "0 seconds"], [3_599.5, "1 hour"],
  ])("%d → %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it.each([["90s"], ["15m"], ["2h"], ["3d"], ["2w"]])("round-trips %s through seconds", (text) => {
    const n = Number.parseFloat(text);
    const unit = { s: "second", m: "minute", h: "hour", d: "day", w: "week" }[text.slice(-1)]!;
    expect(formatDuration(durationSeconds(text)!)).toBe(`${n} ${unit}${n === 1 ? "" : "s"}`);
  });

  it("7d reads as 1 week", () => expect(formatDuration(durationSeconds("7d")!)).toBe("1 week"));
});
