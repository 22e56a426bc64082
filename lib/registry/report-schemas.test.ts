import { describe, expect, it } from "vitest";
import { REPORT_KINDS, ZReportInput } from "./report-schemas";
import { ZAliasName, ZModelName, ZUpdateVersionInput } from "./schemas";

const valid: Record<string, unknown> = {
  "offline-metrics": { dataset: { name: "holdout" }, metrics: { auc: 0.9 } },
  tests: { suites: [{ name: "unit", kind: "unit", passed: 10, failed: 0 }] },
  "data-validation": { checks: [{ name: "non-null", passed: true }] },
  drift: { features: [{ feature: "amount", histogram: { edges: [0, 1, 2], reference: [5, 5], current: [4, 6] } }] },
  fairness: { attribute: "sex", groups: [{ group: "f", count: 10, positiveRate: 0.2 }, { group: "m", count: 12, positiveRate: 0.25 }] },
  latency: { percentilesMs: { p50: 1, p95: 2, p99: 3 } },
  "security-scan": { scanner: "trivy", findings: [] },
  observability: { links: [{ kind: "logs", title: "Logs", url: "https://logs.example.com" }] },
  custom: { title: "x", data: [1, "two", { three: null }] },
};

describe("report payload schemas", () => {
  it.each(REPORT_KINDS)("accepts a well-formed %s report", (kind) => {
    expect(ZReportInput.safeParse({ kind, payload: valid[kind] }).success).toBe(true);
  });

  it.each<[string, unknown, string]>([
    ["offline-metrics", { dataset: { name: "x" }, metrics: { auc: "high" } }, "payload.metrics.auc"],
    ["offline-metrics", { dataset: { name: "x" }, metrics: { auc: Number.NaN } }, "payload.metrics.auc"],
    ["tests", { suites: [{ name: "u", kind: "smoke", passed: 1, failed: 0 }] }, "payload.suites.0.kind"],
    ["tests", { suites: [{ name: "u", kind: "unit", passed: -1, failed: 0 }] }, "payload.suites.0.passed"],
    ["data-validation", { checks: [] }, "payload.checks"],
    ["drift", { features: [{ feature: "a", histogram: { edges: [0, 1], reference: [1, 2], current: [1] } }] }, "payload.features.0.histogram"],
    ["drift", { features: [{ feature: "a", reference: [1] }] }, "payload.features"],
    ["fairness", { attribute: "a", groups: [{ group: "only", count: 1, positiveRate: 0.5 }] }, "payload.groups"],
    ["latency", { percentilesMs: { p50: 5, p95: 4, p99: 6 } }, "payload.percentilesMs"],
    ["security-scan", { scanner: "s", findings: [{ id: "1", severity: "spicy", title: "t" }] }, "payload.findings.0.severity"],
    ["observability", { links: [{ kind: "dashboard", title: "d", url: "javascript:alert(1)" }] }, "payload.links.0.url"],
    ["custom", { data: 1 }, "payload.title"],
  ])("refuses a bad %s report at %s", (kind, payload, path) => {
    const result = ZReportInput.safeParse({ kind, payload });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join("."))).toContain(path);
  });

  it("refuses an unknown kind, naming the kinds", () => {
    const result = ZReportInput.safeParse({ kind: "vibes", payload: {} });
    expect(result.error!.issues[0].message).toContain("offline-metrics");
  });
});

describe("names", () => {
  it.each([
    ["fraud-detector", true],
    ["credit_risk.v2", true],
    ["A1", true],
    ["-dash", false],
    ["with space", false],
    ["slash/name", false],
    ["", false],
  ])("model name %j → %s", (name, ok) => {
    expect(ZModelName.safeParse(name).success).toBe(ok);
  });

  it.each([
    ["champion", true],
    ["challenger_2", true],
    ["shadow-eu", true],
    ["v1", false],
    ["V23", false],
    ["v1a", true],
    ["latest", false],
    ["LATEST", false],
    ["has.dot", false],
    ["a".repeat(255), true],
    ["a".repeat(256), false],
  ])("alias name %j → %s", (name, ok) => {
    expect(ZAliasName.safeParse(name).success).toBe(ok);
  });
});

describe("version updates", () => {
  it.each<[unknown, boolean]>([
    [{ description: "x" }, true],
    [{ status: "archived" }, true],
    [{ tags: { a: "b" } }, true],
    [{}, false],
    [{ artifactUri: "s3://x" }, false],
    [{ status: "deleted" }, false],
  ])("%j → %s", (input, ok) => {
    expect(ZUpdateVersionInput.safeParse(input).success).toBe(ok);
  });
});
