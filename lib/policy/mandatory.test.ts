import { describe, expect, it } from "vitest";
import { loosenings, type Loosening } from "./mandatory";
import { ZGate } from "./schema";

/** A gate as the schema reads it (defaults applied), with the id both sides share. */
const g = (o: object) => ZGate.parse({ id: "g", ...o });
type Row = [name: string, d: object, m: object, expected: Loosening[] | (string | null)[]];

/** Each row: the default's gate, the model's gate, and the loosenings (full entries, or just the fields named). */
function table(rows: Row[]) {
  it.each(rows)("%s", (_n, d, m, expected) => {
    const out = loosenings(g(d), g(m));
    if (expected.length && typeof expected[0] === "object" && expected[0] !== null) expect(out).toEqual(expected);
    else expect(out.map((l) => l.field)).toEqual(expected);
  });
}

describe("any gate", () => {
  table([
    ["enabled: false switches it off", { type: "lineage" }, { type: "lineage", enabled: false }, [{ field: "enabled", message: "switches it off" }]],
    ["enabled: false on a tightened gate is still off", { type: "metric", metric: "auc", min: 0.9 }, { type: "metric", metric: "auc", min: 0.95, enabled: false }, ["enabled"]],
    ["enabled: true is fine", { type: "lineage" }, { type: "lineage", enabled: true }, []],
    ["a type change", { type: "lineage" }, { type: "rollback-ready" }, [{ field: "type", message: "changes its type from lineage to rollback-ready" }]],
    ["signature-compatible has nothing to loosen", { type: "signature-compatible" }, { type: "signature-compatible", onFail: "Talk to the API team." }, []],
    ["rollback-ready has nothing to loosen", { type: "rollback-ready" }, { type: "rollback-ready" }, []],
  ]);
});

describe("metric", () => {
  const d = { type: "metric", metric: "auc", min: 0.9, max: 0.99 };
  table([
    ["raising min tightens", d, { ...d, min: 0.95 }, []],
    ["lowering max tightens", d, { ...d, max: 0.98 }, []],
    ["the same is fine", d, d, []],
    ["lowering min", d, { ...d, min: 0.85 }, [{ field: "min", message: "lowers the minimum from 0.9 to 0.85" }]],
    ["raising max", d, { ...d, max: 1 }, [{ field: "max", message: "raises the maximum from 0.99 to 1" }]],
    ["removing min", d, { type: "metric", metric: "auc", max: 0.99 }, [{ field: null, message: "removes the minimum (the default requires at least 0.9)" }]],
    ["removing max", d, { type: "metric", metric: "auc", min: 0.9 }, [{ field: null, message: "removes the maximum (the default allows at most 0.99)" }]],
    ["adding a bound the default lacks", { type: "metric", metric: "auc", min: 0.9 }, { ...d }, []],
    ["another metric", d, { ...d, metric: "f1" }, [{ field: "metric", message: "changes the metric from auc to f1" }]],
    ["another report", { type: "metric", report: "latency", metric: "p95", max: 150 }, { type: "metric", metric: "p95", max: 150 }, [{ field: "report", message: "changes the report from latency to offline-metrics" }]],
    ["another dataset", { ...d, dataset: "holdout" }, { ...d, dataset: "train" }, [{ field: "dataset", message: "changes the dataset from holdout to train" }]],
    ["dropping the dataset", { ...d, dataset: "holdout" }, d, ["dataset"]],
  ]);
});

describe("no-regression", () => {
  const d = { type: "no-regression", metric: "auc", tolerance: { absolute: 0.01 } };
  table([
    ["smaller absolute tolerance", d, { ...d, tolerance: { absolute: 0.005 } }, []],
    ["no tolerance is zero tolerance", d, { type: "no-regression", metric: "auc" }, []],
    ["larger absolute tolerance", d, { ...d, tolerance: { absolute: 0.02 } }, [{ field: "tolerance.absolute", message: "raises the absolute tolerance from 0.01 to 0.02" }]],
    ["a tolerance where the default has none", { type: "no-regression", metric: "auc" }, d, [{ field: "tolerance.absolute", message: "raises the absolute tolerance from 0 to 0.01" }]],
    ["larger relative tolerance", { ...d, tolerance: { relative: 1 } }, { ...d, tolerance: { relative: 2 } }, [{ field: "tolerance.relative", message: "raises the relative tolerance from 1 to 2" }]],
    ["smaller relative tolerance", { ...d, tolerance: { relative: 2 } }, { ...d, tolerance: { relative: 1 } }, []],
    ["absolute to relative", d, { ...d, tolerance: { relative: 1 } }, [{ field: "tolerance", message: "changes the tolerance between absolute and relative" }]],
    ["relative to absolute zero is the strictest", { ...d, tolerance: { relative: 1 } }, { ...d, tolerance: { absolute: 0 } }, []],
    ["relative to no tolerance is the strictest", { ...d, tolerance: { relative: 1 } }, { type: "no-regression", metric: "auc" }, []],
    ["relative to a non-zero absolute", { ...d, tolerance: { relative: 1 } }, d, ["tolerance"]],
    ["another metric", d, { ...d, metric: "f1" }, ["metric"]],
    ["another report", { type: "no-regression", report: "latency", metric: "p95" }, { type: "no-regression", metric: "p95" }, ["report"]],
    ["another direction", { ...d, direction: "higher" }, { ...d, direction: "lower" }, [{ field: "direction", message: "changes the direction from higher to lower" }]],
  ]);
});

