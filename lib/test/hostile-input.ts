import fc from "fast-check";

/**
 * Hostile input for property-based tests, generated from the JSON Schema the OpenAPI document gives each request
 * (itself made from the zod schemas the handlers validate with), so a new endpoint or field is fuzzed without a
 * line here. Used by lib/api/schemas.property.test.ts and e2e/api/fuzz.spec.ts.
 */
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  format?: string;
  pattern?: string;
};

export const SQL_LIKE = ["'; DROP TABLE users; --", "1 OR 1=1", "\" OR \"\"=\"", "admin'--", "1; SELECT pg_sleep(10)", "%' AND 1=1 --"];
export const HTML_LIKE = ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">', '"><svg onload=alert(1)>', "javascript:alert(1)", "{{7*7}}", "${7*7}"];
export const UNICODE = [
  "👩‍👩‍👧‍👦🚀",
  "\u202Eevil\u202C", // right-to-left override
  "مرحبا بالعالم",
  "Z̷̧̛a̶l̸g̵o̴ ̷t̶e̸x̵t̷",
  "e\u0301\u0301\u0301",
  "\uFEFFbom",
  "\u200B\u200D\u2060",
  "ｆｕｌｌｗｉｄｔｈ",
  "\ud800", // lone high surrogate
  "x\udfffy", // lone low surrogate
];
export const CONTROL = ["\u0000", "nul\u0000inside", "\u0001\u0002\u0007\u001b[31mred", "\r\n\r\n", "\t", "\u007f\u0085\u2028\u2029", " ", ""];
export const HOSTILE_STRINGS = [...SQL_LIKE, ...HTML_LIKE, ...UNICODE, ...CONTROL, "NaN", "Infinity", "-Infinity", "1e309", "null", "undefined", "true", "0x10", "../../etc/passwd", "%00", "__proto__", "constructor"];
export const HOSTILE_NUMBERS = [-1, 0, -0, 0.5, -0.5, 1.5, 1e308, -1e308, 2 ** 63, -(2 ** 63), 2 ** 31, Number.MAX_SAFE_INTEGER + 2, 5e-324, 1e-7];

/** `[[[…]]]` or `{"a":{"a":…}}` nested `depth` deep (built without recursion). */
export function deeplyNested(depth: number, kind: "array" | "object"): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = kind === "array" ? [value] : { a: value };
  return value;
}

/** Any value of the wrong kind: hostile strings and numbers, null, booleans, empty or nested containers. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(...HOSTILE_NUMBERS),
  fc.constantFrom(null, true, false, [], {}, [null], { "": null }, [[[[]]]], deeplyNested(64, "object")),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.jsonValue({ maxDepth: 2 }),
);

function resolveType(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== "null") ?? "null";
  if (schema.type) return schema.type;
  if (schema.properties) return "object";
  return undefined;
}

const ISO_NOW = "2026-11-22T10:15:00Z";

/** `ascii`: boundary strings of plain letters only, for query strings (percent-encoded é triples a URL's length). */
function plausibleString(s: JsonSchema, ascii = false): fc.Arbitrary<string> {
  const options: fc.Arbitrary<string>[] = [fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 20 }), fc.string({ unit: "grapheme", maxLength: 12 })];
  if (s.format === "date-time") options.push(fc.constantFrom(ISO_NOW, "2026-02-30T00:00:00Z", "2026-11-22", "yesterday", "2026-11-22T10:15:00+25:00"));
  if (s.format === "email") options.push(fc.constantFrom("fuzz@example.com", "not-an-email", "a@b", "<script>@example.com"));
  if (s.format === "uri") options.push(fc.constantFrom("https://example.com/x", "javascript:alert(1)", "ftp://example.com", "http://127.0.0.1:1/", "not a url"));
  // Either side of each length bound: the boundary is where off-by-one errors hide.
  for (const n of [s.maxLength, s.maxLength === undefined ? undefined : s.maxLength + 1, s.minLength === undefined ? undefined : s.minLength - 1]) {
    if (n !== undefined && n >= 0 && n <= 200_000) options.push(fc.constant("x".repeat(n)));
  }
  if (!ascii && s.maxLength !== undefined && s.maxLength < 200_000) options.push(fc.constant("é".repeat(s.maxLength + 1)), fc.constant("😀".repeat(Math.ceil((s.maxLength + 1) / 2))));
  return fc.oneof(...options);
}

