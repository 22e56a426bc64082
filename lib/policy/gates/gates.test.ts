import { fmtAgainst } from "./context";
import { describe, expect, it } from "vitest";
import { psi, psiFromShares } from "@/lib/stats";
import { mergePolicies } from "../merge";
import { ZPolicyDocument } from "../schema";
import { fmt } from "./context";
import { evaluateGate, evaluateStage, type AliasMove, type GateContext, type GateResult, type GateStatus, type ReportInput, type VersionInput } from "./index";

const NOW = new Date("2026-03-10T12:00:00Z");
let seq = 0;
const rep = (kind: string, payload: unknown, createdAt: Date | string = "2026-03-09T12:00:00Z", id = `r${++seq}`): ReportInput => ({ id, kind, payload, createdAt });
const metrics = (m: Record<string, number>, extra: object = {}, at?: string) => rep("offline-metrics", { dataset: { name: "holdout" }, metrics: m, ...extra }, at);
const latency = (p95: number) => rep("latency", { percentilesMs: { p50: p95 / 2, p95, p99: p95 * 1.5 }, throughputRps: 400 });
const tests = (...suites: [name: string, kind: string, passed: number, failed: number][]) => rep("tests", { suites: suites.map(([name, kind, passed, failed]) => ({ name, kind, passed, failed, skipped: 0, failures: [] })) });
const checks = (...cs: [string, boolean][]) => rep("data-validation", { checks: cs.map(([name, passed]) => ({ name, passed })) });
const scan = (...sev: string[]) => rep("security-scan", { scanner: "trivy", findings: sev.map((severity, i) => ({ id: `CVE-${i + 1}`, severity, title: `issue ${i + 1}` })) });
const links = (...kinds: string[]) => rep("observability", { links: kinds.map((kind) => ({ kind, title: kind, url: `https://obs.example.com/${kind}` })) });
type Grp = { group: string; positiveRate: number; truePositiveRate?: number; falsePositiveRate?: number };
const fairness = (groups: Grp[], attribute = "age_band") => rep("fairness", { attribute, groups: groups.map((g) => ({ count: 1000, ...g })) });

// Drift samples: 0..199 against the same values shifted; PSI with 10 bins is 0.055 for a shift of 10 and 0.76 for 20.
const REF = Array.from({ length: 200 }, (_, i) => i);
const feat = (feature: string, shift: number) => ({ feature, reference: REF, current: REF.map((x) => x + shift) });
const psiOf = (shift: number) => psi(REF, REF.map((x) => x + shift), { bins: 10 });
const hist = (feature: string, current: number[]) => ({ feature, histogram: { edges: [0, 1, 2, 3], reference: [50, 30, 20], current } });
const drift = (...features: object[]) => rep("drift", { features });

const ENV = { imageDigest: "sha256:img1", lockfileHash: "lock1", runtime: "python3.12", accelerator: "cpu", resourceClass: "m5.large" };
function ver(version: number, reports: ReportInput[] = [], over: Partial<VersionInput> = {}): VersionInput {
  const signature = { inputs: [{ name: "amount", type: "double" }, { name: "country", type: "string" }], outputs: [{ name: "score", type: "double" }] };
  return { version, status: "ready", artifactUri: `s3://models/fraud/${version}`, artifactChecksum: `sha256:${version}`, signature, commitSha: "abc1234", dataHash: "sha256:data", featureSetVersion: "7", environment: ENV, reports, ...over };
}

type Setup = { stage?: string; settings?: object; reports?: ReportInput[]; version?: VersionInput; holder?: VersionInput | null; aliases?: Record<string, number>; history?: AliasMove[]; now?: Date; freeze?: object[] };
function context(gates: object[], s: Setup = {}): GateContext {
  const name = s.stage ?? "production";
  const doc = ZPolicyDocument.parse({ stages: { staging: {}, production: {}, [name]: { ...s.settings, gates } }, freeze: s.freeze });
  const policy = mergePolicies(doc, null);
  const stage = policy.stages.find((x) => x.name === name)!;
  return { model: { name: "fraud", riskTier: "standard" }, policy, stage, version: s.version ?? ver(5, s.reports), holder: s.holder ?? null, aliases: s.aliases ?? {}, history: s.history ?? [], now: s.now ?? NOW };
}
const run = (gate: object, s: Setup = {}): GateResult => {
  const c = context([{ id: "g", ...gate }], s);
  return evaluateGate(c.stage.gates[0], c);
};
type Row = [name: string, gate: object, setup: Setup, status: GateStatus, summary: (string | RegExp)[]];
function check(r: GateResult, status: GateStatus, summary: (string | RegExp)[]) {
  expect(r.status, r.summary).toBe(status);
  for (const s of summary) typeof s === "string" ? expect(r.summary).toContain(s) : expect(r.summary).toMatch(s);
}
const table = (rows: Row[]) => it.each(rows)("%s", (_n, gate, setup, status, summary) => check(run(gate, setup), status, summary));