describe("tests-passed", () => {
  const d = { type: "tests-passed", suites: ["unit", "integration"], minTests: 100 };
  table([
    ["more suites and tests", d, { ...d, suites: ["unit", "integration", "contract"], minTests: 200 }, []],
    ["dropping a suite", d, { ...d, suites: ["unit"] }, [{ field: "suites", message: "drops integration from the required suites" }]],
    ["omitting suites drops them all", d, { type: "tests-passed", minTests: 100 }, [{ field: "suites", message: "drops unit, integration from the required suites" }]],
    ["fewer tests", d, { ...d, minTests: 50 }, [{ field: "minTests", message: "lowers the minimum number of tests from 100 to 50" }]],
    ["no minimum", d, { type: "tests-passed", suites: ["unit", "integration"] }, [null]],
    ["the default asks for nothing", { type: "tests-passed" }, { type: "tests-passed" }, []],
  ]);
});

describe("data-validation", () => {
  const d = { type: "data-validation", checks: ["nulls", "ranges"] };
  table([
    ["more checks", d, { ...d, checks: ["nulls", "ranges", "leakage"] }, []],
    ["a dropped check", d, { ...d, checks: ["ranges"] }, [{ field: "checks", message: "drops nulls from the required checks" }]],
    ["no checks", d, { type: "data-validation" }, ["checks"]],
  ]);
});

describe("drift", () => {
  const d = { type: "drift", psiMax: 0.2, ksMinPvalue: 0.05, critical: ["amount", "merchant"] };
  table([
    ["lower PSI limit", d, { ...d, psiMax: 0.1 }, []],
    ["higher PSI limit", d, { ...d, psiMax: 0.3 }, [{ field: "psiMax", message: "raises the PSI limit from 0.2 to 0.3" }]],
    ["no PSI limit", d, { type: "drift", ksMinPvalue: 0.05, critical: ["amount", "merchant"] }, [null]],
    ["lower KS p-value floor", d, { ...d, ksMinPvalue: 0.01 }, [{ field: "ksMinPvalue", message: "lowers the KS p-value floor from 0.05 to 0.01" }]],
    ["higher KS statistic limit", { type: "drift", ksMaxStatistic: 0.1 }, { type: "drift", ksMaxStatistic: 0.2 }, ["ksMaxStatistic"]],
    ["more critical features", d, { ...d, critical: ["amount", "merchant", "hour"] }, []],
    ["every feature critical", d, { ...d, critical: "all" }, []],
    ["omitting critical makes every feature critical", d, { type: "drift", psiMax: 0.2, ksMinPvalue: 0.05 }, []],
    ["a dropped critical feature", d, { ...d, critical: ["amount"] }, [{ field: "critical", message: "drops merchant from the critical features" }]],
    ['"all" to a list', { ...d, critical: "all" }, { ...d, critical: ["amount"] }, [{ field: "critical", message: "no longer treats every feature as critical" }]],
    ['"all" to omitted', { ...d, critical: "all" }, { type: "drift", psiMax: 0.2, ksMinPvalue: 0.05 }, []],
    ["omitted (every feature) to a list", { type: "drift", psiMax: 0.2 }, { type: "drift", psiMax: 0.2, critical: ["amount"] }, ["critical"]],
    ["omitted (every feature) to a per-feature critical", { type: "drift", psiMax: 0.2 }, { type: "drift", psiMax: 0.2, features: { amount: { critical: true } } }, ["critical"]],
    ["a feature switched to non-critical", { type: "drift", psiMax: 0.2, critical: "all" }, { type: "drift", psiMax: 0.2, critical: "all", features: { hour: { critical: false } } }, ["features.hour.critical"]],
    ["per-feature limit raised", { ...d, features: { amount: { psiMax: 0.1 } } }, { ...d, features: { amount: { psiMax: 0.15 } } }, [{ field: "features.amount.psiMax", message: "raises amount's PSI limit from 0.1 to 0.15" }]],
    ["per-feature limit dropped to a looser global", { ...d, features: { amount: { psiMax: 0.1 } } }, d, ["features.amount.psiMax"]],
    ["per-feature limit above the default's global", d, { ...d, features: { hour: { psiMax: 0.5 } } }, [{ field: "features.hour.psiMax", message: "raises hour's PSI limit from 0.2 to 0.5" }]],
    ["per-feature limit below the default's global", d, { ...d, features: { hour: { psiMax: 0.1 } } }, []],
    ["per-feature critical dropped", { ...d, features: { hour: { critical: true } } }, { ...d, features: { hour: { critical: false } } }, ["features.hour.critical"]],
  ]);
});