function plausibleNumber(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1_000);
  const hi = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : 1_000);
  const edges = [lo, hi, lo - 1, hi + 1, s.exclusiveMinimum, s.exclusiveMaximum].filter((n): n is number => n !== undefined && Number.isFinite(n));
  const inRange = fc.integer({ min: Math.max(Math.ceil(lo), -1e9), max: Math.min(Math.floor(hi), 1e9) });
  return fc.oneof(integer ? inRange : fc.oneof(inRange, fc.double({ min: Math.max(lo, -1e9), max: Math.min(hi, 1e9), noNaN: true })), fc.constantFrom(...edges), fc.constantFrom(...HOSTILE_NUMBERS));
}

/** Keys nothing expects: to see whether unknown fields are refused or ignored. */
const UNKNOWN_KEYS = ["unknownField", "__proto__", "constructor", "isAdmin", "id", "createdAt", "role", "<script>", "'; DROP TABLE users; --", ""];

export type HostileOptions = {
  /** 0 to 1: how often a value is replaced by one of the wrong kind at each node. */
  wrongRate?: number;
  maxArray?: number;
};

/** A value of roughly `schema`'s shape, with hostile, wrongly typed, missing and extra values mixed in at any depth. */
export function hostileValue(schema: JsonSchema, opts: HostileOptions = {}): fc.Arbitrary<unknown> {
  const wrongWeight = Math.round((opts.wrongRate ?? 0.15) * 100);
  const node = (s: JsonSchema, depth: number): fc.Arbitrary<unknown> => {
    const shaped = plausible(s, depth);
    return depth > 6 ? shaped : fc.oneof({ weight: 100 - wrongWeight, arbitrary: shaped }, { weight: wrongWeight, arbitrary: wrongValue });
  };
  const plausible = (s: JsonSchema, depth: number): fc.Arbitrary<unknown> => {
    if (s.const !== undefined) return fc.constant(s.const);
    if (s.enum) return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...s.enum) }, { weight: 1, arbitrary: fc.constantFrom("", "ALL", String(s.enum[0]).toUpperCase(), ` ${String(s.enum[0])}`) });
    const variants = s.anyOf ?? s.oneOf;
    if (variants) return fc.oneof(...variants.map((v) => node(v, depth)));
    if (s.allOf) return plausible(mergeAll(s.allOf), depth);
    switch (resolveType(s)) {
      case "object": {
        const props = s.properties ?? {};
        const keys = Object.keys(props);
        const extra = fc.option(fc.tuple(fc.constantFrom(...UNKNOWN_KEYS), wrongValue), { freq: 4 });
        if (keys.length === 0) {
          const value = typeof s.additionalProperties === "object" ? s.additionalProperties : {};
          const key = s.propertyNames ? fc.oneof(plausibleString(s.propertyNames), fc.constantFrom(...UNKNOWN_KEYS)) : fc.string({ maxLength: 10 });
          return fc.dictionary(key, node(value, depth + 1), { maxKeys: 4 });
        }
        const record = (required: string[]) => fc.record(Object.fromEntries(keys.map((k) => [k, node(props[k], depth + 1)])), { requiredKeys: required });
        const required = (s.required ?? []).filter((k) => keys.includes(k));
        // Mostly the required keys present; sometimes any of them missing.
        const shaped = fc.oneof({ weight: 5, arbitrary: record(required) }, { weight: 1, arbitrary: record([]) });
        return fc.tuple(shaped, extra).map(([o, e]) => (e ? Object.assign(Object.create(null), o, { [e[0]]: e[1] }) : o));
      }
      case "array": {
        const max = Math.min(s.maxItems ?? 3, opts.maxArray ?? 3);
        const arrays: fc.Arbitrary<unknown>[] = [fc.array(node(s.items ?? {}, depth + 1), { maxLength: max })];
        if (s.maxItems !== undefined && s.maxItems <= 100) arrays.push(fc.constant(Array.from({ length: s.maxItems + 1 }, () => null)));
        return fc.oneof(...arrays);
      }
      case "string":
        return plausibleString(s);
      case "integer":
        return plausibleNumber(s, true);
      case "number":
        return plausibleNumber(s, false);
      case "boolean":
        return fc.oneof(fc.boolean(), fc.constantFrom("true", 1, 0));
      case "null":
        return fc.constant(null);
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  };
  return node(schema, 0);
}

