import { SEVERITIES } from "@/lib/registry/report-schemas";
import { metricDirection } from "@/lib/registry/rules";
import { durationSeconds, formatDuration } from "../duration";
import type { GateOf } from "../schema";
import { cap, fmt, fmtAgainst, holderName, list, missingReport, newest, plural, type GateContext, type Outcome, type ReportInput, type VersionInput } from "./context";

/** Gates that read one report of the version: metric, no-regression, tests, data validation, security, observability, freshness. */

type MetricSource = { report: ReportInput; value: number; stated?: Record<string, "higher" | "lower"> };

const LATENCY_METRICS = ["p50", "p95", "p99", "throughputRps"];

const ACRONYM = /^(auc|roc_auc|pr_auc|f1|rmse|mae|mse|mape|ndcg|map|mrr|ctr|tpr|fpr|ks|psi)$/i;

function metricLabel(report: string, metric: string): string {
  if (report === "latency") return metric === "throughputRps" ? "throughput" : `latency ${metric}`;
  return ACRONYM.test(metric) ? metric.toUpperCase().replace(/_/g, " ") : metric;
}
function unit(report: string, metric: string): string {
  return report === "latency" ? (metric === "throughputRps" ? " requests/s" : " ms") : "";
}

/** The metric's value in the newest report of its kind (and dataset), or why there is none. */
function readMetric(version: VersionInput, report: "offline-metrics" | "latency", metric: string, dataset?: string): MetricSource | { missing: string; report: ReportInput | null } {
  const r = newest(version, report, dataset ? (p) => (p.dataset as { name?: string } | undefined)?.name === dataset : undefined);
  if (!r) return { missing: `no ${report} report${dataset ? ` on ${dataset}` : ""}`, report: null };
  const p = r.payload as Record<string, unknown>;
  if (report === "latency") {
    const v = metric === "throughputRps" ? p.throughputRps : (p.percentilesMs as Record<string, number>)[metric];
    if (typeof v !== "number") return { missing: LATENCY_METRICS.includes(metric) ? `no ${metric} in its newest latency report` : `no "${metric}" in latency reports (they hold ${LATENCY_METRICS.join(", ")})`, report: r };
    return { report: r, value: v };
  }
  const v = (p.metrics as Record<string, number>)[metric];
  if (typeof v !== "number") return { missing: `no ${metric} in its newest offline-metrics report`, report: r };
  return { report: r, value: v, stated: p.direction as Record<string, "higher" | "lower"> | undefined };
}

export function metricGate(g: GateOf<"metric">, ctx: GateContext): Outcome {
  const m = readMetric(ctx.version, g.report, g.metric, g.dataset);
  const label = metricLabel(g.report, g.metric);
  if ("missing" in m) return { status: "missing-evidence", summary: `This version has ${m.missing}, so ${label} cannot be checked.`, evidence: m.report ? [m.report.id] : [] };
  const u = unit(g.report, g.metric);
  const threshold = { min: g.min ?? null, max: g.max ?? null };
  const base = { observed: { [g.metric]: m.value }, threshold, evidence: [m.report.id] };
  if (g.min !== undefined && m.value < g.min) return { ...base, status: "fail", summary: `${cap(label)} is ${fmtAgainst(m.value, g.min)}${u}, below the required minimum of ${fmt(g.min)}${u}.` };
  if (g.max !== undefined && m.value > g.max) return { ...base, status: "fail", summary: `${cap(label)} is ${fmtAgainst(m.value, g.max)}${u}, above the allowed maximum of ${fmt(g.max)}${u}.` };
  const bounds =
    g.min !== undefined && g.max !== undefined ? `within the required range of ${fmt(g.min)} to ${fmt(g.max)}${u}` : g.min !== undefined ? `meeting the required minimum of ${fmt(g.min)}${u}` : `within the allowed maximum of ${fmt(g.max!)}${u}`;
  return { ...base, status: "pass", summary: `${cap(label)} is ${fmt(m.value)}${u}, ${bounds}.` };
}