describe("metric", () => {
  const auc = { type: "metric", metric: "auc", min: 0.9 };
  table([
    ["at or above min passes", auc, { reports: [metrics({ auc: 0.93 })] }, "pass", ["AUC is 0.93, meeting the required minimum of 0.9."]],
    ["exactly min passes", auc, { reports: [metrics({ auc: 0.9 })] }, "pass", ["AUC is 0.9"]],
    ["below min fails", auc, { reports: [metrics({ auc: 0.87 })] }, "fail", ["AUC is 0.87, below the required minimum of 0.9."]],
    ["above max fails", { type: "metric", metric: "log_loss", max: 0.3 }, { reports: [metrics({ log_loss: 0.41 })] }, "fail", ["Log_loss is 0.41, above the allowed maximum of 0.3."]],
    ["both bounds", { type: "metric", metric: "recall", min: 0.5, max: 0.9 }, { reports: [metrics({ recall: 0.7 })] }, "pass", ["Recall is 0.7, within the required range of 0.5 to 0.9."]],
    ["newest report wins", auc, { reports: [metrics({ auc: 0.95 }, {}, "2026-03-01T00:00:00Z"), metrics({ auc: 0.85 }, {}, "2026-03-05T00:00:00Z")] }, "fail", ["AUC is 0.85"]],
    ["no report", auc, {}, "missing-evidence", ["This version has no offline-metrics report, so AUC cannot be checked."]],
    ["metric absent from report", auc, { reports: [metrics({ f1: 0.8 })] }, "missing-evidence", ["no auc in its newest offline-metrics report"]],
    ["dataset filter", { ...auc, dataset: "holdout-2026" }, { reports: [metrics({ auc: 0.95 })] }, "missing-evidence", ["no offline-metrics report on holdout-2026"]],
    ["latency p95 within", { type: "metric", report: "latency", metric: "p95", max: 150 }, { reports: [latency(142)] }, "pass", ["Latency p95 is 142 ms, within the allowed maximum of 150 ms."]],
    ["latency p95 above", { type: "metric", report: "latency", metric: "p95", max: 150 }, { reports: [latency(180)] }, "fail", ["Latency p95 is 180 ms, above the allowed maximum of 150 ms."]],
    ["throughput below", { type: "metric", report: "latency", metric: "throughputRps", min: 500 }, { reports: [latency(100)] }, "fail", ["Throughput is 400 requests/s, below the required minimum of 500 requests/s."]],
    ["unknown latency metric", { type: "metric", report: "latency", metric: "p90", max: 150 }, { reports: [latency(100)] }, "missing-evidence", ['no "p90" in latency reports (they hold p50, p95, p99, throughputRps)']],
  ]);
  it("reports the observed value, threshold and evidence", () => {
    const r = run(auc, { reports: [metrics({ auc: 0.93 }, {}, undefined)] });
    expect(r).toMatchObject({ observed: { auc: 0.93 }, threshold: { min: 0.9, max: null }, evidence: [expect.stringMatching(/^r\d+$/)], onFail: null });
  });
});

