/**
 * Registry decisions as pure functions: reproducibility, which report of a kind is current, and which way a
 * metric improves.
 */

export type LineageFields = { commitSha: string | null; dataHash: string | null; featureSetVersion: string | null };

/** The one definition: a version is reproducible when its commit SHA, data snapshot hash and feature set version are known. */
export function reproducibility(v: LineageFields): { reproducible: boolean; missing: string[] } {
  const missing = [
    v.commitSha ? null : "commit SHA",
    v.dataHash ? null : "data snapshot hash",
    v.featureSetVersion ? null : "feature set version",
  ].filter((m): m is string => m !== null);
  return { reproducible: missing.length === 0, missing };
}

/** The newest report of each kind (reports are append-only; older ones stay but are superseded in views). */
export function currentReports<R extends { kind: string; createdAt: Date | string; id: string }>(reports: readonly R[]): R[] {
  const newest = new Map<string, R>();
  for (const r of reports) {
    const held = newest.get(r.kind);
    const t = new Date(r.createdAt).getTime();
    const ht = held ? new Date(held.createdAt).getTime() : -Infinity;
    if (!held || t > ht || (t === ht && r.id > held.id)) newest.set(r.kind, r);
  }
  return [...newest.values()];
}

// A quality named first wins: "precision_at_1pct_fpr" is a precision (higher is better), not a false-positive rate.
const HIGHER_IS_BETTER = /^(auc|roc|pr_auc|precision|recall|accuracy|f1|f_beta|ndcg|map|mrr|ctr|tpr|true_positive|r2|hit|coverage|throughput)/i;
/** Whether a report shows a problem at a glance: failed tests or checks, critical or high security findings. */
export function reportHasProblem(report: { kind: string; payload: unknown }): boolean {
  const p = report.payload as Record<string, unknown>;
  if (report.kind === "tests") return (p.suites as { failed: number }[]).some((s) => s.failed > 0);
  if (report.kind === "data-validation") return (p.checks as { passed: boolean }[]).some((c) => !c.passed);
  if (report.kind === "security-scan") return (p.findings as { severity: string }[]).some((f) => f.severity === "critical" || f.severity === "high");
  return false;
}

const LOWER_IS_BETTER = /(loss|error|err|latency|rmse|mae|mse|mape|brier|fpr|false_positive|duration|time)/i;

/** Which way a metric improves: as stated by the report, else by its name. */
export function metricDirection(name: string, stated?: Record<string, "higher" | "lower">): "higher" | "lower" {
  if (stated?.[name]) return stated[name];
  if (HIGHER_IS_BETTER.test(name)) return "higher";
  return LOWER_IS_BETTER.test(name) ? "lower" : "higher";
}

/** A challenger-minus-champion delta and whether it is better, worse or the same for that metric. */
export function compareMetric(name: string, challenger: number, champion: number, stated?: Record<string, "higher" | "lower">) {
  const delta = challenger - champion;
  const direction = metricDirection(name, stated);
  const verdict = delta === 0 ? "same" : (delta > 0) === (direction === "higher") ? "better" : "worse";
  return { delta, direction, verdict } as const;
}
