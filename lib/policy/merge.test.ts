import { describe, expect, it } from "vitest";
import { DEVELOPMENT, mergePolicies, validateDefaultPolicy, validateModelPolicy } from "./merge";
import { parsePolicy } from "./parse";

/** Parses YAML given as lines (so a test can see the line numbers it expects) and insists it is valid. */
function parsed(...lines: string[]) {
  const r = parsePolicy(lines.join("\n"));
  if (!r.ok) throw new Error(`test policy does not parse: ${JSON.stringify(r.errors)}`);
  return { doc: r.document, source: r.source };
}

const DEFAULT = parsed(
  "stages:",
  "  staging:",
  "    gates:",
  "      - id: tests",
  "        type: tests-passed",
  "      - id: drift",
  "        type: drift",
  "        psiMax: 0.2",
  "  production:",
  "    environment:",
  "      runtime: python3.12",
  "    approvals:",
  "      quorum: [{ role: ml-lead }]",
  "    gates:",
  "      - id: auc",
  "        type: metric",
  "        metric: auc",
  "        min: 0.9",
  "        mandatory: true",
  "      - id: scan",
  "        type: security-scan",
  "        mandatory: true",
  "      - id: latency",
  "        type: metric",
  "        report: latency",
  "        metric: p95",
  "        max: 200",
  "freeze:",
  "  - name: Year-end",
  "    start: 2026-12-20T00:00:00Z",
  "    end: 2027-01-04T00:00:00Z",
  "protectedAliases: [shadow]",
).doc;

const gateRows = (stage: { gates: { id: string; source: string; mandatory: boolean }[] }) => stage.gates.map((g) => `${g.id}:${g.source}${g.mandatory ? ":mandatory" : ""}`);