describe("no-regression", () => {
  const holder = (reports: ReportInput[]) => ver(4, reports);
  const auc = { type: "no-regression", metric: "auc" };
  table([
    ["no holder passes with a note", auc, { reports: [metrics({ auc: 0.9 })] }, "pass", ["Nothing holds @champion yet, so there is no current version to compare AUC against."]],
    ["already the holder", auc, { version: ver(4, [metrics({ auc: 0.9 })]), holder: ver(4, [metrics({ auc: 0.9 })]) }, "pass", ["already holds @champion"]],
    ["own metric missing", auc, { reports: [], holder: holder([metrics({ auc: 0.9 })]) }, "missing-evidence", ["a regression in AUC cannot be ruled out"]],
    ["holder's metric missing", auc, { reports: [metrics({ auc: 0.9 })], holder: holder([]) }, "missing-evidence", ["The current @champion (v4) has no offline-metrics report"]],
    ["better passes", auc, { reports: [metrics({ auc: 0.95 })], holder: holder([metrics({ auc: 0.91 })]) }, "pass", ["AUC is 0.95 against 0.91 for v4 (@champion): no worse."]],
    ["any drop fails by default", auc, { reports: [metrics({ auc: 0.909 })], holder: holder([metrics({ auc: 0.91 })]) }, "fail", ["0.001 worse, more than the allowed 0."]],
    ["absolute: exactly the tolerance passes", { ...auc, tolerance: { absolute: 0.01 } }, { reports: [metrics({ auc: 0.9 })], holder: holder([metrics({ auc: 0.91 })]) }, "pass", ["0.01 worse, within the allowed 0.01."]],
    ["absolute: beyond fails", { ...auc, tolerance: { absolute: 0.01 } }, { reports: [metrics({ auc: 0.895 })], holder: holder([metrics({ auc: 0.91 })]) }, "fail", ["0.015 worse, more than the allowed 0.01."]],
    ["relative: within (lower is better by name)", { type: "no-regression", metric: "latency_ms", tolerance: { relative: 5 } }, { reports: [metrics({ latency_ms: 104 })], holder: holder([metrics({ latency_ms: 100 })]) }, "pass", ["4 worse, within the allowed 5% (5)."]],
    ["relative: beyond (lower is better by name)", { type: "no-regression", metric: "latency_ms", tolerance: { relative: 5 } }, { reports: [metrics({ latency_ms: 106 })], holder: holder([metrics({ latency_ms: 100 })]) }, "fail", ["6 worse, more than the allowed 5% (5)."]],
    ["lower-is-better improvement", { type: "no-regression", metric: "rmse" }, { reports: [metrics({ rmse: 1.2 })], holder: holder([metrics({ rmse: 1.5 })]) }, "pass", ["no worse"]],
    ["direction stated by the report", { type: "no-regression", metric: "score_gap" }, { reports: [metrics({ score_gap: 3 }, { direction: { score_gap: "lower" } })], holder: holder([metrics({ score_gap: 2 })]) }, "fail", ["1 worse"]],
    ["direction in the gate wins", { type: "no-regression", metric: "rmse", direction: "higher" }, { reports: [metrics({ rmse: 1.2 })], holder: holder([metrics({ rmse: 1.5 })]) }, "fail", ["0.3 worse"]],
    ["latency report p95: higher is worse", { type: "no-regression", report: "latency", metric: "p95" }, { reports: [latency(160)], holder: holder([latency(140)]) }, "fail", ["Latency p95 is 160 ms against 140 ms for v4 (@champion): 20 ms worse"]],
    ["latency report throughput: lower is worse", { type: "no-regression", report: "latency", metric: "throughputRps" }, { reports: [rep("latency", { percentilesMs: { p50: 1, p95: 2, p99: 3 }, throughputRps: 300 })], holder: holder([latency(140)]) }, "fail", ["100 requests/s worse"]],
  ]);
  it("observes both values and the worsening", () => {
    const r = run({ ...auc, tolerance: { absolute: 0.01 } }, { reports: [metrics({ auc: 0.895 })], holder: holder([metrics({ auc: 0.91 })]) });
    expect(r.observed).toEqual({ auc: 0.895, holder: 0.91, worsening: expect.closeTo(0.015, 9) });
    expect(r.threshold).toEqual({ absolute: 0.01, direction: "higher" });
    expect(r.evidence).toHaveLength(2);
  });
});

describe("tests-passed", () => {
  const ok = tests(["core", "unit", 120, 0], ["api", "integration", 30, 0]);
  table([
    ["all pass", { type: "tests-passed" }, { reports: [ok] }, "pass", ["All 150 tests passed (unit and integration)."]],
    ["a failure fails", { type: "tests-passed" }, { reports: [tests(["core", "unit", 120, 0], ["api", "integration", 28, 2])] }, "fail", ["2 tests failed in api."]],
    ["too few tests", { type: "tests-passed", minTests: 200 }, { reports: [ok] }, "fail", ["Only 150 tests ran and passed; the policy asks for at least 200."]],
    ["required suite absent", { type: "tests-passed", suites: ["unit", "contract"] }, { reports: [ok] }, "missing-evidence", ["The tests report has no contract suite, which the policy requires."]],
    ["no report", { type: "tests-passed" }, {}, "missing-evidence", ["No tests report is attached to this version, so the test results cannot be checked."]],
  ]);
});

describe("signature-compatible", () => {
  const h = ver(4);
  const withInputs = (inputs: { name: string; type: string; optional?: boolean }[]) => ver(5, [], { signature: { inputs, outputs: [] } });
  table([
    ["no schema", { type: "signature-compatible" }, { version: ver(5, [], { signature: null }), holder: h }, "missing-evidence", ["registered without an input schema"]],
    ["no holder", { type: "signature-compatible" }, {}, "pass", ["Nothing holds @champion yet"]],
    ["same inputs plus an optional one", { type: "signature-compatible" }, { version: withInputs([{ name: "amount", type: "double" }, { name: "country", type: "string" }, { name: "device", type: "string", optional: true }]), holder: h }, "pass", ["The input schema accepts everything v4's does."]],
    ["new required input", { type: "signature-compatible" }, { version: withInputs([{ name: "amount", type: "double" }, { name: "device", type: "string" }]), holder: h }, "fail", ["device (new required input (string) that callers of v4 do not send)"]],
    ["type change", { type: "signature-compatible" }, { version: withInputs([{ name: "amount", type: "float" }]), holder: h }, "fail", ["amount (type changes from double to float)"]],
    ["optional becomes required", { type: "signature-compatible" }, { version: withInputs([{ name: "amount", type: "double" }]), holder: ver(4, [], { signature: { inputs: [{ name: "amount", type: "double", optional: true }], outputs: [] } }) }, "fail", ["was optional, is now required"]],
    ["holder has no schema", { type: "signature-compatible" }, { holder: ver(4, [], { signature: null }) }, "warn", ["has no recorded input schema"]],
  ]);
});