export function noRegressionGate(g: GateOf<"no-regression">, ctx: GateContext): Outcome {
  const label = metricLabel(g.report, g.metric);
  const mine = readMetric(ctx.version, g.report, g.metric);
  if ("missing" in mine) return { status: "missing-evidence", summary: `This version has ${mine.missing}, so a regression in ${label} cannot be ruled out.`, evidence: mine.report ? [mine.report.id] : [] };
  if (!ctx.holder) return { status: "pass", summary: `Nothing holds @${ctx.stage.alias} yet, so there is no current version to compare ${label} against.`, observed: { [g.metric]: mine.value }, evidence: [mine.report.id] };
  if (ctx.holder.version === ctx.version.version) return { status: "pass", summary: `This version already holds @${ctx.stage.alias}; there is nothing to regress from.`, evidence: [mine.report.id] };
  const theirs = readMetric(ctx.holder, g.report, g.metric);
  if ("missing" in theirs) return { status: "missing-evidence", summary: `${holderName(ctx)} has ${theirs.missing}, so a regression in ${label} cannot be ruled out.`, evidence: [mine.report.id] };
  // Latency reports hold percentiles (lower is better) and throughput (higher is better); their names say neither.
  const direction = g.direction ?? (g.report === "latency" ? (g.metric === "throughputRps" ? "higher" : "lower") : metricDirection(g.metric, mine.stated));
  const worsening = direction === "higher" ? theirs.value - mine.value : mine.value - theirs.value;
  const tolerance = g.tolerance ?? { absolute: 0 };
  const allowed = tolerance.absolute ?? (Math.abs(theirs.value) * (tolerance.relative ?? 0)) / 100;
  const allowedText = tolerance.absolute !== undefined ? fmt(tolerance.absolute) : `${fmt(tolerance.relative!)}% (${fmt(allowed)})`;
  const u = unit(g.report, g.metric);
  const compare = `${cap(label)} is ${fmt(mine.value)}${u} against ${fmt(theirs.value)}${u} for v${ctx.holder.version} (@${ctx.stage.alias})`;
  const base = { observed: { [g.metric]: mine.value, holder: theirs.value, worsening }, threshold: { ...tolerance, direction }, evidence: [mine.report.id, theirs.report.id] };
  // A hair of slack so 0.1 + 0.2-style rounding never turns an exact-tolerance result into a failure.
  if (worsening > allowed + 1e-12 * Math.max(1, Math.abs(theirs.value))) return { ...base, status: "fail", summary: `${compare}: ${fmt(worsening)}${u} worse, more than the allowed ${allowedText}.` };
  return { ...base, status: "pass", summary: worsening > 0 ? `${compare}: ${fmt(worsening)}${u} worse, within the allowed ${allowedText}.` : `${compare}: no worse.` };
}

export function testsGate(g: GateOf<"tests-passed">, ctx: GateContext): Outcome {
  const r = newest(ctx.version, "tests");
  if (!r) return missingReport("tests", "the test results");
  const suites = (r.payload as { suites: { name: string; kind: string; passed: number; failed: number; failures: { test: string }[] }[] }).suites;
  const evidence = [r.id];
  const kinds = [...new Set(suites.map((s) => s.kind))];
  const absent = (g.suites ?? []).filter((k) => !kinds.includes(k));
  if (absent.length) return { status: "missing-evidence", summary: `The tests report has no ${list(absent)} suite, which the policy requires.`, evidence };
  const failed = suites.filter((s) => s.failed > 0);
  const passed = suites.reduce((n, s) => n + s.passed, 0);
  const details = suites.map((s) => ({ label: `${s.name} (${s.kind})`, value: `${s.passed} passed, ${s.failed} failed`, status: s.failed > 0 ? ("fail" as const) : ("pass" as const) }));
  const base = { observed: { passed, failed: failed.reduce((n, s) => n + s.failed, 0) }, threshold: { failed: 0, minTests: g.minTests ?? null }, evidence, details };
  if (failed.length) return { ...base, status: "fail", summary: `${plural(base.observed.failed, "test")} failed in ${list(failed.map((s) => s.name))}.` };
  if (g.minTests !== undefined && passed < g.minTests) return { ...base, status: "fail", summary: `Only ${plural(passed, "test")} ran and passed; the policy asks for at least ${g.minTests}.` };
  return { ...base, status: "pass", summary: `All ${plural(passed, "test")} passed (${list(kinds)}).` };
}