describe("mergePolicies", () => {
  it("without a model policy: the default's stages in order, after development", () => {
    const p = mergePolicies(DEFAULT, null);
    expect(p.stages.map((s) => [s.name, s.alias, s.previous])).toEqual([["staging", "staging", DEVELOPMENT], ["production", "champion", "staging"]]);
    expect(p.stages.map(gateRows)).toEqual([["tests:default", "drift:default"], ["auc:default:mandatory", "scan:default:mandatory", "latency:default"]]);
    expect(p.stages[0]).toMatchObject({ environment: null, rollout: null, approvals: { quorum: [], electronicSignature: "regulated", ttl: "7d" } });
    expect(p.stages[1].environment).toEqual({ runtime: "python3.12" });
    expect(p.notes).toEqual([]);
  });

  it.each([
    ["an override replaces the inherited gate in place", ["  production:", "    gates:", "      - { id: latency, type: metric, report: latency, metric: p95, max: 150 }"], "production", ["auc:default:mandatory", "scan:default:mandatory", "latency:model"]],
    ["a new id is added after the inherited gates", ["  staging:", "    gates:", "      - { id: lineage, type: lineage }", "      - { id: tests, type: tests-passed, minTests: 10 }"], "staging", ["tests:model", "drift:default", "lineage:model"]],
    ["enabled: false removes a non-mandatory gate", ["  staging:", "    gates:", "      - { id: drift, type: drift, psiMax: 0.2, enabled: false }"], "staging", ["tests:default"]],
    ["enabled: false on a new gate adds nothing", ["  staging:", "    gates:", "      - { id: lineage, type: lineage, enabled: false }"], "staging", ["tests:default", "drift:default"]],
    ["a tightened mandatory gate is the model's, still mandatory", ["  production:", "    gates:", "      - { id: auc, type: metric, metric: auc, min: 0.95 }"], "production", ["auc:model:mandatory", "scan:default:mandatory", "latency:default"]],
  ])("%s", (_n, lines, stage, gates) => {
    const p = mergePolicies(DEFAULT, parsed("stages:", ...lines).doc);
    expect(gateRows(p.stages.find((s) => s.name === stage)!)).toEqual(gates);
    expect(p.notes).toEqual([]);
  });

  it.each([
    ["loosened", "{ id: auc, type: metric, metric: auc, min: 0.85 }", 'The model policy\'s gate "auc" (production) lowers the minimum from 0.9 to 0.85; the organisation default\'s mandatory gate applies instead.'],
    ["switched off", "{ id: scan, type: security-scan, enabled: false }", 'The model policy\'s gate "scan" (production) switches it off; the organisation default\'s mandatory gate applies instead.'],
  ])("a stored model policy that %s a mandatory gate: the default's gate applies, with a note", (_n, gate, note) => {
    const p = mergePolicies(DEFAULT, parsed("stages:", "  production:", "    gates:", `      - ${gate}`).doc);
    const prod = p.stages[1];
    expect(gateRows(prod)).toEqual(["auc:default:mandatory", "scan:default:mandatory", "latency:default"]);
    expect(prod.gates[0]).toMatchObject({ min: 0.9 });
    expect(p.notes).toEqual([note]);
  });

  it("model settings replace the default's per stage; stages the default lacks are ignored", () => {
    const model = parsed("stages:", "  production:", "    alias: prod", "    environment: { runtime: python3.13 }", "    approvals: { quorum: [{ role: compliance-officer, count: 2 }] }", "    rollout: { strategy: canary, canary: { steps: [{ percent: 100, hold: 1h }] } }", "  qa: {}").doc;
    const p = mergePolicies(DEFAULT, model);
    expect(p.stages.map((s) => s.name)).toEqual(["staging", "production"]);
    expect(p.stages[1]).toMatchObject({ alias: "prod", environment: { runtime: "python3.13" }, approvals: { quorum: [{ role: "compliance-officer", count: 2 }] }, rollout: { strategy: "canary" } });
    expect(p.protectedAliases).toContain("prod");
  });

  it.each([
    ["no stages declared: staging then production", [], [["staging", "staging", "development"], ["production", "champion", "staging"]]],
    ["declared order and aliases", ["stages:", "  qa: {}", "  staging: { alias: pre-prod }", "  production: {}"], [["qa", "qa", "development"], ["staging", "pre-prod", "qa"], ["production", "champion", "staging"]]],
    ["one stage", ["stages:", "  live: { alias: live }"], [["live", "live", "development"]]],
  ])("stage order: %s", (_n, lines, expected) => {
    expect(mergePolicies(parsed(...lines).doc, null).stages.map((s) => [s.name, s.alias, s.previous])).toEqual(expected);
  });

  it("freeze windows and protected aliases come from both documents", () => {
    const model = parsed("freeze:", "  - name: Launch", "    weekly: { days: [fri], from: '16:00', to: '09:00' }", "protectedAliases: [shadow, fraud-live]").doc;
    const p = mergePolicies(DEFAULT, model);
    expect(p.freeze.map((w) => w.name)).toEqual(["Year-end", "Launch"]);
    expect(p.freeze[1]).toMatchObject({ timezone: "UTC" });
    expect(p.protectedAliases).toEqual(["champion", "staging", "challenger", "shadow", "fraud-live"]);
  });
});

