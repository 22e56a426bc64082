import { finiteSample } from "./validate";

/**
 * Two-sample Kolmogorov-Smirnov, as scipy.stats.ks_2samp computes it (method "auto").
 *
 * Statistic: D = max over the pooled values v of |F₁(v) − F₂(v)| with F the empirical CDFs (right-continuous).
 * p-value, exact branch (SciPy's "auto" uses it when max(n₁, n₂) ≤ 10,000): D is rounded onto the lattice
 * h / lcm(n₁, n₂) and P(D ≥ d) counted over lattice paths: for n₁ = n₂ by the alternating binomial sum in Horner form
 * (Hodges 1958), otherwise by the probability that a uniformly random path leaves the band |x/m − y/n| < h/lcm
 * (SciPy's _compute_outer_prob_inside_method). The asymptotic branch for larger samples (SciPy: kstwo.sf(D, round(en)))
 * is still to be ported; see the statistics issue.
 */

/** D, F₁ − F₂ at its largest and smallest, on sorted samples. */
export function ksStatistic(a: readonly number[], b: readonly number[]): { d: number; dPlus: number; dMinus: number } {
  finiteSample("a", a);
  finiteSample("b", b);
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  const n1 = x.length;
  const n2 = y.length;
  let i = 0;
  let j = 0;
  let maxDiff = -Infinity;
  let minDiff = Infinity;
  // Walk the pooled values in order; after all copies of a value are counted on both sides, compare the CDFs.
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && x[i] <= y[j]) ? x[i] : y[j];
    while (i < n1 && x[i] === v) i++;
    while (j < n2 && y[j] === v) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxDiff) maxDiff = diff;
    if (diff < minDiff) minDiff = diff;
  }
  const dPlus = maxDiff;
  const dMinus = Math.min(Math.max(-minDiff, 0), 1);
  return { d: dMinus > dPlus ? dMinus : dPlus, dPlus, dMinus };
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** P(D_{n,n} ≥ h/n), SciPy's _compute_prob_outside_square. */
export function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1.0;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1.0 - p);
  }
  return 2 * p;
}

/** The probability that a random lattice path from (0,0) to (m,n) leaves the band, SciPy's _compute_outer_prob_inside_method. */
export function probOutsideBand(m0: number, n0: number, g: number, h: number): number {
  const [m, n] = m0 >= n0 ? [m0, n0] : [n0, m0];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1.0;
    let val = minj === 0 ? 0.0 : 1.0;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj] * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return A[maxj - minj - 1];
}

/** The exact two-sided p-value for statistic d, as SciPy's _attempt_exact_2kssamp: null when it cannot be computed. */
export function ksExactTwoSided(n1: number, n2: number, d: number): { d: number; pvalue: number } | null {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = Math.round(d * lcm);
  const dl = h / lcm;
  if (h === 0) return { d: dl, pvalue: 1.0 };
  const p = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideBand(n1, n2, g, h);
  if (!(p >= 0 && p <= 1)) return null;
  return { d: dl, pvalue: p };
}
