import { ksExactPvalue, exactFeasible } from "./ks-exact";
import { kolmogorovSf } from "./kolmogorov";
import type { Alternative } from "./mann-whitney";
import { StatsInputError, finiteSample } from "./validate";

export type KsMethod = "auto" | "exact" | "asymp";

export interface KsResult {
  /** D for two-sided, D⁺ = max(F₁ − F₂) for "greater", D⁻ = max(F₂ − F₁) for "less". */
  statistic: number;
  pvalue: number;
  /** The value at which the empirical CDFs are furthest apart (SciPy's statistic_location). */
  statisticLocation: number;
  /** +1 when F₁ − F₂ is largest there, −1 when F₂ − F₁ is (SciPy's statistic_sign). */
  statisticSign: 1 | -1;
  /** The p-value's method after SciPy's choice and fallback. */
  method: "exact" | "asymp";
}

/** SciPy's "auto" computes exactly while both samples hold at most this many values. */
export const KS_MAX_AUTO_N = 10_000;

/**
 * Two-sample Kolmogorov-Smirnov test, as scipy.stats.ks_2samp(a, b, alternative, method) computes it.
 *
 * Statistic: with F₁, F₂ the right-continuous empirical CDFs over the pooled values, D⁺ = max(F₁ − F₂),
 * D⁻ = max(0, max(F₂ − F₁)), and D = max(D⁺, D⁻), reported with sign +1 when they tie, as in SciPy.
 * p-value:
 * - method "auto" (default): exact when max(n₁, n₂) ≤ 10,000, asymptotic otherwise;
 * - exact (ks-exact.ts): lattice path counts; if that fails (overflow), the asymptotic value with D on the lattice;
 * - asymptotic, two-sided: the one-sample distribution with n = round(n₁n₂/(n₁+n₂)) (half to even), i.e.
 *   kstwo.sf(D, n) (kolmogorov.ts);
 * - asymptotic, one-sided: Hodges' (1958) eq. 5.3, exp(−2z² − 2z(m + 2n)/√(mn(m+n))/3) with z = D√(mn/(m+n)) and m
 *   the larger sample.
 * The p-value is clipped to [0, 1]. Reference: scipy/stats/_stats_py.py (SciPy 1.17), checked against it in the
 * fixtures, including samples beyond 10,000 values.
 */
export function ks2samp(a: readonly number[], b: readonly number[], opts: { alternative?: Alternative; method?: KsMethod } = {}): KsResult {
  const alternative = opts.alternative ?? "two-sided";
  const method = opts.method ?? "auto";
  if (!["two-sided", "less", "greater"].includes(alternative)) throw new StatsInputError(`alternative is "${alternative}"; use two-sided, less or greater`);
  if (!["auto", "exact", "asymp"].includes(method)) throw new StatsInputError(`method is "${method}"; use auto, exact or asymp`);
  const s = ksStatistic(a, b);
  const n1 = a.length;
  const n2 = b.length;
  const useMinus = alternative === "less" || (alternative === "two-sided" && s.dMinus > s.dPlus);
  let d = useMinus ? s.dMinus : s.dPlus;
  const statisticLocation = useMinus ? s.minLocation : s.maxLocation;

  let mode: "exact" | "asymp" = method === "auto" ? (Math.max(n1, n2) <= KS_MAX_AUTO_N ? "exact" : "asymp") : method;
  if (mode === "exact" && !exactFeasible(n1, n2)) mode = "asymp";
  let pvalue: number | null = null;
  if (mode === "exact") {
    const exact = ksExactPvalue(n1, n2, d, alternative);
    d = exact.d;
    pvalue = exact.pvalue;
    if (pvalue === null) mode = "asymp";
  }
  if (pvalue === null) {
    const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
    const en = (m * n) / (m + n);
    if (alternative === "two-sided") pvalue = kolmogorovSf(roundHalfEven(en), d);
    else {
      const z = Math.sqrt(en) * d;
      pvalue = Math.exp(-2 * z * z - (2 * z * (m + 2 * n)) / Math.sqrt(m * n * (m + n)) / 3);
    }
  }
  return { statistic: d, pvalue: Math.min(1, Math.max(0, pvalue)), statisticLocation, statisticSign: useMinus ? -1 : 1, method: mode };
}

function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * D⁺ = max(F₁ − F₂), D⁻ = clip(−min(F₁ − F₂), 0, 1), D = the larger, and where each is reached: the first pooled value
 * in SciPy's order (all of the first sample's sorted values, then the second's) at which F₁ − F₂ takes its extreme.
 */
export function ksStatistic(a: readonly number[], b: readonly number[]) {
  finiteSample("a", a);
  finiteSample("b", b);
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  const n1 = x.length;
  const n2 = y.length;
  let i = 0;
  let j = 0;
  // Extremes among values present in the first sample, and among values present in the second.
  let maxA = -Infinity;
  let maxAt = NaN;
  let maxB = -Infinity;
  let maxBt = NaN;
  let minA = Infinity;
  let minAt = NaN;
  let minB = Infinity;
  let minBt = NaN;
  // Walk the pooled values in order; after all copies of a value are counted on both sides, compare the CDFs.
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && x[i] <= y[j]) ? x[i] : y[j];
    const i0 = i;
    const j0 = j;
    while (i < n1 && x[i] === v) i++;
    while (j < n2 && y[j] === v) j++;
    const diff = i / n1 - j / n2;
    if (i > i0) {
      if (diff > maxA) [maxA, maxAt] = [diff, v];
      if (diff < minA) [minA, minAt] = [diff, v];
    }
    if (j > j0) {
      if (diff > maxB) [maxB, maxBt] = [diff, v];
      if (diff < minB) [minB, minBt] = [diff, v];
    }
  }
  const dPlus = Math.max(maxA, maxB);
  const minDiff = Math.min(minA, minB);
  const dMinus = Math.min(Math.max(-minDiff, 0), 1);
  return {
    d: dMinus > dPlus ? dMinus : dPlus,
    dPlus,
    dMinus,
    maxLocation: maxA === dPlus ? maxAt : maxBt,
    minLocation: minA === minDiff ? minAt : minBt,
  };
}