describe("validateModelPolicy", () => {
  type Err = [path: string, line: number, column: number, message: string | RegExp];
  it.each([
    ["a valid tightening", ["stages:", "  production:", "    gates:", "      - id: auc", "        type: metric", "        metric: auc", "        min: 0.95"], []],
    ["a new gate and a changed non-mandatory gate", ["stages:", "  production:", "    gates:", "      - { id: latency, type: metric, report: latency, metric: p95, max: 500 }", "      - { id: lineage, type: lineage }"], []],
    ["an unknown stage", ["stages:", "  qa:", "    gates: []"], [["stages.qa", 3, 5, 'Stage "qa" is not one of the organisation\'s stages: staging, production']]],
    [
      "mandatory set, and the minimum loosened",
      ["stages:", "  production:", "    gates:", "      - id: auc", "        type: metric", "        metric: auc", "        min: 0.85", "        mandatory: false"],
      [
        ["stages.production.gates[0].mandatory", 8, 20, "Only the organisation default marks gates mandatory"],
        ["stages.production.gates[0].min", 7, 14, 'Gate "auc" is mandatory in the organisation default; this lowers the minimum from 0.9 to 0.85. A model policy may tighten a mandatory gate, never loosen or remove it.'],
      ],
    ],
    ["a mandatory gate switched off", ["stages:", "  production:", "    gates:", "      - id: scan", "        type: security-scan", "        enabled: false"], [["stages.production.gates[0].enabled", 6, 18, /switches it off/]]],
    ["a bound removed points at the gate", ["stages:", "  production:", "    gates:", "      - id: auc", "        type: metric", "        metric: auc", "        max: 1"], [["stages.production.gates[0]", 4, 9, /removes the minimum \(the default requires at least 0.9\)/]]],
    ["dependencies in known stages", ["dependencies:", "  - { requires: encoder, versions: \">=7\", signature: true, stages: [production] }"], []],
    ["a dependency in an unknown stage", ["dependencies:", "  - requires: encoder", "    versions: \">=7\"", "    stages: [production, qa]"], [["dependencies[0].stages[1]", 4, 26, 'Stage "qa" is not one of the organisation\'s stages: staging, production']]],
    ["a security threshold loosened", ["stages:", "  staging: {}", "  production:", "    gates:", "      - { id: lineage, type: lineage }", "      - { id: scan, type: security-scan, failOn: critical }"], [["stages.production.gates[1].failOn", 6, 50, /fails only from critical instead of from high/]]],
  ] as [string, string[], Err[]][])("%s", (_n, lines, expected) => {
    const { doc, source } = parsed(...lines);
    const errors = validateModelPolicy(DEFAULT, doc, source);
    expect(errors.map((e) => [e.path, e.line, e.column])).toEqual(expected.map(([p, l, c]) => [p, l, c]));
    errors.forEach((e, i) => (typeof expected[i][3] === "string" ? expect(e.message).toBe(expected[i][3]) : expect(e.message).toMatch(expected[i][3])));
  });

  it("stage names come from DEFAULT_STAGE_ALIASES when the default declares none", () => {
    const { doc, source } = parsed("stages:", "  canary: {}");
    expect(validateModelPolicy({}, doc, source).map((e) => e.message)).toEqual(['Stage "canary" is not one of the organisation\'s stages: staging, production']);
  });
});

describe("validateDefaultPolicy", () => {
  it.each([
    ["a valid default", ["stages:", "  staging: {}", "  production: {}"], []],
    ["no stages key", ["protectedAliases: [shadow]"], []],
    ["an empty stages mapping", ["description: d", "stages: {}"], [["stages", 2, 9, "Declare at least one stage after development, such as staging and production"]]],
    ["development listed", ["stages:", "  development:", "    alias: dev", "  production: {}"], [["stages.development", 3, 5, "development is where every registered version starts; it has no gates or alias, so leave it out"]]],
    ["a duplicate alias", ["stages:", "  staging: { alias: champion }", "  production: {}"], [["stages.production.alias", 3, 15, "Stage production uses alias @champion, which stage staging already uses"]]],
    ["dependencies in the default", ["dependencies:", "  - { requires: encoder, versions: \">=7\" }"], [["dependencies", 2, 3, "dependencies belong in a model's own policy: they say which models that model needs"]]],
    ["a duplicate declared alias", ["stages:", "  qa: {}", "  staging:", "    alias: qa"], [["stages.staging.alias", 4, 12, "Stage staging uses alias @qa, which stage qa already uses"]]],
  ] as [string, string[], [string, number, number, string][]][])("%s", (_n, lines, expected) => {
    const { doc, source } = parsed(...lines);
    expect(validateDefaultPolicy(doc, source).map((e) => [e.path, e.line, e.column, e.message])).toEqual(expected);
  });
});
