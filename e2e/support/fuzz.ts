import fc from "fast-check";
import { AppError, refuseUnstorable } from "@/lib/api/errors";
import type { Operation } from "@/lib/api/openapi";
import { ZMetricBatchEnvelope } from "@/lib/metrics/schemas";
import { MAX_DETAILS, validateItems } from "@/lib/metrics/validate";

// The fuzz test's oracle and its requests' pieces (e2e/api/fuzz.spec.ts): what withApi would answer for an input,
// computed here from the same schemas, and path parameters that name nothing.
export type Json = Record<string, unknown>;
export type Expectation = { valid: true } | { valid: false; paths: string[] };
export const opName = (op: Operation) => `${op.method.toUpperCase()} ${op.path}`;

// What withApi does, here: unstorable text refused first, then the operation's schema; paths as in its details.
function zodPaths(issues: { code: string; path: PropertyKey[]; keys?: string[] }[]): string[] {
  const at = (path: PropertyKey[]) => path.map(String).join(".") || "(body)";
  return issues.flatMap((i) => (i.code === "unrecognized_keys" ? i.keys!.map((k) => at([...i.path, k])) : [at(i.path)]));
}
export function expected(op: Operation, where: "body" | "query", input: unknown): Expectation {
  try {
    refuseUnstorable(input);
  } catch (e) {
    return { valid: false, paths: ((e as AppError).details ?? []).map((d) => d.path) };
  }
  // The ingest route checks the envelope, then each item on its own so that every bad item is named.
  if (where === "body" && op.path === "/api/v1/models/{name}/metrics") {
    const envelope = ZMetricBatchEnvelope.safeParse(input);
    if (!envelope.success) return { valid: false, paths: zodPaths(envelope.error.issues) };
    const { problems } = validateItems(envelope.data.items);
    if (!problems.length) return { valid: true };
    return { valid: false, paths: [...problems.slice(0, MAX_DETAILS).map((p) => p.path), ...(problems.length > MAX_DETAILS ? ["items"] : [])] };
  }
  const result = (where === "body" ? op.body! : op.query!).safeParse(input);
  return result.success ? { valid: true } : { valid: false, paths: zodPaths(result.error.issues) };
}

/** JSON as the server sees it: what survives JSON.stringify and JSON.parse (no undefined, no -0, no prototypes). */
export const wire = (value: unknown) => (value === undefined ? "" : JSON.stringify(value));
export const parsedWire = (text: string) => (text.trim() ? JSON.parse(text) : {});
export const preview = (text: string) => (text.length > 400 ? `${text.slice(0, 400)}… (${text.length} characters)` : text);

/** Read-only operations: a valid body or query may be sent even where nothing in the path makes it harmless. */
export const READ_ONLY = new Set(["POST /api/v1/policies/validate"]);

// Path parameters that cannot exist: hostile text, numbers out of every range, ids of nothing.
const NOWHERE: Record<string, string[]> = {
  name: ["no-such-model-fuzz", "<script>alert(1)</script>", "'; DROP TABLE users; --", "😀‍🔥", "x".repeat(300), "%", "\u202Eevil", "a b"],
  version: ["999999", "-1", "0", "1.5", "1e308", "99999999999999999999", "2147483648", "NaN", "abc"],
  alias: ["no-such-alias", "<b>x</b>", "latest", "v1", "%00x"],
  id: ["00000000-0000-0000-0000-000000000000", "999999999", "99999999999999999999", "2147483648", "-1", "1e308", "'; DROP TABLE users; --", "<script>", "cln0000000000000000000000"],
};
export const nowhere = (param: string) => NOWHERE[param] ?? NOWHERE.id;
export function pathArb(op: Operation): fc.Arbitrary<string> {
  const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  if (!names.length) return fc.constant(op.path);
  return fc.tuple(...names.map((n) => fc.constantFrom(...nowhere(n)))).map((values) => names.reduce((p, n, i) => p.replace(`{${n}}`, encodeURIComponent(values[i])), op.path));
}
export const hasPathParams = (op: Operation) => op.path.includes("{");
