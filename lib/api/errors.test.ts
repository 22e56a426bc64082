import { describe, expect, it } from "vitest";
import { deeplyNested } from "@/lib/test/hostile-input";
import { AppError, isDatabaseUnavailable, refuseUnstorable } from "./errors";

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

// Errors seen when PostgreSQL stops or restarts under a running server (e2e/ops/faults.spec.ts), and ones that are bugs.
const prismaRaw = (code: string, message: string) =>
  Object.assign(new Error(`Invalid \`prisma.$executeRawUnsafe()\` invocation:\n\nRaw query failed. Code: \`${code}\`. Message: \`${message}\``), {
    code: "P2010",
    meta: { driverAdapterError: Object.assign(new Error(message), { cause: { originalCode: code, kind: "postgres" } }) },
  });

describe("isDatabaseUnavailable", () => {
  const cases: [string, unknown, boolean][] = [
    ["connection refused", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }), true],
    ["Prisma cannot reach the server", Object.assign(new Error("Can't reach database server at 127.0.0.1:54332"), { code: "P1001" }), true],
    ["a raw query cut by a fast shutdown (57P01)", prismaRaw("57P01", "terminating connection due to administrator command"), true],
    ["the server starting up (57P03)", Object.assign(new Error("the database system is starting up"), { code: "57P03" }), true],
    ["a pg pool timing out", new Error("timeout exceeded when trying to connect"), true],
    ["a connection dropped mid-query", new Error("Connection terminated unexpectedly"), true],
    ["wrapped as a cause", new Error("outer", { cause: Object.assign(new Error("x"), { code: "ECONNRESET" }) }), true],
    ["a unique violation", Object.assign(new Error("Unique constraint failed"), { code: "P2002" }), false],
    ["a raw query with a syntax error", prismaRaw("42601", "syntax error at or near"), false],
    ["a plain bug", new TypeError("Cannot read properties of undefined"), false],
    ["null", null, false],
    ["a string", "ECONNREFUSED", false],
  ];
  it.each(cases)("%s", (_what, err, expected) => expect(isDatabaseUnavailable(err)).toBe(expected));

  it("stops at cycles", () => {
    const e = new Error("loop") as Error & { cause?: unknown };
    e.cause = { cause: e };
    expect(isDatabaseUnavailable(e)).toBe(false);
  });
});
