import { describe, expect, it } from "vitest";
import { compareMetric, currentReports, metricDirection, reportHasProblem, reproducibility } from "./rules";

describe("reproducibility", () => {
  it.each([
    [{ commitSha: "abc1234", dataHash: "sha256:11", featureSetVersion: "3" }, true, []],
    [{ commitSha: null, dataHash: "sha256:11", featureSetVersion: "3" }, false, ["commit SHA"]],
    [{ commitSha: "abc1234", dataHash: null, featureSetVersion: null }, false, ["data snapshot hash", "feature set version"]],
    [{ commitSha: null, dataHash: null, featureSetVersion: null }, false, ["commit SHA", "data snapshot hash", "feature set version"]],
    [{ commitSha: "", dataHash: "sha256:11", featureSetVersion: "3" }, false, ["commit SHA"]],
  ])("%j → %s", (v, reproducible, missing) => {
    expect(reproducibility(v)).toEqual({ reproducible, missing });
  });
});

describe("currentReports", () => {
  const r = (id: string, kind: string, at: string) => ({ id, kind, createdAt: new Date(at) });
  it.each([
    ["nothing", [], []],
    ["one per kind", [r("a", "tests", "2026-01-01"), r("b", "latency", "2026-01-02")], ["a", "b"]],
    ["the newer of a kind wins", [r("a", "tests", "2026-01-01"), r("b", "tests", "2026-01-03"), r("c", "tests", "2026-01-02")], ["b"]],
    ["same instant: the later id wins", [r("a", "tests", "2026-01-01"), r("b", "tests", "2026-01-01")], ["b"]],
  ])("%s", (_n, reports, ids) => {
    expect(currentReports(reports).map((x) => x.id).sort()).toEqual(ids);
  });
});

describe("reportHasProblem", () => {
  it.each([
    ["tests all passing", { kind: "tests", payload: { suites: [{ failed: 0 }, { failed: 0 }] } }, false],
    ["a failed test", { kind: "tests", payload: { suites: [{ failed: 0 }, { failed: 2 }] } }, true],
    ["a failed check", { kind: "data-validation", payload: { checks: [{ passed: true }, { passed: false }] } }, true],
    ["all checks pass", { kind: "data-validation", payload: { checks: [{ passed: true }] } }, false],
    ["a high finding", { kind: "security-scan", payload: { findings: [{ severity: "low" }, { severity: "high" }] } }, true],
    ["only medium and low findings", { kind: "security-scan", payload: { findings: [{ severity: "medium" }, { severity: "low" }] } }, false],
    ["a latency report", { kind: "latency", payload: { percentilesMs: { p50: 1, p95: 2, p99: 3 } } }, false],
  ])("%s → %s", (_name, report, expected) => {
    expect(reportHasProblem(report)).toBe(expected);
  });
});

describe("metric direction and comparison", () => {
  it.each([
    ["auc", undefined, "higher"],
    ["precision", undefined, "higher"],
    ["log_loss", undefined, "lower"],
    ["p99_latency_ms", undefined, "lower"],
    ["rmse", undefined, "lower"],
    ["precision_at_1pct_fpr", undefined, "higher"],
    ["fpr_at_90_recall", undefined, "lower"],
    ["p99_latency_ms", { p99_latency_ms: "higher" as const }, "higher"],
    ["auc", { auc: "lower" as const }, "lower"],
  ])("%s (%j) → %s", (name, stated, expected) => {
    expect(metricDirection(name, stated)).toBe(expected);
  });

  it.each([
    ["auc", 0.93, 0.91, "better"],
    ["auc", 0.9, 0.91, "worse"],
    ["log_loss", 0.2, 0.25, "better"],
    ["log_loss", 0.3, 0.25, "worse"],
    ["auc", 0.91, 0.91, "same"],
  ])("%s %d vs %d → %s", (name, challenger, champion, verdict) => {
    expect(compareMetric(name, challenger, champion).verdict).toBe(verdict);
  });
});