describe("data-validation", () => {
  table([
    ["all pass", { type: "data-validation" }, { reports: [checks(["nulls", true], ["ranges", true])] }, "pass", ["All 2 data checks passed."]],
    ["failures listed", { type: "data-validation" }, { reports: [checks(["nulls", false], ["ranges", true], ["schema", false])] }, "fail", ["2 data checks failed: nulls and schema."]],
    ["required check absent", { type: "data-validation", checks: ["nulls", "leakage"] }, { reports: [checks(["nulls", true])] }, "missing-evidence", ["does not include leakage, which the policy requires"]],
    ["no report", { type: "data-validation" }, {}, "missing-evidence", ["No data-validation report is attached"]],
  ]);
});

describe("drift", () => {
  const p20 = fmt(psiOf(20));
  const g = { type: "drift", psiMax: 0.2, critical: ["amount", "merchant_category"] };
  table([
    ["critical features stable", g, { reports: [drift(feat("amount", 10), feat("merchant_category", 0), feat("hour", 15))] }, "pass", [`No feature drifted past its limit (PSI ≤ 0.2); the largest PSI is ${fmt(psiOf(15))} on hour.`]],
    ["critical feature drifted fails", g, { reports: [drift(feat("amount", 20), feat("merchant_category", 0))] }, "fail", [`Data drifted on 1 critical feature: amount (PSI ${p20} > 0.2).`]],
    ["non-critical feature drifted warns", g, { reports: [drift(feat("amount", 0), feat("merchant_category", 0), feat("hour", 20))] }, "warn", [`No critical feature drifted, but 1 other feature did: hour (PSI ${p20} > 0.2).`]],
    ["critical feature absent", g, { reports: [drift(feat("amount", 0), feat("hour", 20))] }, "missing-evidence", ["The drift report leaves out merchant_category, which the policy treats as critical."]],
    ["no list: every feature critical", { type: "drift", psiMax: 0.2 }, { reports: [drift(feat("amount", 0), feat("hour", 20))] }, "fail", ["1 critical feature: hour"]],
    ['critical: "all"', { type: "drift", psiMax: 0.2, critical: "all" }, { reports: [drift(feat("hour", 20))] }, "fail", ["critical feature: hour"]],
    ["per-feature critical narrows the critical set", { type: "drift", psiMax: 0.2, features: { amount: { critical: true } } }, { reports: [drift(feat("amount", 0), feat("hour", 20))] }, "warn", ["1 other feature did: hour"]],
    ["per-feature limit overrides", { type: "drift", psiMax: 0.2, features: { hour: { psiMax: 1 } } }, { reports: [drift(feat("amount", 0), feat("hour", 20))] }, "pass", ["No feature drifted past its limit"]],
    ["histogram drifted", { type: "drift", psiMax: 0.2 }, { reports: [drift(hist("country", [20, 30, 50]))] }, "fail", [`country (PSI ${fmt(psiFromShares([0.5, 0.3, 0.2], [0.2, 0.3, 0.5]))} > 0.2)`]],
    ["histogram stable", { type: "drift", psiMax: 0.2 }, { reports: [drift(hist("country", [49, 31, 20]))] }, "pass", ["on country"]],
    ["KS on a critical histogram", { type: "drift", ksMaxStatistic: 0.1 }, { reports: [drift(hist("country", [50, 30, 20]))] }, "missing-evidence", ["KS cannot be computed for country"]],
    ["KS statistic breached", { type: "drift", ksMaxStatistic: 0.1 }, { reports: [drift(feat("amount", 30))] }, "fail", ["amount (KS D 0.15 > 0.1)"]],
    ["no report", g, {}, "missing-evidence", ["No drift report is attached"]],
  ]);
  it("observes each feature's PSI as lib/stats computes it and marks details", () => {
    const r = run(g, { reports: [drift(feat("amount", 20), feat("hour", 20))] });
    expect((r.observed!.amount as { psi: number }).psi).toBe(psiOf(20));
    expect(r.details.map((d) => [d.label, d.status])).toEqual([["amount (critical)", "fail"], ["hour", "warn"]]);
  });
});

