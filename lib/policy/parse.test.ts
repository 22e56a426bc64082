import { describe, expect, it } from "vitest";
import { formatPath, parsePolicy, sortErrors } from "./parse";

const GATE_TYPES_TEXT = "metric, no-regression, tests-passed, signature-compatible, data-validation, drift, fairness, security-scan, observability-ready, environment-parity, lineage, rollback-ready, stage-order, report-fresh";
const text = (...lines: string[]) => lines.join("\n");

describe("parsePolicy: valid documents", () => {
  it.each([
    ["empty text", ""],
    ["only a comment", "# no policy yet\n"],
    ["whitespace", "\n\n   \n"],
  ])("%s is an empty policy", (_n, t) => {
    expect(parsePolicy(t)).toMatchObject({ ok: true, document: {}, errors: [] });
  });

  it("applies schema defaults", () => {
    const r = parsePolicy(
      text("stages:", "  production:", "    gates:", "      - { id: p95, type: metric, report: latency, metric: p95, max: 150 }", "      - { id: scan, type: security-scan }", "      - { id: order, type: stage-order }", "      - { id: auc, type: metric, metric: auc, min: 0.9 }"),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.document.stages!.production.gates).toEqual([
      { id: "p95", type: "metric", report: "latency", metric: "p95", max: 150 },
      { id: "scan", type: "security-scan", failOn: "high" },
      { id: "order", type: "stage-order", requires: "held-before" },
      { id: "auc", type: "metric", report: "offline-metrics", metric: "auc", min: 0.9 },
    ]);
    expect(r.source).not.toBeNull();
  });
});