describe("fairness", () => {
  table([
    ["default 0.8 kept implicitly", { type: "fairness" }, { type: "fairness" }, []],
    ["a higher ratio than the implicit 0.8", { type: "fairness" }, { type: "fairness", minParityRatio: 0.9 }, []],
    ["a lower ratio than the implicit 0.8", { type: "fairness" }, { type: "fairness", minParityRatio: 0.7 }, [{ field: "minParityRatio", message: "lowers the minimum parity ratio from 0.8 to 0.7" }]],
    ["equalized odds instead of the implicit parity", { type: "fairness" }, { type: "fairness", minEqualizedOddsRatio: 0.9 }, [{ field: null, message: "removes the minimum parity ratio (the default requires at least 0.8)" }]],
    ["a lower equalized-odds ratio", { type: "fairness", minEqualizedOddsRatio: 0.8 }, { type: "fairness", minEqualizedOddsRatio: 0.7 }, ["minEqualizedOddsRatio"]],
    ["parity added to equalized odds", { type: "fairness", minEqualizedOddsRatio: 0.8 }, { type: "fairness", minEqualizedOddsRatio: 0.8, minParityRatio: 0.5 }, []],
    ["another attribute", { type: "fairness", attribute: "age_band" }, { type: "fairness", attribute: "gender" }, [{ field: "attribute", message: "changes the attribute from age_band to gender" }]],
  ]);
});

describe("security-scan", () => {
  table([
    ["high to medium tightens", { type: "security-scan" }, { type: "security-scan", failOn: "medium" }, []],
    ["high to info tightens", { type: "security-scan", failOn: "high" }, { type: "security-scan", failOn: "info" }, []],
    ["high to critical loosens", { type: "security-scan" }, { type: "security-scan", failOn: "critical" }, [{ field: "failOn", message: "fails only from critical instead of from high" }]],
    ["low to medium loosens", { type: "security-scan", failOn: "low" }, { type: "security-scan", failOn: "medium" }, ["failOn"]],
  ]);
});

describe("observability-ready", () => {
  table([
    ["all three by default", { type: "observability-ready" }, { type: "observability-ready" }, []],
    ["a narrower require than the default's all three", { type: "observability-ready" }, { type: "observability-ready", require: ["dashboard"] }, [{ field: "require", message: "drops alert, logs from the required links" }]],
    ["a wider require", { type: "observability-ready", require: ["alert"] }, { type: "observability-ready", require: ["alert", "logs"] }, []],
  ]);
});

describe("environment-parity", () => {
  table([
    ["more fields", { type: "environment-parity", fields: ["runtime"] }, { type: "environment-parity", fields: ["runtime", "accelerator"] }, []],
    ["a dropped field", { type: "environment-parity", fields: ["runtime", "accelerator"] }, { type: "environment-parity", fields: ["runtime"] }, [{ field: "fields", message: "drops accelerator from the compared fields" }]],
    ["fields narrowed from the holder default", { type: "environment-parity", against: "holder" }, { type: "environment-parity", against: "holder", fields: ["runtime"] }, [{ field: "fields", message: "drops accelerator, resourceClass from the compared fields" }]],
    ["the holder default spelled out", { type: "environment-parity", against: "holder" }, { type: "environment-parity", against: "holder", fields: ["runtime", "accelerator", "resourceClass"] }, []],
    ["another comparison", { type: "environment-parity", against: "stage" }, { type: "environment-parity", against: "holder" }, [{ field: "against", message: "changes what it compares against from stage to holder" }]],
  ]);
});

describe("stage-order", () => {
  table([
    ["held-before to holds-now tightens", { type: "stage-order" }, { type: "stage-order", requires: "holds-now" }, []],
    ["holds-now to held-before", { type: "stage-order", requires: "holds-now" }, { type: "stage-order" }, [{ field: "requires", message: "accepts a version that only held the earlier stage in the past" }]],
    ["another stage", { type: "stage-order", stage: "staging" }, { type: "stage-order", stage: "qa" }, [{ field: "stage", message: "changes the required stage from staging to qa" }]],
    ["new exceptions", { type: "stage-order", exceptions: [{ versions: [3], reason: "x" }] }, { type: "stage-order", exceptions: [{ versions: [3, 7, 8], reason: "y" }] }, [{ field: "exceptions", message: "adds exceptions for versions 7, 8" }]],
    ["fewer exceptions", { type: "stage-order", exceptions: [{ versions: [3, 4], reason: "x" }] }, { type: "stage-order", exceptions: [{ versions: [3], reason: "x" }] }, []],
  ]);
});

describe("report-fresh", () => {
  const d = { type: "report-fresh", report: "offline-metrics", maxAge: "7d" };
  table([
    ["shorter", d, { ...d, maxAge: "48h" }, []],
    ["the same in other units", d, { ...d, maxAge: "1w" }, []],
    ["longer", d, { ...d, maxAge: "2w" }, [{ field: "maxAge", message: "allows reports up to 2w old instead of 7d" }]],
    ["another report", d, { ...d, report: "tests" }, [{ field: "report", message: "changes the report from offline-metrics to tests" }]],
  ]);
});
