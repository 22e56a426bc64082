import { equalizedOddsRatio, ks2samp, parityRatio, psi, psiFromShares } from "@/lib/stats";
import type { GateOf } from "../schema";
import { cap, fmt, fmtAgainst, list, missingReport, newest, plural, type GateContext, type GateDetail, type GateStatus, type Outcome } from "./context";

/** Gates over distributions: data drift (PSI, KS) per feature and fairness across groups. */

type DriftFeature = { feature: string; reference?: number[]; current?: number[]; histogram?: { edges: number[]; reference: number[]; current: number[] } };
type FeatureDrift = { feature: string; critical: boolean; psi: number; ks: { statistic: number; pvalue: number } | null; breaches: string[]; unknown: string[] };

const shares = (counts: number[]) => {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total ? c / total : 0));
};

function measure(f: DriftFeature, g: GateOf<"drift">, critical: boolean): FeatureDrift {
  const limits = { ...pick(g), ...pick(g.features?.[f.feature] ?? {}) };
  const samples = f.reference && f.current;
  const value = samples ? psi(f.reference!, f.current!, { bins: g.bins ?? 10 }) : psiFromShares(shares(f.histogram!.reference), shares(f.histogram!.current));
  const ks = samples ? ks2samp(f.reference!, f.current!) : null;
  const breaches: string[] = [];
  const unknown: string[] = [];
  if (limits.psiMax !== undefined && value > limits.psiMax) breaches.push(`PSI ${fmtAgainst(value, limits.psiMax)} > ${fmt(limits.psiMax)}`);
  if (limits.ksMaxStatistic !== undefined || limits.ksMinPvalue !== undefined) {
    if (!ks) unknown.push("KS needs samples, not a histogram");
    else {
      if (limits.ksMaxStatistic !== undefined && ks.statistic > limits.ksMaxStatistic) breaches.push(`KS D ${fmtAgainst(ks.statistic, limits.ksMaxStatistic)} > ${fmt(limits.ksMaxStatistic)}`);
      if (limits.ksMinPvalue !== undefined && ks.pvalue < limits.ksMinPvalue) breaches.push(`KS p ${fmtAgainst(ks.pvalue, limits.ksMinPvalue)} < ${fmt(limits.ksMinPvalue)}`);
    }
  }
  return { feature: f.feature, critical, psi: value, ks: ks && { statistic: ks.statistic, pvalue: ks.pvalue }, breaches, unknown };
}

function pick(o: { psiMax?: number; ksMaxStatistic?: number; ksMinPvalue?: number }) {
  return Object.fromEntries(Object.entries({ psiMax: o.psiMax, ksMaxStatistic: o.ksMaxStatistic, ksMinPvalue: o.ksMinPvalue }).filter(([, v]) => v !== undefined)) as { psiMax?: number; ksMaxStatistic?: number; ksMinPvalue?: number };
}

/**
 * Drift per feature against the reference snapshot in the newest drift report. Critical features (all of them
 * unless the policy names some) fail the gate when past a limit; other features warn. A named critical feature the
 * report leaves out is missing evidence.
 */
export function driftGate(g: GateOf<"drift">, ctx: GateContext): Outcome {
  const r = newest(ctx.version, "drift");
  if (!r) return missingReport("drift", "drift against the reference data");
  const features = (r.payload as { features: DriftFeature[] }).features;
  const named = g.critical === "all" || g.critical === undefined ? null : g.critical;
  const perFeatureCritical = Object.entries(g.features ?? {}).filter(([, f]) => f.critical).map(([name]) => name);
  const everyFeatureCritical = g.critical === "all" || (named === null && perFeatureCritical.length === 0);
  const isCritical = (name: string) => everyFeatureCritical || (named ?? []).includes(name) || perFeatureCritical.includes(name);
  const measured = features.map((f) => measure(f, g, isCritical(f.feature) && g.features?.[f.feature]?.critical !== false));
  const absent = [...(named ?? []), ...perFeatureCritical].filter((name) => !features.some((f) => f.feature === name));
  const details: GateDetail[] = measured.map((m) => ({
    label: `${m.feature}${m.critical ? " (critical)" : ""}`,
    value: [`PSI ${fmt(m.psi)}`, m.ks ? `KS D ${fmt(m.ks.statistic)}, p ${fmt(m.ks.pvalue)}` : null, ...m.unknown].filter(Boolean).join("; "),
    status: m.breaches.length ? (m.critical ? "fail" : "warn") : m.unknown.length ? "warn" : "pass",
  }));
  const limitText = [g.psiMax !== undefined ? `PSI ≤ ${fmt(g.psiMax)}` : null, g.ksMaxStatistic !== undefined ? `KS D ≤ ${fmt(g.ksMaxStatistic)}` : null, g.ksMinPvalue !== undefined ? `KS p ≥ ${fmt(g.ksMinPvalue)}` : null].filter(Boolean).join(", ");
  const base = {
    observed: Object.fromEntries(measured.map((m) => [m.feature, { psi: m.psi, ks: m.ks }])),
    threshold: { psiMax: g.psiMax ?? null, ksMaxStatistic: g.ksMaxStatistic ?? null, ksMinPvalue: g.ksMinPvalue ?? null, features: g.features ?? null },
    evidence: [r.id],
    details,
  };
  const describe = (ms: FeatureDrift[]) => list(ms.map((m) => `${m.feature} (${m.breaches.join(", ")})`), 4);
  const criticalBreaches = measured.filter((m) => m.critical && m.breaches.length);
  if (criticalBreaches.length) return { ...base, status: "fail", summary: `Data drifted on ${plural(criticalBreaches.length, "critical feature")}: ${describe(criticalBreaches)}.` };
  if (absent.length) return { ...base, status: "missing-evidence", summary: `The drift report leaves out ${list(absent)}, which the policy treats as critical.` };
  const criticalUnknown = measured.filter((m) => m.critical && m.unknown.length);
  if (criticalUnknown.length) return { ...base, status: "missing-evidence", summary: `KS cannot be computed for ${list(criticalUnknown.map((m) => m.feature))}: the drift report has only histograms, and KS needs samples.` };
  const otherBreaches = measured.filter((m) => m.breaches.length);
  if (otherBreaches.length) return { ...base, status: "warn", summary: `No critical feature drifted, but ${plural(otherBreaches.length, "other feature")} did: ${describe(otherBreaches)}.` };
  const worst = [...measured].sort((a, b) => b.psi - a.psi)[0];
  return { ...base, status: "pass", summary: `No feature drifted past its limit (${limitText}); the largest PSI is ${fmt(worst.psi)} on ${worst.feature}.` };
}