describe("parsePolicy: errors with path, line and column", () => {
  type Err = [path: string, line: number, column: number, message: string | RegExp];
  it.each([
    ["bad YAML: unclosed flow map", text("stages:", "  staging: {", ""), [["(document)", 3, 1, /Flow map .* must be sufficiently indented and end with a }/]]],
    ["bad YAML: a tab as indentation", text("stages:", "\tstaging: {}"), [["(document)", 2, 1, "Tabs are not allowed as indentation"]]],
    ["bad YAML: a repeated key", text("description: a", "description: b"), [["(document)", 2, 1, "Map keys must be unique"]]],
    ["an unknown top-level key", text("description: ok", "stage:", "  staging: {}"), [["stage", 2, 1, 'Unknown key "stage"; valid keys: description, stages, freeze, protectedAliases, dependencies']]],
    ["a dependency with a range that is not one", text("dependencies:", "  - { requires: encoder, versions: latest }"), [["dependencies[0].versions", 2, 36, /^versions is a version range such as ">=7"/]]],
    ["a dependency that needs nothing", text("dependencies:", "  - requires: encoder"), [["dependencies[0].versions", 2, 5, /^Give versions, signature: true or sameFeatureSet: true/]]],
    ["an unknown stage key", text("stages:", "  staging:", "    gatez: []"), [["stages.staging.gatez", 3, 5, 'Unknown key "gatez"; valid keys: alias, environment, gates, approvals, rollout']]],
    ["an unknown gate key", text("stages:", "  staging:", "    gates:", "      - id: auc", "        type: metric", "        metric: auc", "        minimum: 0.9", "        min: 0.9"), [["stages.staging.gates[0].minimum", 7, 9, /^Unknown key "minimum"; valid keys: id, onFail, mandatory, enabled, type, report, metric, min, max, dataset$/]]],
    ["a missing required key", text("stages:", "  staging:", "    gates:", "      - id: auc", "        type: metric", "        min: 0.9"), [["stages.staging.gates[0].metric", 4, 9, "metric is required here (expected string)"]]],
    ["an unknown gate type", text("stages:", "  staging:", "    gates:", "      - id: magic", "        type: magic"), [["stages.staging.gates[0].type", 5, 15, `Unknown gate type "magic"; valid types: ${GATE_TYPES_TEXT}`]]],
    ["a gate without a type", text("stages:", "  staging:", "    gates:", "      - id: magic"), [["stages.staging.gates[0].type", 4, 9, `Give the gate a type: ${GATE_TYPES_TEXT}`]]],
    ["a string where a number goes", text("stages:", "  production:", "    gates:", "      - id: auc", "        type: metric", "        metric: auc", '        min: "0.9"'), [["stages.production.gates[0].min", 7, 14, "Expected a number"]]],
    ["a ratio above 1", text("stages:", "  production:", "    gates:", "      - { id: fair, type: fairness, minParityRatio: 1.5 }"), [["stages.production.gates[0].minParityRatio", 4, 53, "Must be at most 1"]]],
    ["a missing required field", text("stages:", "  staging:", "    gates:", "      - id: auc", "        type: metric", "        min: 0.9"), [["stages.staging.gates[0].metric", 4, 9, /expected string/]]],
    ["neither min nor max", text("stages:", "  staging:", "    gates:", "      - id: auc", "        type: metric", "        metric: auc"), [["stages.staging.gates[0].min", 4, 9, "Give min, max or both"]]],
    ["a bad duration", text("stages:", "  staging:", "    gates:", "      - id: fresh", "        type: report-fresh", "        report: tests", "        maxAge: 7 days"), [["stages.staging.gates[0].maxAge", 7, 17, "Expected a duration such as 90s, 15m, 2h, 7d or 2w"]]],
    ["an upper-case id", text("stages:", "  staging:", "    gates:", "      - { id: AUC, type: lineage }"), [["stages.staging.gates[0].id", 4, 15, /^id uses lower-case letters/]]],
    [
      "duplicate gate ids",
      text("stages:", "  staging:", "    gates:", "      - id: auc", "        type: lineage", "      - id: scan", "        type: security-scan", "      - id: auc", "        type: rollback-ready"),
      [["stages.staging.gates[2].id", 8, 13, 'Gate id "auc" is already used by gate 1 of this stage; ids must be unique within a stage']],
    ],
    ["stages: with no value", text("stages:"), [["stages", 1, 8, "stages maps stage names to their settings"]]],
    ["a bad stage name", text("stages:", "  Staging: {}"), [["stages.Staging", 2, 3, "Stage names use lower-case letters, digits and '-'"]]],
    ["a non-mapping root: a list", text("- staging", "- production"), [["(document)", 1, 1, "A policy is a YAML mapping of keys such as stages, freeze and protectedAliases"]]],
    ["a non-mapping root: a scalar", "staging", [["(document)", 1, 1, /^A policy is a YAML mapping/]]],
    ["a freeze window with dates only", text("freeze:", "  - name: Holidays", "    start: 2026-12-20", "    end: 2027-01-04T00:00:00Z"), [["freeze[0].start", 3, 12, "start is an ISO date-time such as 2026-12-20T00:00:00Z"]]],
    ["a freeze window ending before it starts", text("freeze:", "  - name: Backwards", "    start: 2026-12-20T00:00:00Z", "    end: 2026-12-19T00:00:00Z"), [["freeze[0].end", 4, 10, "end must be after start"]]],
    ["an unknown time zone", text("freeze:", "  - name: Nights", "    weekly: { days: [mon], from: '22:00', to: '06:00' }", "    timezone: Mars/Olympus"), [["freeze[0].timezone", 4, 15, "Unknown time zone"]]],
    [
      "several errors sorted by position, duplicate ids among them",
      text("stages:", "  staging:", "    gates:", "      - { id: a, type: lineage }", "      - { id: a, type: lineage }", "      - { id: b, type: metric, metric: auc, min: high }", "protectedAliases: 3"),
      [
        ["stages.staging.gates[1].id", 5, 15, /already used by gate 1/],
        ["stages.staging.gates[2].min", 6, 50, "Expected a number"],
        ["protectedAliases", 7, 19, /expected array/],
      ],
    ],
  ] as [string, string, Err[]][])("%s", (_n, t, expected) => {
    const r = parsePolicy(t);
    expect(r.ok).toBe(false);
    expect(r.document).toBeNull();
    expect(r.errors.map((e) => [e.path, e.line, e.column])).toEqual(expected.map(([p, l, c]) => [p, l, c]));
    r.errors.forEach((e, i) => (typeof expected[i][3] === "string" ? expect(e.message).toBe(expected[i][3]) : expect(e.message).toMatch(expected[i][3])));
  });

  it("keeps the source for schema errors so later checks can point at lines", () => {
    const r = parsePolicy(text("stages:", "  staging:", "    gates: 3"));
    expect(r.source?.locate(["stages", "staging", "gates"])).toEqual({ line: 3, column: 12 });
    expect(r.source?.locate(["stages", "staging", "nope", "deeper"])).toEqual({ line: 3, column: 5 });
  });
});

describe("formatPath and sortErrors", () => {
  it.each([
    [[], "(document)"],
    [["stages"], "stages"],
    [["stages", "staging", "gates", 2, "min"], "stages.staging.gates[2].min"],
    [["freeze", 0], "freeze[0]"],
  ] as [PropertyKey[], string][])("%j → %s", (path, expected) => {
    expect(formatPath(path)).toBe(expected);
  });

  it("orders by line, then column", () => {
    const e = (line: number, column: number) => ({ path: "x", line, column, message: "m" });
    expect(sortErrors([e(3, 1), e(1, 9), e(1, 2)]).map((x) => [x.line, x.column])).toEqual([[1, 2], [1, 9], [3, 1]]);
  });
});