export function dataValidationGate(g: GateOf<"data-validation">, ctx: GateContext): Outcome {
  const r = newest(ctx.version, "data-validation");
  if (!r) return missingReport("data-validation", "the training and serving data");
  const checks = (r.payload as { checks: { name: string; passed: boolean; details?: string }[] }).checks;
  const evidence = [r.id];
  const absent = (g.checks ?? []).filter((name) => !checks.some((c) => c.name === name));
  const details = checks.map((c) => ({ label: c.name, value: c.passed ? "passed" : (c.details ?? "failed"), status: c.passed ? ("pass" as const) : ("fail" as const) }));
  if (absent.length) return { status: "missing-evidence", summary: `The data validation report does not include ${list(absent)}, which the policy requires.`, evidence, details };
  const failed = checks.filter((c) => !c.passed);
  const base = { observed: { checks: checks.length, failed: failed.length }, threshold: { failed: 0 }, evidence, details };
  if (failed.length) return { ...base, status: "fail", summary: `${plural(failed.length, "data check")} failed: ${list(failed.map((c) => c.name))}.` };
  return { ...base, status: "pass", summary: `All ${plural(checks.length, "data check")} passed.` };
}

export function securityGate(g: GateOf<"security-scan">, ctx: GateContext): Outcome {
  const r = newest(ctx.version, "security-scan");
  if (!r) return missingReport("security-scan", "container and dependency vulnerabilities");
  const { scanner, findings } = r.payload as { scanner: string; findings: { id: string; severity: (typeof SEVERITIES)[number]; title: string }[] };
  const limit = SEVERITIES.indexOf(g.failOn);
  const blocking = findings.filter((f) => SEVERITIES.indexOf(f.severity) <= limit);
  const details = findings.slice(0, 50).map((f) => ({ label: f.id, value: `${f.severity}: ${f.title}`, status: SEVERITIES.indexOf(f.severity) <= limit ? ("fail" as const) : ("warn" as const) }));
  const base = { observed: { findings: findings.length, blocking: blocking.length }, threshold: { failOn: g.failOn }, evidence: [r.id], details };
  const atOrAbove = g.failOn === "critical" ? "critical" : `${g.failOn} or above`;
  if (blocking.length) return { ...base, status: "fail", summary: `The ${scanner} scan found ${plural(blocking.length, "finding")} at ${atOrAbove}: ${list(blocking.map((f) => `${f.id} (${f.severity})`), 3)}.` };
  const lower = findings.length ? ` (${plural(findings.length, "lower-severity finding")})` : "";
  return { ...base, status: "pass", summary: `The ${scanner} scan found nothing at ${atOrAbove}${lower}.` };
}

export function observabilityGate(g: GateOf<"observability-ready">, ctx: GateContext): Outcome {
  const r = newest(ctx.version, "observability");
  if (!r) return missingReport("observability", "dashboards, alerts and logs");
  const links = (r.payload as { links: { kind: string; title: string; url: string }[] }).links;
  const required = g.require ?? ["dashboard", "alert", "logs"];
  const absent = required.filter((k) => !links.some((l) => l.kind === k));
  const details = links.map((l) => ({ label: `${l.kind}: ${l.title}`, value: l.url }));
  const base = { observed: { kinds: [...new Set(links.map((l) => l.kind))] }, threshold: { require: required }, evidence: [r.id], details };
  if (absent.length) return { ...base, status: "fail", summary: `No ${list(absent.map((k) => (k === "logs" ? "log" : k)))} link is recorded, so on-call could not watch this version.` };
  return { ...base, status: "pass", summary: `${cap(list(required.map((k) => (k === "logs" ? "log" : k))))} links are recorded.` };
}

export function reportFreshGate(g: GateOf<"report-fresh">, ctx: GateContext): Outcome {
  const r = newest(ctx.version, g.report);
  if (!r) return missingReport(g.report, "its age");
  const ageSeconds = Math.max(0, (ctx.now.getTime() - new Date(r.createdAt).getTime()) / 1000);
  const max = durationSeconds(g.maxAge)!;
  const base = { observed: { ageSeconds }, threshold: { maxAge: g.maxAge }, evidence: [r.id] };
  const age = formatAge(ageSeconds);
  if (ageSeconds > max) return { ...base, status: "fail", summary: `The newest ${g.report} report is ${age} old; the policy accepts at most ${formatDuration(max)}.` };
  return { ...base, status: "pass", summary: `The newest ${g.report} report is ${age} old, within ${formatDuration(max)}.` };
}

/** An age precise enough to explain a limit: "7.2 days", "5 hours", "40 minutes". */
function formatAge(seconds: number): string {
  if (seconds >= 2 * 86_400) return `${Number((seconds / 86_400).toFixed(1))} days`;
  if (seconds >= 2 * 3_600) return `${Number((seconds / 3_600).toFixed(1))} hours`;
  return formatDuration(Math.max(60, Math.round(seconds / 60) * 60));
}
