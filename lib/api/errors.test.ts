import { describe, expect, it } from "vitest";
import { deeplyNested } from "@/lib/test/hostile-input";
import { AppError, refuseUnstorable } from "./errors";

describe("refuseUnstorable", () => {
  it.each([
    ["a NUL byte in a field", { name: "a\u0000b" }, "name"],
    ["a lone surrogate deep inside", { lineage: { featureSet: { name: "x\ud800" } } }, "lineage.featureSet.name"],
    ["a NUL byte in a list item", { ids: ["ok", "\u0000"] }, "ids.1"],
    ["a NUL byte in a key", { hyperparameters: { "depth\u0000": 3 } }, "hyperparameters.depth\u0000"],
    ["an empty key", { "": "\udfff" }, '""'],
    ["a bare string body", "\u0000", "(body)"],
    ["the first of several, in document order", { a: "ok", b: ["\u0000"], c: "\u0000" }, "b.0"],
  ])("%s: a 400 naming where", (_what, input, path) => {
    let error: unknown;
    try {
      refuseUnstorable(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 400, code: "invalid_input", details: [{ path, message: "Contains characters that cannot be stored (NUL bytes or broken Unicode)" }] });
  });

  it.each([
    ["ordinary text", { name: "fraud-detector", tags: { team: "payments" } }],
    ["emoji, right-to-left text and combining marks", { a: "👩‍👩‍👧‍👦", b: "\u202Eevil", c: "e\u0301" }],
    ["SQL- and HTML-looking text", { q: "'; DROP TABLE users; --", d: "<script>alert(1)</script>" }],
    ["numbers, booleans and null", { n: 1e308, b: false, z: null }],
  ])("lets %s through unchanged", (_what, input) => {
    expect(refuseUnstorable(input)).toBe(input);
  });

  it("walks a body nested 10,000 deep without overflowing the stack", () => {
    const deep = deeplyNested(10_000, "object") as Record<string, unknown>;
    expect(refuseUnstorable(deep)).toBe(deep);
    let inner = deep;
    for (let i = 0; i < 9_999; i++) inner = inner.a as Record<string, unknown>;
    inner.a = "\u0000";
    expect(() => refuseUnstorable(deep)).toThrow(AppError);
  });
});