describe("fairness", () => {
  const groups = (lo: number) => [{ group: "18-34", positiveRate: 0.3 }, { group: "65+", positiveRate: lo }];
  table([
    ["default 0.8: passes at 0.9", { type: "fairness" }, { reports: [fairness(groups(0.27))] }, "pass", ["The parity ratio across age_band is 0.9 (lowest 65+ at 0.27, highest 18-34 at 0.3), at least the required 0.8."]],
    ["default 0.8: fails at 0.7", { type: "fairness" }, { reports: [fairness(groups(0.21))] }, "fail", ["The parity ratio across age_band is 0.7", "below the required 0.8"]],
    ["exactly 0.8 passes", { type: "fairness" }, { reports: [fairness([{ group: "a", positiveRate: 0.5 }, { group: "b", positiveRate: 0.4 }])] }, "pass", ["is 0.8"]],
    ["custom minimum", { type: "fairness", minParityRatio: 0.95 }, { reports: [fairness(groups(0.27))] }, "fail", ["below the required 0.95"]],
    ["equalized odds missing TPR", { type: "fairness", minEqualizedOddsRatio: 0.8 }, { reports: [fairness([{ group: "a", positiveRate: 0.3, truePositiveRate: 0.8, falsePositiveRate: 0.1 }, { group: "b", positiveRate: 0.3, falsePositiveRate: 0.1 }])] }, "missing-evidence", ["The equalized-odds ratio needs true- and false-positive rates, which b lack."]],
    ["equalized odds below", { type: "fairness", minEqualizedOddsRatio: 0.8 }, { reports: [fairness([{ group: "a", positiveRate: 0.3, truePositiveRate: 0.8, falsePositiveRate: 0.1 }, { group: "b", positiveRate: 0.3, truePositiveRate: 0.6, falsePositiveRate: 0.1 }])] }, "fail", ["The equalized-odds ratio is 0.75, below the required 0.8."]],
    ["equalized odds met", { type: "fairness", minEqualizedOddsRatio: 0.7 }, { reports: [fairness([{ group: "a", positiveRate: 0.3, truePositiveRate: 0.8, falsePositiveRate: 0.1 }, { group: "b", positiveRate: 0.1, truePositiveRate: 0.6, falsePositiveRate: 0.1 }])] }, "pass", ["The equalized-odds ratio is 0.75, at least the required 0.7."]],
    ["parity fails, odds missing: fail", { type: "fairness", minParityRatio: 0.8, minEqualizedOddsRatio: 0.8 }, { reports: [fairness(groups(0.1))] }, "fail", ["below the required 0.8; the equalized-odds ratio needs"]],
    ["attribute without a report", { type: "fairness", attribute: "gender" }, { reports: [fairness(groups(0.27))] }, "missing-evidence", ["No fairness (gender) report is attached"]],
    ["attribute picks its report", { type: "fairness", attribute: "gender" }, { reports: [fairness(groups(0.27)), fairness([{ group: "f", positiveRate: 0.1 }, { group: "m", positiveRate: 0.3 }], "gender")] }, "fail", ["The parity ratio across gender is 0.3333 (lowest f at 0.1, highest m at 0.3), below the required 0.8."]],
  ]);
});

describe("security-scan", () => {
  table([
    ["default high: medium passes", { type: "security-scan" }, { reports: [scan("medium")] }, "pass", ["The trivy scan found nothing at high or above (1 lower-severity finding)."]],
    ["default high: high fails", { type: "security-scan" }, { reports: [scan("low", "high")] }, "fail", ["The trivy scan found 1 finding at high or above: CVE-2 (high)."]],
    ["critical only: high passes", { type: "security-scan", failOn: "critical" }, { reports: [scan("high")] }, "pass", ["nothing at critical (1"]],
    ["critical only: critical fails", { type: "security-scan", failOn: "critical" }, { reports: [scan("critical", "critical")] }, "fail", ["2 findings at critical: CVE-1 (critical) and CVE-2 (critical)"]],
    ["low: low fails", { type: "security-scan", failOn: "low" }, { reports: [scan("info", "low")] }, "fail", ["1 finding at low or above: CVE-2 (low)"]],
    ["low: info passes", { type: "security-scan", failOn: "low" }, { reports: [scan("info")] }, "pass", ["nothing at low or above (1 lower-severity finding)"]],
    ["clean scan", { type: "security-scan", failOn: "info" }, { reports: [scan()] }, "pass", ["The trivy scan found nothing at info or above."]],
    ["no report", { type: "security-scan" }, {}, "missing-evidence", ["No security-scan report is attached"]],
  ]);
});

describe("observability-ready", () => {
  table([
    ["all links", { type: "observability-ready" }, { reports: [links("dashboard", "alert", "logs")] }, "pass", ["Dashboard, alert and log links are recorded."]],
    ["alert missing", { type: "observability-ready" }, { reports: [links("dashboard", "logs")] }, "fail", ["No alert link is recorded, so on-call could not watch this version."]],
    ["only a dashboard required", { type: "observability-ready", require: ["dashboard"] }, { reports: [links("dashboard")] }, "pass", ["Dashboard links are recorded."]],
    ["no report", { type: "observability-ready" }, {}, "missing-evidence", ["No observability report is attached"]],
  ]);
});

