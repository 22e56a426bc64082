import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "./errors";

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
