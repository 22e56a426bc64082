import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_POLICY_ALIASES, MAX_POLICY_CHARS, MAX_POLICY_DEPTH, MAX_POLICY_VALUES } from "./limits";
import { parsePolicy } from "./parse";

const text = (...lines: string[]) => lines.join("\n");
const TOO_DEEP = `The policy is nested more than ${MAX_POLICY_DEPTH} levels deep; a policy needs about eight`;
const NO_TAGS = (tag: string) => `YAML tags such as ${tag} are not allowed in a policy; write plain values`;

/** The exponential "billion laughs": each level lists the one before it `width` times. */
function laughs(levels: number, width: number, base = "lol") {
  const out = [`l0: &l0 [${Array(width).fill(base).join(", ")}]`];
  for (let i = 1; i < levels; i++) out.push(`l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(", ")}]`);
  return out.join("\n");
}

describe("parsePolicy: hostile documents are refused with one clear error, where it is", () => {
  type Case = [name: string, text: string, path: string, line: number, column: number, message: string | RegExp];
  it.each<Case>([
    ["an alias bomb (billion laughs)", laughs(9, 9), "l3[2]", 4, 20, `A policy uses at most ${MAX_POLICY_ALIASES} aliases (*name); write the rest out`],
    // Few aliases, each expanding a long list: the expanded size is what counts.
    [
      "aliases that expand past the value limit",
      text(`base: &b [${Array(1_000).fill("x").join(",")}]`, `more: [${Array(10).fill("*b").join(", ")}]`),
      "more[8]",
      2,
      40,
      /^Aliases expand this policy to more than 10,000 values/,
    ],
    ["an alias inside the collection it names", text("protectedAliases: &x [ *x ]"), "protectedAliases[0]", 1, 24, "The alias *x refers to the collection it is inside"],
    ["an alias with no anchor", text("description: *nowhere"), "description", 1, 14, "The alias *nowhere has no anchor &nowhere before it"],
    ["brackets nested thousands deep", `description: ${"[".repeat(5_000)}${"]".repeat(5_000)}`, "(document)", 1, 13 + MAX_POLICY_DEPTH + 1, TOO_DEEP],
    ["braces nested thousands deep", `${"{a: ".repeat(5_000)}1${"}".repeat(5_000)}`, "(document)", 1, 4 * MAX_POLICY_DEPTH + 1, TOO_DEEP],
    ["compact sequences nested on one line", `${"- ".repeat(5_000)}x`, "(document)", 1, 2 * MAX_POLICY_DEPTH + 1, TOO_DEEP],
    [
      "mappings nested by indentation",
      Array.from({ length: MAX_POLICY_DEPTH + 5 }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n"),
      `${Array.from({ length: MAX_POLICY_DEPTH }, (_, i) => `k${i}`).join(".")}`,
      MAX_POLICY_DEPTH + 1,
      MAX_POLICY_DEPTH + 1,
      TOO_DEEP,
    ],
    ["a !!js/function tag", text("description: !!js/function 'function () { return 1 }'"), "description", 1, 28, NO_TAGS("!!js/function")],
    ["a !!binary tag", text("description: !!binary aGVsbG8="), "description", 1, 23, NO_TAGS("!!binary")],
    ["a !!set tag", text("protectedAliases: !!set { a, b }"), "protectedAliases", 1, 25, NO_TAGS("!!set")],
    ["a custom local tag", text("stages:", "  staging: !include other.yaml"), "stages.staging", 2, 21, NO_TAGS("!include")],
    ["a tag on a key", text("!!str description: hi"), "(document)", 1, 7, NO_TAGS("!!str")],
    [
      "a merge key",
      text("base: &gate { type: lineage }", "stages:", "  staging:", "    gates:", "      - <<: *gate", "        id: lin"),
      "stages.staging.gates[0]",
      5,
      9,
      "Merge keys (<<) are not supported in a policy; write the keys out, or use an alias (*name) for a whole value",
    ],
    ["a list as a key", text("? [a, b]", ": c"), "(document)", 1, 3, "Keys are plain names, not lists or mappings"],
    ["a mapping as a key", text("stages:", "  ? { staging: 1 }", "  : {}"), "stages", 2, 5, "Keys are plain names, not lists or mappings"],
    ["several documents", text("description: first", "---", "description: second"), "(document)", 2, 1, 'A policy is one YAML document; remove the second "---" and what follows it'],
    ["a duplicate key", text("stages:", "  staging: {}", "  staging: {}"), "(document)", 3, 3, "Map keys must be unique"],
    // Type confusion: the document parses, and the schema names the field.
    ["a number where a list goes", text("protectedAliases: 3"), "protectedAliases", 1, 19, /expected array, received number/],
    ["a string threshold", text("stages:", "  production:", "    gates:", "      - { id: auc, type: metric, metric: auc, min: '0.9' }"), "stages.production.gates[0].min", 4, 52, "Expected a number"],
    ["a mapping where a name goes", text("description: { text: hi }"), "description", 1, 14, /expected string, received object/],
    ["a list where a stage's settings go", text("stages:", "  staging: [gates]"), "stages.staging", 2, 12, /expected object, received array/],
    ["an infinite threshold", text("stages:", "  production:", "    gates:", "      - { id: auc, type: metric, metric: auc, min: .inf }"), "stages.production.gates[0].min", 4, 52, "Expected a number"],
    ["a number too large for a double", text("stages:", "  production:", "    gates:", "      - { id: auc, type: metric, metric: auc, max: 1e999 }"), "stages.production.gates[0].max", 4, 52, "Expected a number"],
  ])("%s", (_name, t, path, line, column, message) => {
    const r = parsePolicy(t);
    expect(r.ok).toBe(false);
    expect(r.errors).toHaveLength(1);
    const [e] = r.errors;
    expect([e.path, e.line, e.column]).toEqual([path, line, column]);
    if (typeof message === "string") expect(e.message).toBe(message);
    else expect(e.message).toMatch(message);
  });

  it("refuses a text over the size limit before parsing it, saying the limit", () => {
    const r = parsePolicy(`description: ${"x".repeat(MAX_POLICY_CHARS)}`);
    expect(r.errors).toEqual([{ path: "(document)", line: 1, column: 1, message: `A policy is at most 100,000 characters (this one has ${(MAX_POLICY_CHARS + 13).toLocaleString("en")})` }]);
    expect(r.source).toBeNull();
  });

  it("still accepts the aliases a real policy uses: one gate list shared by two stages", () => {
    const r = parsePolicy(text("stages:", "  staging:", "    gates: &checks", "      - { id: lin, type: lineage }", "      - { id: scan, type: security-scan }", "  production:", "    gates: *checks"));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.document.stages!.production.gates!.map((g) => g.id)).toEqual(["lin", "scan"]);
  });

  it("lets a policy reach the alias and depth limits, and not one past them", () => {
    const uses = (n: number) => parsePolicy(`protectedAliases: [&a keep, ${Array(n).fill("*a").join(", ")}]`);
    const atLimit = uses(MAX_POLICY_ALIASES);
    if (!atLimit.ok) throw new Error(JSON.stringify(atLimit.errors));
    expect(atLimit.document.protectedAliases).toHaveLength(MAX_POLICY_ALIASES + 1);
    expect(uses(MAX_POLICY_ALIASES + 1).errors[0].message).toMatch(/at most 20 aliases/);
    // The top-level mapping is the first level, so a value may nest one level fewer.
    const nested = (n: number) => parsePolicy(`description: ${"[".repeat(n)}${"]".repeat(n)}`);
    expect(nested(MAX_POLICY_DEPTH - 1).errors.map((e) => e.message)).toEqual([expect.stringMatching(/expected string, received array/)]);
    expect(nested(MAX_POLICY_DEPTH).errors.map((e) => [e.path.split("[").length - 1, e.message])).toEqual([[MAX_POLICY_DEPTH - 1, TOO_DEEP]]);
  });

  it(`counts values once aliases are expanded: ${MAX_POLICY_VALUES.toLocaleString("en")} at most`, () => {
    const r = parsePolicy(text(`base: &b [${Array(3_000).fill("x").join(",")}]`, "more: [*b, *b]"));
    // Under the limit, the document goes on to the schema, which has its own say.
    expect(r.errors.map((e) => e.message)).toEqual(['Unknown keys "base", "more"; valid keys: description, stages, freeze, protectedAliases, dependencies']);
  });
});

describe("parsePolicy never throws, whatever the text", () => {
  // Fragments of YAML syntax, glued at random, reach the odd corners of the parser faster than random characters.
  const fragment = fc.constantFrom("stages:", "\n", "  ", "- ", "? ", ": ", "[", "]", "{", "}", ",", "&a ", "*a", "!!binary ", "!x ", "<<: ", "---\n", "'", '"', "#", "|", ">", "%YAML 1.2\n", "\t", "\0", "\ud800", "é", "1e999", ".nan", "~", "gates", "id: x", "type: metric");
  const yamlish = fc.array(fragment, { maxLength: 60 }).map((parts) => parts.join(""));

  it("returns the document or errors with a line and column inside the text", () => {
    fc.assert(
      fc.property(fc.oneof(yamlish, fc.string({ unit: "binary", maxLength: 200 })), (t) => {
        const r = parsePolicy(t);
        if (r.ok) return;
        const lineCount = t.split(/\r\n|\r|\n/).length;
        for (const e of r.errors) {
          expect(e.message).toBeTruthy();
          expect(e.line).toBeGreaterThanOrEqual(1);
          expect(e.line).toBeLessThanOrEqual(lineCount + 1);
          expect(e.column).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 500 },
    );
  });
});