describe("environment-parity", () => {
  const stageEnv = { settings: { environment: { imageDigest: "sha256:img1", runtime: "python3.12" } } };
  const env = (o: object) => ver(5, [], { environment: { ...ENV, ...o } });
  table([
    ["stage: matches", { type: "environment-parity" }, stageEnv, "pass", ["The environment matches production's declared environment (image digest and runtime)."]],
    ["stage: differs", { type: "environment-parity" }, { ...stageEnv, version: env({ runtime: "python3.11" }) }, "fail", ["The environment differs from production's declared environment: runtime is python3.11 here, python3.12 in production's declared environment."]],
    ["stage: none declared", { type: "environment-parity", against: "stage" }, {}, "missing-evidence", ["but the stage declares none"]],
    ["holder: none", { type: "environment-parity" }, {}, "pass", ["Nothing holds @champion yet"]],
    ["holder: matches", { type: "environment-parity", against: "holder" }, { ...stageEnv, version: env({ runtime: "python3.11" }), holder: ver(4, [], { environment: { ...ENV, runtime: "python3.11" } }) }, "pass", ["The environment matches v4 (@champion) (runtime, accelerator and resource class)."]],
    ["holder: differences listed", { type: "environment-parity" }, { holder: ver(4, [], { environment: { ...ENV, accelerator: "gpu-a10", resourceClass: "g5.xlarge" } }) }, "fail", ["The environment differs from v4 (@champion): accelerator is cpu here, gpu-a10 in v4 (@champion) and resource class is m5.large here, g5.xlarge in v4 (@champion)."]],
    ["unrecorded field", { type: "environment-parity", fields: ["runtime"] }, { version: env({ runtime: null }), holder: ver(4) }, "missing-evidence", ["This version does not record its runtime, so it cannot be compared with v4 (@champion)."]],
    ["fields restrict the comparison", { type: "environment-parity", fields: ["runtime"] }, { holder: ver(4, [], { environment: { ...ENV, accelerator: "gpu" } }) }, "pass", ["(runtime)"]],
  ]);
});

describe("lineage", () => {
  table([
    ["complete", { type: "lineage" }, {}, "pass", ["can be reproduced"]],
    ["commit missing", { type: "lineage" }, { version: ver(5, [], { commitSha: null }) }, "fail", ["The lineage is incomplete: the commit SHA is missing"]],
    ["two missing", { type: "lineage" }, { version: ver(5, [], { dataHash: null, featureSetVersion: null }) }, "fail", ["the data snapshot hash and feature set version are missing"]],
  ]);
});

describe("rollback-ready", () => {
  table([
    ["no holder", { type: "rollback-ready" }, {}, "pass", ["Nothing holds @champion yet"]],
    ["ready holder", { type: "rollback-ready" }, { holder: ver(4) }, "pass", ["If needed, @champion can roll back to v4 (s3://models/fraud/4)."]],
    ["archived holder", { type: "rollback-ready" }, { holder: ver(4, [], { status: "archived" }) }, "fail", ["is archived, so Gatehouse could not roll back"]],
    ["holder without checksum", { type: "rollback-ready" }, { holder: ver(4, [], { artifactChecksum: "" }) }, "fail", ["has no artifact checksum"]],
  ]);
});

describe("stage-order", () => {
  const move = (gatesPassed: boolean | null, at = "2026-03-01T10:00:00Z", toVersion = 5): AliasMove => ({ alias: "staging", fromVersion: 3, toVersion, at, gatesPassed });
  const g = { type: "stage-order" };
  table([
    ["held before, gates passed", g, { history: [move(true)] }, "pass", ["v5 held @staging from 2026-03-01 and passed the staging gates then."]],
    ["held before, gates failed", g, { history: [move(false)] }, "fail", ["v5 held @staging, but did not pass the staging gates when it moved there."]],
    ["held before, set directly", g, { history: [move(null)] }, "warn", ["v5 has held @staging (since 2026-03-01), but it was set directly"]],
    ["one passing move is enough", g, { history: [move(false), move(true, "2026-03-02T00:00:00Z")] }, "pass", ["from 2026-03-02"]],
    ["holds now without a record", g, { aliases: { staging: 5 } }, "warn", ["v5 has held @staging, but it was set directly"]],
    ["never held", g, { history: [move(true, undefined, 4)] }, "fail", ["v5 has never held @staging; promote it to staging first."]],
    ["holds-now: yes", { ...g, requires: "holds-now" }, { aliases: { staging: 5 } }, "pass", ["v5 holds @staging now"]],
    ["holds-now: another version", { ...g, requires: "holds-now" }, { aliases: { staging: 4 }, history: [move(true)] }, "fail", ["v5 must hold @staging now; @staging holds v4."]],
    ["holds-now: nothing", { ...g, requires: "holds-now" }, {}, "fail", ["nothing holds @staging"]],
    ["exception", { ...g, exceptions: [{ versions: [5], reason: "Hotfix for INC-42." }] }, {}, "pass", ["v5 is exempt from reaching staging first: Hotfix for INC-42."]],
    ["exception for another version", { ...g, exceptions: [{ versions: [6], reason: "Hotfix." }] }, {}, "fail", ["never held"]],
    ["development is the previous stage", g, { stage: "staging" }, "pass", ["Every registered version starts in development"]],
    ["unknown required stage", { ...g, stage: "qa" }, {}, "fail", ["The policy requires stage qa first, but there is no such stage."]],
  ]);
});