function mergeAll(parts: JsonSchema[]): JsonSchema {
  return {
    type: "object",
    properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
    required: parts.flatMap((p) => p.required ?? []),
  };
}

/**
 * Query strings are text: each known parameter as hostile or plausible text, plus unknown and repeated ones. At
 * most four, so a URL stays under the HTTP server's 16 KB header limit (beyond it Node answers 431 itself).
 */
export function hostileQuery(schema: JsonSchema): fc.Arbitrary<[string, string][]> {
  const props = schema.allOf ? mergeAll(schema.allOf).properties ?? {} : (schema.properties ?? {});
  const text = (s: JsonSchema): fc.Arbitrary<string> =>
    fc.oneof(
      plausibleString(s, true),
      fc.constantFrom(...HOSTILE_NUMBERS.map(String), "1e309", "-1", "0", "1.5", "99999999999999999999", "", "%00", "true"),
      ...(s.enum ? [fc.constantFrom(...s.enum.map(String))] : []),
      fc.string({ maxLength: 8 }).map((x) => x.replace(/[\ud800-\udfff]/g, "")),
    );
  const known = Object.entries(props).map(([k, s]) => fc.tuple(fc.constant(k), text(s)));
  const unknown = fc.tuple(fc.constantFrom(...UNKNOWN_KEYS.filter(Boolean)), fc.constantFrom(...HOSTILE_STRINGS.map((x) => x.replace(/[\ud800-\udfff]/g, ""))));
  return fc.array(known.length ? fc.oneof({ weight: 4, arbitrary: fc.oneof(...known) }, { weight: 1, arbitrary: unknown }) : unknown, { maxLength: 4 });
}

/** Every path to a value inside `value` (objects and arrays), as key lists: where a single mutation can go. */
export function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push([...prefix, i], ...pathsOf(v, [...prefix, i])));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) out.push([...prefix, k], ...pathsOf(v, [...prefix, k]));
  return out;
}

export type Mutation = { path: (string | number)[]; kind: "replace" | "delete" | "extra"; value?: unknown; key?: string };

/** One change to a valid body at one place: a wrong value, a field removed, or an unknown field beside it. */
export function mutation(valid: unknown): fc.Arbitrary<Mutation> {
  const paths = pathsOf(valid);
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ path: fc.constantFrom(...paths), kind: fc.constant("replace" as const), value: wrongValue }) },
    { weight: 2, arbitrary: fc.record({ path: fc.constantFrom(...paths), kind: fc.constant("delete" as const) }) },
    { weight: 1, arbitrary: fc.record({ path: fc.constantFrom([], ...paths), kind: fc.constant("extra" as const), key: fc.constantFrom(...UNKNOWN_KEYS), value: wrongValue }) },
  );
}

export function applyMutation(valid: unknown, m: Mutation): unknown {
  const copy = structuredClone(valid) as Record<string | number, unknown>;
  if (m.kind === "extra") {
    const target = m.path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], copy);
    if (target && typeof target === "object" && !Array.isArray(target)) Object.defineProperty(target, m.key!, { value: m.value, enumerable: true, writable: true, configurable: true });
    return copy;
  }
  const parent = m.path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], copy) as Record<string | number, unknown>;
  const last = m.path[m.path.length - 1];
  if (m.kind === "delete") {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = m.value;
  return copy;
}
