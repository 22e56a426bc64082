import type { Alternative } from "./mann-whitney";

/**
 * Exact p-values of the two-sample Kolmogorov-Smirnov test, as SciPy's _attempt_exact_2kssamp computes them.
 *
 * The statistic is first rounded onto the lattice h / lcm(n₁, n₂) (every possible value of D lies on it), and the
 * p-value counts monotone lattice paths from (0, 0) to (n₁, n₂):
 * - two-sided, n₁ = n₂ = n: P(D ≥ h/n) by the alternating sum of Hodges (1958) in Horner form;
 * - two-sided, n₁ ≠ n₂: the probability that a uniformly random path leaves the band |x/n₁ − y/n₂| < h/lcm, computed
 *   row by row as probabilities so nothing overflows;
 * - one-sided, n₁ = n₂: C(2n, n−h) / C(2n, n) as the product Π_{j<h} (n − j)/(n + j + 1);
 * - one-sided, n₁ ≠ n₂: the number of paths that cross the line once (Hodges' treatment of Drion, Gnedenko and
 *   Korolyuk) divided by C(n₁ + n₂, n₁).
 * When a count would overflow a double (C(n₁ + n₂, n₁) > 1.8e308) or the result is not a probability, the exact
 * computation fails and the caller falls back to the asymptotic distribution, as SciPy does.
 * Reference: Hodges, J.L. Jr., "The Significance Probability of the Smirnov Two-Sample Test", Arkiv för Matematik 3
 * (1958) 469-486; scipy/stats/_stats_py.py.
 */

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** C(a, k) in floating point, by the product formula over the smaller of k and a − k (relative error ≈ 2k ulp). */
export function binomial(a: number, k: number): number {
  if (k < 0 || k > a) return 0;
  k = Math.min(k, a - k);
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (a - k + i)) / i;
  return r;
}

/** P(D_{n,n} ≥ h/n). */
export function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1.0;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1.0 - p);
  }
  return 2 * p;
}

/** The probability that a random lattice path from (0, 0) to (m, n) leaves the band |x/m − y/n| < h/lcm. */
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

/** The number of paths from (0, 0) to (m, n) that reach m·y ≤ n·x − h·g somewhere; null when it overflows. */
export function countPathsOutside(m0: number, n0: number, g: number, h: number): number | null {
  const [m, n] = m0 >= n0 ? [m0, n0] : [n0, m0];
  const total = binomial(m + n, n);
  // Every count below is at most the total, so nothing overflows when the total does not.
  if (!Number.isFinite(total)) return null;
  const mg = m / g;
  const ng = n / g;
  // Only the x where the boundary crosses an integer y matter: x_j = ⌈(h + mg·j)/ng⌉.
  const lxj = n + Math.floor((mg - h) / mg);
  if (lxj <= 0) return total;
  const xj = new Float64Array(lxj);
  for (let j = 0; j < lxj; j++) xj[j] = Math.floor((h + mg * j + ng - 1) / ng);
  // B[j]: paths from (0, 0) to (x_j, j) that do not touch the boundary before.
  const B = new Float64Array(lxj);
  B[0] = 1;
  for (let j = 1; j < lxj; j++) {
    let bj = binomial(xj[j] + j, j);
    for (let i = 0; i < j; i++) bj -= binomial(xj[j] - xj[i] + j - i, j - i) * B[i];
    B[j] = bj;
  }
  let paths = 0;
  for (let j = 0; j < lxj; j++) paths += B[j] * binomial(m - xj[j] + (n - j), n - j);
  return Number.isFinite(paths) ? paths : null;
}

/** Whether SciPy's exact method is possible at all: lcm(n₁, n₂) must fit a 32-bit integer. */
export function exactFeasible(n1: number, n2: number): boolean {
  const g = gcd(n1, n2);
  return n1 / g < 2147483647 / (n2 / g);
}

/**
 * The exact p-value for statistic d: `{ d, pvalue }` with d on the lattice, or `{ d, pvalue: null }` when the exact
 * computation fails (the caller then uses the asymptotic distribution with the lattice d, as SciPy does).
 */
export function ksExactPvalue(n1: number, n2: number, d: number, alternative: Alternative): { d: number; pvalue: number | null } {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = Math.round(d * lcm);
  const dl = h / lcm;
  if (h === 0) return { d: dl, pvalue: 1.0 };
  let p: number | null;
  if (alternative === "two-sided") {
    p = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideBand(n1, n2, g, h);
  } else if (n1 === n2) {
    p = 1;
    for (let j = 0; j < h; j++) p *= (n1 - j) / (n1 + j + 1);
  } else {
    const paths = countPathsOutside(n1, n2, g, h);
    const total = binomial(n1 + n2, n1);
    p = paths === null || paths > total ? null : paths / total;
  }
  if (p === null || !(p >= 0 && p <= 1)) return { d: dl, pvalue: null };
  return { d: dl, pvalue: p };
}