type Group = { group: string; count: number; positiveRate: number; truePositiveRate?: number; falsePositiveRate?: number };

/** Parity ratio (and, when asked, the equalized-odds ratio) across the groups of the newest fairness report. */
export function fairnessGate(g: GateOf<"fairness">, ctx: GateContext): Outcome {
  const r = newest(ctx.version, "fairness", g.attribute ? (p) => p.attribute === g.attribute : undefined);
  if (!r) return missingReport(g.attribute ? `fairness (${g.attribute})` : "fairness", "fairness across groups");
  const { attribute, groups } = r.payload as { attribute: string; groups: Group[] };
  const minParity = g.minParityRatio ?? (g.minEqualizedOddsRatio === undefined ? 0.8 : undefined);
  const details: GateDetail[] = groups.map((x) => ({
    label: `${attribute} = ${x.group}`,
    value: [`${x.count} cases`, `positive rate ${fmt(x.positiveRate)}`, x.truePositiveRate !== undefined ? `TPR ${fmt(x.truePositiveRate)}` : null, x.falsePositiveRate !== undefined ? `FPR ${fmt(x.falsePositiveRate)}` : null].filter(Boolean).join(", "),
  }));
  const evidence = [r.id];
  const parity = parityRatio(groups.map((x) => x.positiveRate));
  const observed: Record<string, unknown> = { parityRatio: parity };
  const findings: { status: GateStatus; text: string }[] = [];
  if (minParity !== undefined) {
    const lo = groups.reduce((a, b) => (b.positiveRate < a.positiveRate ? b : a));
    const hi = groups.reduce((a, b) => (b.positiveRate > a.positiveRate ? b : a));
    const spread = `lowest ${lo.group} at ${fmt(lo.positiveRate)}, highest ${hi.group} at ${fmt(hi.positiveRate)}`;
    findings.push(parity < minParity ? { status: "fail", text: `The parity ratio across ${attribute} is ${fmt(parity)} (${spread}), below the required ${fmt(minParity)}` } : { status: "pass", text: `The parity ratio across ${attribute} is ${fmt(parity)} (${spread}), at least the required ${fmt(minParity)}` });
  }
  if (g.minEqualizedOddsRatio !== undefined) {
    const incomplete = groups.filter((x) => x.truePositiveRate === undefined || x.falsePositiveRate === undefined);
    if (incomplete.length) findings.push({ status: "missing-evidence", text: `the equalized-odds ratio needs true- and false-positive rates, which ${list(incomplete.map((x) => x.group))} lack` });
    else {
      const eo = equalizedOddsRatio(groups.map((x) => ({ truePositiveRate: x.truePositiveRate!, falsePositiveRate: x.falsePositiveRate! })));
      observed.equalizedOddsRatio = eo;
      findings.push({ status: eo < g.minEqualizedOddsRatio ? "fail" : "pass", text: `the equalized-odds ratio is ${fmt(eo)}, ${eo < g.minEqualizedOddsRatio ? "below" : "at least"} the required ${fmt(g.minEqualizedOddsRatio)}` });
    }
  }
  const status: GateStatus = findings.some((f) => f.status === "fail") ? "fail" : findings.some((f) => f.status === "missing-evidence") ? "missing-evidence" : "pass";
  const sentence = findings.map((f) => f.text).join("; ");
  return { status, summary: `${cap(sentence)}.`, observed, threshold: { minParityRatio: minParity ?? null, minEqualizedOddsRatio: g.minEqualizedOddsRatio ?? null }, evidence, details };
}
