import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from "yaml";
import type { z } from "zod";
import { MAX_POLICY_ALIASES, MAX_POLICY_CHARS, MAX_POLICY_VALUES, TOO_DEEP_MESSAGE, checkStructure, isStackOverflow, scanDepth } from "./limits";
import { ZPolicyDocument, type PolicyDocument } from "./schema";

/** One problem in a policy text, where an editor can point at it (1-based line and column). */
export type PolicyError = { path: string; line: number; column: number; message: string };
export type ParsedPolicy = { ok: true; document: PolicyDocument; errors: []; source: PolicySource } | { ok: false; document: null; errors: PolicyError[]; source: PolicySource | null };

export { MAX_POLICY_CHARS };

/** The parsed YAML with its positions, so later checks (merging, mandatory gates) can point at lines too. */
export class PolicySource {
  constructor(
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  /** Where `path` is in the text: the deepest node that exists along it (or the key of an unknown key). */
  locate(path: readonly PropertyKey[], key?: string): { line: number; column: number } {
    let node: unknown = this.doc.contents;
    let offset = rangeStart(node) ?? 0;
    for (const segment of path) {
      const next = child(node, segment);
      if (next === undefined) break;
      node = next.value;
      // Point at the value (what is wrong), or at the key when the value is empty.
      offset = rangeStart(next.value) ?? rangeStart(next.key) ?? offset;
    }
    if (key !== undefined && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
      if (pair) offset = rangeStart(pair.key) ?? offset;
    }
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  error(path: readonly PropertyKey[], message: string, key?: string): PolicyError {
    return { path: formatPath(path), ...this.locate(path, key), message };
  }
}

function rangeStart(node: unknown): number | undefined {
  return node && typeof node === "object" && "range" in node && Array.isArray((node as Node).range) ? (node as Node).range![0] : undefined;
}

function child(node: unknown, segment: PropertyKey): { key?: unknown; value: unknown } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
    return pair ? { key: pair.key, value: pair.value } : undefined;
  }
  if (isSeq(node) && typeof segment === "number") {
    const item = node.items[segment];
    return item === undefined ? undefined : { value: item };
  }
  return undefined;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || "(document)";
}

/** Parses and validates a policy text: every problem with its path, line and column, or the document. */
export function parsePolicy(text: string): ParsedPolicy {
  const refuse = (error: PolicyError): ParsedPolicy => ({ ok: false, document: null, source: null, errors: [error] });
  if (text.length > MAX_POLICY_CHARS) return refuse({ path: "(document)", line: 1, column: 1, message: `A policy is at most ${MAX_POLICY_CHARS.toLocaleString("en")} characters (this one has ${text.length.toLocaleString("en")})` });
  const lines = new LineCounter();
  const at = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  // Brackets nested thousands deep would take the recursive parser to its stack limit: refuse them first.
  const deep = scanDepth(text);
  if (deep) {
    const before = text.slice(0, deep.offset).split("\n");
    return refuse({ path: "(document)", line: before.length, column: before.at(-1)!.length + 1, message: deep.message });
  }
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, strict: true });
  const source = new PolicySource(doc, lines);
  if (doc.errors.length) {
    const overflow = doc.errors.find((e) => isStackOverflow(e.message));
    if (overflow) return refuse({ path: "(document)", ...at(overflow.pos[0]), message: TOO_DEEP_MESSAGE });
    return {
      ok: false,
      document: null,
      source: null,
      errors: doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? lines.linePos(e.pos[0]);
        return { path: "(document)", line: pos.line, column: pos.col, message: yamlMessage(e.message) };
      }),
    };
  }
  const structure = checkStructure(doc);
  if (structure) return refuse({ path: formatPath(structure.path), ...at(structure.offset), message: structure.message });
  let value: unknown;
  try {
    // checkStructure has bounded the aliases and what they expand to; yaml's own measure stays on as a second guard.
    value = doc.toJS({ maxAliasCount: MAX_POLICY_VALUES }) ?? {};
  } catch (e) {
    const message = e instanceof Error ? e.message : "The YAML could not be read";
    return refuse({ path: "(document)", line: 1, column: 1, message: /resource exhaustion/.test(message) ? `Aliases expand this policy too far; use at most ${MAX_POLICY_ALIASES} aliases (*name)` : message });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, document: null, source, errors: [source.error([], "A policy is a YAML mapping of keys such as stages, freeze and protectedAliases")] };
  const result = ZPolicyDocument.safeParse(value);
  const errors = [...(result.success ? [] : result.error.issues.map((issue) => issueToError(source, issue))), ...duplicateGateIds(source, value)];
  if (!result.success || errors.length) return { ok: false, document: null, source, errors: sortErrors(errors) };
  return { ok: true, document: result.data, errors: [], source };
}

function yamlMessage(message: string): string {
  // yaml's own wording names its API, which a policy author does not call.
  if (/multiple documents/.test(message)) return 'A policy is one YAML document; remove the second "---" and what follows it';
  // yaml's messages end with a code frame when prettyErrors is on; keep the first line only.
  return message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
}

function issueToError(source: PolicySource, issue: z.core.$ZodIssue): PolicyError {
  if (issue.code === "unrecognized_keys") return { ...source.error(issue.path, issue.message, issue.keys[0]), path: formatPath([...issue.path, issue.keys[0]]) };
  // A bad record key (a stage name): the key's own message, pointing at the key rather than its settings.
  if (issue.code === "invalid_key") return { ...source.error(issue.path.slice(0, -1), issue.issues[0]?.message ?? issue.message, String(issue.path.at(-1))), path: formatPath(issue.path) };
  // zod's own wording for an absent key ("expected string, received undefined") says nothing to a policy author.
  if (issue.code === "invalid_type" && /received undefined/.test(issue.message)) {
    const key = issue.path.at(-1);
    return source.error(issue.path, typeof key === "string" ? `${key} is required here (expected ${issue.expected})` : `A value is required here (expected ${issue.expected})`);
  }
  return source.error(issue.path, issue.message);
}

/** Checked on the raw value, so a duplicate id is reported alongside any other problem. */
function duplicateGateIds(source: PolicySource, value: object): PolicyError[] {
  const errors: PolicyError[] = [];
  const stages = (value as { stages?: unknown }).stages;
  if (!stages || typeof stages !== "object") return errors;
  for (const [stage, settings] of Object.entries(stages)) {
    const gates = (settings as { gates?: unknown } | null)?.gates;
    if (!Array.isArray(gates)) continue;
    const seen = new Map<string, number>();
    gates.forEach((gate: { id?: unknown } | null, i) => {
      if (typeof gate?.id !== "string") return;
      const first = seen.get(gate.id);
      if (first !== undefined) errors.push(source.error(["stages", stage, "gates", i, "id"], `Gate id "${gate.id}" is already used by gate ${first + 1} of this stage; ids must be unique within a stage`));
      else seen.set(gate.id, i);
    });
  }
  return errors;
}

export function sortErrors(errors: PolicyError[]): PolicyError[] {
  return [...errors].sort((a, b) => a.line - b.line || a.column - b.column);
}
