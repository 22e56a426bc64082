import { normalSf } from "./normal";
import { rankAverage } from "./rank";
import { StatsInputError, finiteSample } from "./validate";

export type Alternative = "two-sided" | "less" | "greater";

/**
 * Mann-Whitney U test, as scipy.stats.mannwhitneyu(x, y, alternative, method="asymptotic", use_continuity=True).
 *
 * U₁ = R₁ − n₁(n₁+1)/2 with R₁ the sum of x's ranks among all values (ties get average ranks); the statistic returned
 * is U₁. With U = U₁ ("greater"), U₂ = n₁n₂ − U₁ ("less") or max(U₁, U₂) ("two-sided", p doubled),
 * z = (U − n₁n₂/2 − ½) / σ, σ = √(n₁n₂/12 · ((n+1) − Σ(t³−t)/(n(n−1)))) over tie groups t, and p = P(Z > z),
 * clipped to [0, 1]. When every value is the same (σ = 0) there is no evidence of a shift: z = −∞ and p = 1, as in SciPy.
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[], opts: { alternative?: Alternative } = {}): { statistic: number; pvalue: number } {
  finiteSample("x", x);
  finiteSample("y", y);
  const alternative = opts.alternative ?? "two-sided";
  if (!["two-sided", "less", "greater"].includes(alternative)) throw new StatsInputError(`alternative is "${alternative}"; use two-sided, less or greater`);
  const n1 = x.length;
  const n2 = y.length;
  const all = new Float64Array(n1 + n2);
  all.set(x);
  all.set(y, n1);
  const { ranks, tieSizes } = rankAverage(all);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i];
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const n = n1 + n2;
  const tieTerm = tieSizes.reduce((s, t) => s + (t * t * t - t), 0);
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  const u = alternative === "greater" ? u1 : alternative === "less" ? u2 : Math.max(u1, u2);
  const z = (u - (n1 * n2) / 2 - 0.5) / sigma;
  const p = normalSf(z) * (alternative === "two-sided" ? 2 : 1);
  if (Number.isNaN(p)) throw new StatsInputError("the test statistic is undefined for these samples");
  return { statistic: u1, pvalue: Math.min(1, Math.max(0, p)) };
}
