import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ZodType } from "zod";
import { storable } from "@/lib/text";
import { AppError, refuseUnstorable } from "./errors";
import { deeplyNested, hostileQuery, hostileValue, type JsonSchema } from "@/lib/test/hostile-input";
import { OPERATIONS, jsonSchema } from "./openapi";

// Every request schema the API validates with, fed hostile JSON: zod must answer (never throw), and every refusal
// must say where. The same generators drive e2e/api/fuzz.spec.ts against the running server.
const seed = Number(process.env.GATEHOUSE_FUZZ_SEED ?? Date.now() % 2 ** 31);
const schemas = OPERATIONS.flatMap((op) => [
  ...(op.body ? [{ name: `${op.method.toUpperCase()} ${op.path} body`, schema: op.body, kind: "body" as const }] : []),
  ...(op.query ? [{ name: `${op.method.toUpperCase()} ${op.path} query`, schema: op.query, kind: "query" as const }] : []),
]);

/** What the server does with a body: JSON in, JSON parsed, then the schema (so -0, undefined and the like are gone). */
const overTheWire = (value: unknown) => (value === undefined ? {} : JSON.parse(JSON.stringify(value)));

/** What withApi does: unstorable text refused with its path first, then the schema. */
function checkIssues(schema: ZodType, input: unknown) {
  try {
    refuseUnstorable(input);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    const details = (e as AppError).details ?? [];
    expect(details).toHaveLength(1);
    // Only a bare string body has no field to name.
    if (typeof input !== "string") expect(details[0].path).not.toBe("(body)");
    return;
  }
  let result: ReturnType<ZodType["safeParse"]>;
  expect(() => (result = schema.safeParse(input))).not.toThrow();
  if (result!.success) {
    // What a schema accepts goes to PostgreSQL, which cannot store NUL or broken Unicode.
    for (const [path, text] of stringsIn(result!.data)) expect(storable(text), `${path || "(body)"} = ${JSON.stringify(text)}`).toBe(true);
    return;
  }
  const plainObject = input !== null && typeof input === "object" && !Array.isArray(input);
  for (const issue of result!.error.issues) {
    expect(issue.message).toBeTruthy();
    // A refusal names its field, unless the body as a whole is wrong: not an object, or a rule across its fields.
    if (issue.path.length === 0 && plainObject) expect(["custom", "unrecognized_keys", "invalid_union"]).toContain(issue.code);
  }
}

function* stringsIn(value: unknown, path = ""): Generator<[string, string]> {
  if (typeof value === "string") yield [path, value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* stringsIn(v, `${path}.${i}`);
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      yield [`${path}.${k} (key)`, k];
      yield* stringsIn(v, `${path}.${k}`);
    }
}

describe("request schemas under hostile input", () => {
  it("cover every operation that takes a body or a query", () => {
    expect(schemas.length).toBeGreaterThan(40);
  });

  it.each(schemas)("$name: answers every generated value with data or issues that say where", ({ schema, kind }) => {
    const json = jsonSchema(schema) as JsonSchema;
    const values = kind === "body" ? hostileValue(json).map(overTheWire) : hostileQuery(json).map((pairs) => Object.fromEntries(new URLSearchParams(pairs)));
    fc.assert(
      fc.property(values, (input) => checkIssues(schema, input)),
      { seed, numRuns: 150 },
    );
  });

  it.each(schemas.filter((s) => s.kind === "body"))("$name: a body nested 10,000 deep is refused or dropped, never kept", ({ schema }) => {
    for (const nested of [deeplyNested(10_000, "array"), deeplyNested(10_000, "object"), { items: deeplyNested(10_000, "array") }]) {
      expect(() => refuseUnstorable(nested)).not.toThrow();
      const result = schema.safeParse(nested);
      // Objects whose fields are all optional ignore unknown keys, so { a: { a: … } } may pass as {}: the nesting must be gone.
      if (result.success) expect(JSON.stringify(result.data).length).toBeLessThan(1_000);
    }
  });
});