describe("report-fresh", () => {
  const at = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * 3_600_000);
  const g = { type: "report-fresh", report: "offline-metrics", maxAge: "7d" };
  table([
    ["2 days old", g, { reports: [metrics({ auc: 1 }, {}, at(48).toISOString())] }, "pass", ["The newest offline-metrics report is 2 days old, within 1 week."]],
    ["exactly the limit", g, { reports: [metrics({ auc: 1 }, {}, at(168).toISOString())] }, "pass", ["7 days old, within 1 week."]],
    ["10 days old", g, { reports: [metrics({ auc: 1 }, {}, at(240).toISOString())] }, "fail", ["The newest offline-metrics report is 10 days old; the policy accepts at most 1 week."]],
    ["minutes", { ...g, maxAge: "1h" }, { reports: [metrics({ auc: 1 }, {}, at(1 / 3).toISOString())] }, "pass", ["20 minutes old, within 1 hour"]],
    ["newest of several", g, { reports: [metrics({ auc: 1 }, {}, at(400).toISOString()), metrics({ auc: 1 }, {}, at(24).toISOString())] }, "pass", ["24 hours old"]],
    ["no report", { ...g, report: "tests" }, {}, "missing-evidence", ["No tests report is attached to this version, so its age cannot be checked."]],
  ]);
});

describe("evaluateStage", () => {
  const pass = { id: "lineage", type: "lineage" };
  const warn = { id: "order", type: "stage-order" };
  const fail = { id: "auc", type: "metric", metric: "auc", min: 0.99, onFail: "Retrain with the Q1 data." };
  const missing = { id: "scan", type: "security-scan", onFail: "Run trivy in CI." };
  const auc = [metrics({ auc: 0.9 })];
  const freeze = [{ name: "Year-end", start: "2026-03-01T00:00:00Z", end: "2026-03-20T00:00:00Z" }];
  it.each([
    ["all pass", [pass], {}, "ready", "v5 passes all 1 gate for production."],
    ["a warning does not block", [pass, warn], { aliases: { staging: 5 } }, "ready", "v5 passes all 2 gates for production (1 with a warning)."],
    ["a failure blocks", [pass, fail], { reports: auc }, "blocked", "v5 cannot move to production yet: 1 failing of 2 gates."],
    ["missing evidence blocks", [pass, fail, missing], { reports: auc }, "blocked", "1 failing and 1 missing evidence of 3 gates."],
    ["freeze on the last stage blocks", [pass], { freeze }, "blocked", "v5 passes every gate for production, but production promotions are frozen (Year-end, until 2026-03-20T00:00:00Z); only the emergency path can promote now."],
    ["freeze does not apply before the last stage", [pass], { freeze, stage: "staging" }, "ready", "v5 passes all 1 gate for staging."],
    ["freeze outside its window", [pass], { freeze, now: new Date("2026-03-20T00:00:00Z") }, "ready", "passes all 1 gate"],
    ["no gates", [], {}, "ready", "production has no gates; v5 may move there once approved."],
  ] as [string, object[], Setup, string, string][])("%s", (_n, gates, setup, status, summary) => {
    const r = evaluateStage(context(gates, setup));
    expect(r.status).toBe(status);
    expect(r.summary).toContain(summary);
  });
  it("counts statuses and returns onFail only for fail and missing evidence", () => {
    const r = evaluateStage(context([{ ...pass, onFail: "never shown" }, fail, missing], { reports: auc, holder: ver(4) }));
    expect(r.counts).toEqual({ pass: 1, fail: 1, warn: 0, "missing-evidence": 1 });
    expect(r.results.map((x) => [x.id, x.status, x.onFail])).toEqual([["lineage", "pass", null], ["auc", "fail", "Retrain with the Q1 data."], ["scan", "missing-evidence", "Run trivy in CI."]]);
    expect(r).toMatchObject({ stage: "production", alias: "champion", holder: 4, freeze: { frozen: false } });
  });
});

