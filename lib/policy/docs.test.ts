import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CREDIT_RISK_POLICY, FRAUD_DETECTOR_POLICY } from "@/prisma/demo-policies";
import { BUILT_IN_DEFAULT_POLICY } from "./defaults";
import { mergePolicies, validateDefaultPolicy, validateModelPolicy } from "./merge";
import { parsePolicy } from "./parse";
import { MAX_POLICY_ALIASES, MAX_POLICY_CHARS, MAX_POLICY_DEPTH, MAX_POLICY_VALUES } from "./limits";
import { GATE_TYPES } from "./schema";

const doc = readFileSync(path.join(process.cwd(), "docs", "policy.md"), "utf8");

describe("docs/policy.md", () => {
  it.each([
    ["the built-in default", BUILT_IN_DEFAULT_POLICY],
    ["the fraud-detector policy", FRAUD_DETECTOR_POLICY],
    ["the credit-risk policy", CREDIT_RISK_POLICY],
  ])("quotes %s exactly", (_n, text) => {
    expect(doc).toContain("```yaml\n" + text + "```");
  });

  it.each(GATE_TYPES.map((t) => [t]))("documents the %s gate", (type) => {
    expect(doc).toContain(`| \`${type}\` |`);
  });

  it("its examples are valid policies that inherit cleanly from the built-in default", () => {
    const def = parsePolicy(BUILT_IN_DEFAULT_POLICY);
    if (!def.ok) throw new Error(JSON.stringify(def.errors));
    expect(validateDefaultPolicy(def.document, def.source)).toEqual([]);
    for (const text of [FRAUD_DETECTOR_POLICY, CREDIT_RISK_POLICY]) {
      const m = parsePolicy(text);
      if (!m.ok) throw new Error(JSON.stringify(m.errors));
      expect(validateModelPolicy(def.document, m.document, m.source)).toEqual([]);
      expect(mergePolicies(def.document, m.document).notes).toEqual([]);
    }
  });

  it("states the limits the parser enforces", () => {
    expect(doc).toContain(`| Size | At most ${MAX_POLICY_CHARS.toLocaleString("en")} characters.`);
    expect(doc).toContain(`| Nesting | At most ${MAX_POLICY_DEPTH} levels`);
    expect(doc).toContain(`| Aliases | At most ${MAX_POLICY_ALIASES} aliases`);
    expect(doc).toContain(`| Values | At most ${MAX_POLICY_VALUES.toLocaleString("en")} values`);
  });
});
