import { describe, expect, it } from "vitest";
import { copyField, copyRow, isoOf } from "./verify-range.mjs";

// The verifier reads the log as COPY's text format; these decode it exactly as the row-by-row protocol would.
describe("isoOf: a timestamptz as PostgreSQL writes it in UTC, as toISOString writes it", () => {
  it.each([
    ["2026-11-23 01:02:03.456+00", "2026-11-23T01:02:03.456Z"],
    ["2026-11-23 01:02:03.45+00", "2026-11-23T01:02:03.450Z"],
    ["2026-11-23 01:02:03.4+00", "2026-11-23T01:02:03.400Z"],
    ["2026-11-23 01:02:03+00", "2026-11-23T01:02:03.000Z"],
    ["2026-11-23 01:02:03.456789+00", "2026-11-23T01:02:03.456Z"],
    ["1999-12-31 23:59:59.999+00", "1999-12-31T23:59:59.999Z"],
  ])("%s", (text, iso) => {
    expect(isoOf(text)).toBe(iso);
    expect(isoOf(text)).toBe(new Date(text.replace(" ", "T").replace("+00", "Z")).toISOString());
  });
});

describe("copyField: COPY's text format", () => {
  it.each<[string, string | null]>([
    ["plain", "plain"],
    ["\\N", null],
    ["\\\\N", "\\N"],
    ["a\\tb", "a\tb"],
    ["line\\nbreak\\r", "line\nbreak\r"],
    ["back\\\\slash", "back\\slash"],
    ["\\b\\f\\v", "\b\f\v"],
    ['{"s": "quote \\\\" and \\\\\\\\"}', '{"s": "quote \\" and \\\\"}'],
    ["é 𝒜", "é 𝒜"],
  ])("%s", (field, value) => expect(copyField(field)).toBe(value));
});

describe("copyRow", () => {
  it("decodes a line into the row order rowBody reads, JSON parsed, NULLs as null", () => {
    const line = ["42", "2026-11-23 01:02:03.45+00", "user", "\\N", "ada@example.com", "alias.set", "alias", "m@champion", "\\N", "\\N", '{"version": 3, "why": "a\\\\nb"}', "moved\\tby hand", "a".repeat(64), "b".repeat(64)].join("\t");
    expect(copyRow(line)).toEqual(["42", "2026-11-23T01:02:03.450Z", "user", null, "ada@example.com", "alias.set", "alias", "m@champion", null, null, { version: 3, why: "a\nb" }, "moved\tby hand", "a".repeat(64), "b".repeat(64)]);
  });
});