describe("worked example: weekly-retrained fraud model before staging", () => {
  const gate = { id: "drift", type: "drift", psiMax: 0.2, critical: ["amount", "merchant_category", "device_age"], onFail: "Check the feature pipeline before retraining." };
  const evaluate = (shifts: Record<string, number>) => evaluateStage(context([gate], { stage: "staging", reports: [drift(...Object.entries(shifts).map(([f, s]) => feat(f, s)))] })).results[0];
  it("passes when every critical feature's PSI is below 0.2", () => {
    const r = evaluate({ amount: 10, merchant_category: 15, device_age: 0 });
    expect(r.status).toBe("pass");
    expect(r.summary).toContain(`the largest PSI is ${fmt(psiOf(15))} on merchant_category`);
    expect(r.onFail).toBeNull();
  });
  it("fails listing the drifted critical features with their PSI", () => {
    const r = evaluate({ amount: 20, merchant_category: 0, device_age: 30 });
    expect(r.status).toBe("fail");
    expect(r.summary).toBe(`Data drifted on 2 critical features: amount (PSI ${fmt(psiOf(20))} > 0.2) and device_age (PSI ${fmt(psiOf(30))} > 0.2).`);
    expect(r.onFail).toBe("Check the feature pipeline before retraining.");
  });
});

describe("worked example: regulated credit-risk model to production", () => {
  const gates = [
    { id: "auc", type: "metric", metric: "auc", min: 0.9 },
    { id: "parity", type: "fairness", minParityRatio: 0.8 },
    { id: "latency", type: "metric", report: "latency", metric: "p95", max: 150 },
    { id: "security", type: "security-scan", failOn: "low" },
    { id: "lineage", type: "lineage" },
    { id: "environment", type: "environment-parity" },
    { id: "no-auc-regression", type: "no-regression", metric: "auc", tolerance: { absolute: 0.01 } },
  ];
  type Case = { auc: number; rates: [number, number]; p95: number; findings: string[]; commitSha: string | null; runtime: string; champion: number };
  const base: Case = { auc: 0.915, rates: [0.3, 0.27], p95: 120, findings: ["info"], commitSha: "abc1234", runtime: "python3.12", champion: 0.92 };
  const evaluate = (c: Case) => {
    const reports = [metrics({ auc: c.auc }), fairness([{ group: "18-34", positiveRate: c.rates[0] }, { group: "65+", positiveRate: c.rates[1] }]), latency(c.p95), scan(...c.findings)];
    const version = ver(7, reports, { commitSha: c.commitSha, environment: { ...ENV, runtime: c.runtime } });
    return evaluateStage({ ...context(gates, { version, holder: ver(6, [metrics({ auc: c.champion })]) }), model: { name: "credit-risk", riskTier: "regulated" } });
  };
  it("is ready when every gate passes", () => {
    const r = evaluate(base);
    expect(r.results.map((x) => x.status)).toEqual(Array(7).fill("pass"));
    expect(r.status).toBe("ready");
    expect(r.summary).toBe("v7 passes all 7 gates for production.");
  });
  it.each([
    ["auc", { auc: 0.89, champion: 0.895 }, "AUC is 0.89, below the required minimum of 0.9."],
    ["parity", { rates: [0.3, 0.2] }, "The parity ratio across age_band is 0.6667 (lowest 65+ at 0.2, highest 18-34 at 0.3), below the required 0.8."],
    ["latency", { p95: 151 }, "Latency p95 is 151 ms, above the allowed maximum of 150 ms."],
    ["security", { findings: ["info", "low"] }, "1 finding at low or above: CVE-2 (low)"],
    ["lineage", { commitSha: null }, "the commit SHA is missing"],
    ["environment", { runtime: "python3.11" }, "runtime is python3.11 here, python3.12 in v6 (@champion)"],
    ["no-auc-regression", { auc: 0.905 }, "AUC is 0.905 against 0.92 for v6 (@champion): 0.015 worse, more than the allowed 0.01."],
  ] as [string, Partial<Case>, string][])("blocks when %s fails", (id, change, summary) => {
    const r = evaluate({ ...base, ...change });
    expect(r.results.filter((x) => x.status !== "pass").map((x) => [x.id, x.status])).toEqual([[id, "fail"]]);
    expect(r.results.find((x) => x.id === id)!.summary).toContain(summary);
    expect(r.status).toBe("blocked");
    expect(r.summary).toBe("v7 cannot move to production yet: 1 failing of 7 gates.");
  });
});

describe("numbers next to their limits", () => {
  it.each([
    [0.20004, 0.2, "0.20004"],
    [0.21, 0.2, "0.21"],
    [0.3124, 0.2, "0.3124"],
    [150.2, 150, "150.2"],
    [151, 150, "151"],
  ])("%d against %d reads %s", (value, limit, text) => {
    expect(fmtAgainst(value, limit)).toBe(text);
  });
});
