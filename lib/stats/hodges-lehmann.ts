import { normalQuantile } from "./normal";
import { rankAverage } from "./rank";
import { StatsInputError, finiteNumber, finiteSample } from "./validate";
import { zeroin } from "./zeroin";

/**
 * The Hodges-Lehmann estimate of the shift between x and y with its confidence interval, as R computes them in
 * wilcox.test(x, y, conf.int = TRUE, exact = FALSE, correct = TRUE) (the procedure Netflix's Kayenta ports for
 * canary judgement).
 *
 * For a shift d, W(d) is the standardised Wilcoxon rank-sum statistic of (x − d) against y:
 * (R₁ − n₁(n₁+1)/2 − n₁n₂/2 − c) / σ, with average ranks for ties, σ as in the Mann-Whitney test and c the
 * continuity correction sign(·)·½ (none for the estimate). The interval's ends are the roots of W(d) = ±z₁₋α/₂ and the
 * estimate the root of W(d) = 0, found by R's own Brent iteration (zeroin) with tolerance 1e-4 on
 * [min(x) − max(y), max(x) − min(y)]; an end whose root lies outside that range is the range's end, as in R.
 * Agreement with R is therefore to 1e-4, R's root-finding tolerance.
 */
export function hodgesLehmannInterval(x: readonly number[], y: readonly number[], confidence = 0.95): { estimate: number; lower: number; upper: number } {
  finiteSample("x", x);
  finiteSample("y", y);
  finiteNumber("confidence", confidence, [0, 1]);
  if (!(confidence > 0 && confidence < 1)) throw new StatsInputError(`confidence is ${confidence}; it must be strictly between 0 and 1`);
  const nx = x.length;
  const ny = y.length;
  const pooled = new Float64Array(nx + ny);
  pooled.set(y, nx);
  const w = (d: number, zq: number, correct: boolean) => {
    for (let i = 0; i < nx; i++) pooled[i] = x[i] - d;
    const { ranks, tieSizes } = rankAverage(pooled);
    let r1 = 0;
    for (let i = 0; i < nx; i++) r1 += ranks[i];
    const dz = r1 - (nx * (nx + 1)) / 2 - (nx * ny) / 2;
    const correction = correct ? Math.sign(dz) * 0.5 : 0;
    const n = nx + ny;
    const ties = tieSizes.reduce((s, t) => s + (t * t * t - t), 0);
    const sigma = Math.sqrt(((nx * ny) / 12) * (n + 1 - ties / (n * (n - 1))));
    if (sigma === 0) throw new StatsInputError("x and y are all one value; no confidence interval can be computed");
    return (dz - correction) / sigma - zq;
  };
  const mumin = Math.min(...x) - Math.max(...y);
  const mumax = Math.max(...x) - Math.min(...y);
  const root = (zq: number) => {
    const fLower = w(mumin, zq, true);
    if (fLower <= 0) return mumin;
    const fUpper = w(mumax, zq, true);
    if (fUpper >= 0) return mumax;
    return zeroin((d) => w(d, zq, true), mumin, mumax, fLower, fUpper, 1e-4);
  };
  const alpha = 1 - confidence;
  const lower = root(normalQuantile(1 - alpha / 2));
  const upper = root(normalQuantile(alpha / 2));
  const estimate = zeroin((d) => w(d, 0, false), mumin, mumax, w(mumin, 0, false), w(mumax, 0, false), 1e-4);
  return { estimate, lower, upper };
}
