import { Lexer, isAlias, isCollection, isPair, isScalar, type Document } from "yaml";

/**
 * Limits on the shape of a policy text, so a hostile document (an alias bomb, thousands of nested brackets, custom
 * tags) is refused with one clear error before anything walks it. A real policy is far inside all of them: about
 * eight levels deep, a few hundred values, a handful of aliases. docs/policy.md lists them under "Limits".
 */
export const MAX_POLICY_CHARS = 100_000;
export const MAX_POLICY_DEPTH = 32;
export const MAX_POLICY_ALIASES = 20;
export const MAX_POLICY_VALUES = 10_000;

/** What is wrong and where: the path to the offending node and its offset in the text. */
export type LimitError = { path: PropertyKey[]; offset: number; message: string };

export const TOO_DEEP_MESSAGE = `The policy is nested more than ${MAX_POLICY_DEPTH} levels deep; a policy needs about eight`;

/** yaml's zero-width markers in the token stream (document start, scalar start, flow error end). */
const MARKERS = new Set(["\x02", "\x1f", "\x18"]);

/**
 * A linear pass over the tokens, before the (recursive) parser sees them: brackets and same-line "- " or "? "
 * indicators nest without costing indentation, so they are what a few kilobytes can nest thousands deep.
 */
export function scanDepth(text: string): LimitError | null {
  let offset = 0;
  let flow = 0;
  let compact = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === "\n" || token === "\r\n") compact = 0;
    else if (token === "{" || token === "[") flow++;
    else if (token === "}" || token === "]") flow = Math.max(0, flow - 1);
    else if ((token === "-" || token === "?") && flow === 0) compact++;
    if (flow + compact > MAX_POLICY_DEPTH) return { path: [], offset, message: TOO_DEEP_MESSAGE };
    if (!MARKERS.has(token)) offset += token.length;
  }
  return null;
}

/** yaml reports a stack overflow per node; the deep-indentation documents the token scan lets through end up here. */
export function isStackOverflow(message: string): boolean {
  return /Maximum call stack size exceeded/i.test(message);
}

class Refusal {
  constructor(readonly error: LimitError) {}
}

/**
 * Walks the parsed document once and refuses, at the first offending node, what a policy never needs: YAML tags
 * (`!!binary`, `!!js/function`, `!custom`), merge keys (`<<`), keys that are collections, aliases that refer to the
 * collection they are inside, more than MAX_POLICY_ALIASES aliases, more than MAX_POLICY_VALUES values once aliases
 * are expanded (the "billion laughs" bomb), and nesting deeper than MAX_POLICY_DEPTH.
 */
export function checkStructure(doc: Document.Parsed): LimitError | null {
  const at = (node: unknown, path: PropertyKey[], message: string) => new Refusal({ path, offset: (node as { range?: number[] } | null)?.range?.[0] ?? 0, message });
  let values = 0;
  let aliases = 0;
  const sizes = new Map<unknown, number>();
  const open = new Set<unknown>();

  const walk = (node: unknown, depth: number, path: PropertyKey[]) => {
    const before = values;
    if (isAlias(node)) {
      aliases++;
      if (aliases > MAX_POLICY_ALIASES) throw at(node, path, `A policy uses at most ${MAX_POLICY_ALIASES} aliases (*name); write the rest out`);
      const source = node.resolve(doc);
      if (!source) throw at(node, path, `The alias *${node.source} has no anchor &${node.source} before it`);
      if (open.has(source)) throw at(node, path, `The alias *${node.source} refers to the collection it is inside`);
      values += sizes.get(source) ?? 1;
      if (values > MAX_POLICY_VALUES) throw at(node, path, `Aliases expand this policy to more than ${MAX_POLICY_VALUES.toLocaleString("en")} values (an alias bomb?); a policy needs far fewer`);
      return;
    }
    values++;
    if (values > MAX_POLICY_VALUES) throw at(node, path, `A policy holds at most ${MAX_POLICY_VALUES.toLocaleString("en")} values`);
    const tag = (node as { tag?: string } | null)?.tag;
    if (tag) throw at(node, path, `YAML tags such as ${shortTag(tag)} are not allowed in a policy; write plain values`);
    if (isCollection(node)) {
      if (depth >= MAX_POLICY_DEPTH) throw at(node, path, TOO_DEEP_MESSAGE);
      open.add(node);
      node.items.forEach((item, i) => {
        if (!isPair(item)) return walk(item, depth + 1, [...path, i]);
        const key = item.key;
        if (isScalar(key) && key.value === "<<") throw at(key, path, "Merge keys (<<) are not supported in a policy; write the keys out, or use an alias (*name) for a whole value");
        if (key !== null && !isScalar(key)) throw at(key, path, isAlias(key) ? "A key may not be an alias; write the key out" : "Keys are plain names, not lists or mappings");
        if (isScalar(key) && key.tag) throw at(key, path, `YAML tags such as ${shortTag(key.tag)} are not allowed in a policy; write plain values`);
        walk(item.value, depth + 1, [...path, isScalar(key) ? String(key.value) : "(key)"]);
      });
      open.delete(node);
    }
    if ((node as { anchor?: string } | null)?.anchor) sizes.set(node, values - before);
  };

  try {
    walk(doc.contents, 0, []);
    return null;
  } catch (e) {
    if (e instanceof Refusal) return e.error;
    throw e;
  }
}

function shortTag(tag: string): string {
  return tag.startsWith("tag:yaml.org,2002:") ? `!!${tag.slice("tag:yaml.org,2002:".length)}` : tag;
}
