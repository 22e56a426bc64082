import { smirnovSf } from "./smirnov";
import { StatsInputError, finiteNumber } from "./validate";

/**
 * The two-sided Kolmogorov-Smirnov distribution: P(Dₙ ≥ x) for Dₙ = sup |Fₙ − F| with n observations, as
 * scipy.stats.kstwo.sf(x, n) computes it (scipy/stats/_ksstats.py, `_kolmogn` with cdf=False).
 *
 * The method per region follows Simard & L'Ecuyer (2011), "Computing the Two-Sided Kolmogorov-Smirnov Distribution",
 * J. Stat. Software 39(11), exactly as SciPy chooses it:
 * - n·x ≤ 1 or n·x ≥ n − 1: Ruben & Gambino's closed forms;
 * - x ≥ 0.5: 2·P(D⁺ₙ ≥ x), exact there (smirnov.ts);
 * - n ≤ 140: Durbin's matrix (Marsaglia, Tsang & Wang 2003) when n·x² ≤ 0.754693, Pomeranz's recursion (1974) when
 *   n·x² ≤ 4, else 2·P(D⁺ₙ ≥ x);
 * - n > 140: 0 when n·x² ≥ 370, 2·P(D⁺ₙ ≥ x) when n·x² ≥ 2.2, else 1 − CDF with the CDF from Durbin's matrix when
 *   n ≤ 100,000 and n·x^1.5 ≤ 1.4, and from the Pelz-Good asymptotic series (1976) otherwise.
 */

const E128 = 2 ** 128;
const EM128 = 2 ** -128;
const SQRT2PI = Math.sqrt(2 * Math.PI);
const LOG_2PI = Math.log(2 * Math.PI);
const MIN_LOG = -708;
const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
// B_{2j} / (2j (2j − 1)) for j = 8 … 1: Stirling's series, highest power first.
const STIRLING = [-2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4, -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2];

const clip = (p: number) => Math.min(1, Math.max(0, p));

/** p · 2^e without overflowing the intermediate power of two. */
function ldexp(p: number, e: number): number {
  while (e > 1000) {
    p *= 2 ** 1000;
    e -= 1000;
  }
  while (e < -1000) {
    p *= 2 ** -1000;
    e += 1000;
  }
  return p * 2 ** e;
}

/** log(n! / nⁿ) by Stirling's series, with n·log n removed up front so nothing cancels. */
export function logFactorialOverPower(n: number): number {
  const rn = 1 / n;
  const x = rn / n;
  let poly = 0;
  for (const c of STIRLING) poly = poly * x + c;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
}

function matmul(a: Float64Array, b: Float64Array, m: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k];
      if (aik === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] += aik * b[k * m + j];
    }
  }
  return out;
}

/** P(Dₙ ≤ d) by Durbin's matrix: the (k, k) entry of n!/nⁿ · Hⁿ, with d = (k − h)/n, scaled against overflow. */
export function kolmogorovCdfDurbin(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;
  let H: Float64Array<ArrayBuffer> = new Float64Array(m * m);
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - i + 1];
  for (let r = 0; r < m; r++) H[r * m] = v[r];
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c];

  let power: Float64Array<ArrayBuffer> = new Float64Array(m * m);
  for (let i = 0; i < m; i++) power[i * m + i] = 1;
  let expnt = 0;
  let hExpnt = 0;
  for (let nn = n; nn > 0; nn = Math.floor(nn / 2)) {
    if (nn % 2) {
      power = matmul(power, H, m);
      expnt += hExpnt;
    }
    H = matmul(H, H, m);
    hExpnt *= 2;
    if (Math.abs(H[(k - 1) * m + (k - 1)]) > E128) {
      for (let i = 0; i < H.length; i++) H[i] /= E128;
      hExpnt += 128;
    }
  }
  let p = power[(k - 1) * m + (k - 1)];
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < EM128) {
      p *= E128;
      expnt -= 128;
    }
  }
  return clip(ldexp(p, expnt));
}

function pomeranzBounds(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = half - 1 - ll - roundf - 1;
        j2 = half + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** P(Dₙ ≤ x) by Pomeranz's recursion: rows of Poisson-weighted convolutions, times n!, scaled against underflow. */
export function kolmogorovCdfPomeranz(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const npwrs = 2 * (ll + 1);
  // (g/n)^m/m!, (2g/n)^m/m!, ((1−2g)/n)^m/m!: Poisson probabilities without their normalising factor.
  const gpower = new Float64Array(npwrs);
  const twogpower = new Float64Array(npwrs);
  const onem2gpower = new Float64Array(npwrs);
  gpower[0] = twogpower[0] = onem2gpower[0] = 1;
  for (let m = 1; m < npwrs; m++) {
    gpower[m] = (gpower[m - 1] * (g / n)) / m;
    twogpower[m] = (twogpower[m - 1] * ((2 * g) / n)) / m;
    onem2gpower[m] = (onem2gpower[m - 1] * ((1 - 2 * g) / n)) / m;
  }
  let V0 = new Float64Array(npwrs);
  let V1 = new Float64Array(npwrs);
  V1[0] = 1;
  let V0s = 0;
  let V1s = 0;
  let expnt = 0;
  let [j1, j2] = pomeranzBounds(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [V0, V1] = [V1, V0];
    [V0s, V1s] = [V1s, V0s];
    V1.fill(0);
    [j1, j2] = pomeranzBounds(i, n, ll, ceilf, roundf);
    const pwrs = i === 1 || i === 2 * n + 1 ? gpower : i % 2 ? twogpower : onem2gpower;
    const ln2 = j2 - k1 + 1;
    if (ln2 > 0) {
      // The entries j1 … j2 of the full convolution of V0[k1 − V0s, +ln2) with pwrs[0, ln2).
      const base = k1 - V0s;
      const aLen = Math.min(ln2, npwrs - base);
      const bLen = Math.min(ln2, npwrs);
      const start = j1 - k1;
      const len = j2 - j1 + 1;
      let max = 0;
      for (let c = 0; c < len; c++) {
        const kk = start + c;
        let s = 0;
        for (let a = Math.max(0, kk - bLen + 1); a <= Math.min(kk, aLen - 1); a++) s += V0[base + a] * pwrs[kk - a];
        V1[c] = s;
        if (s > max) max = s;
      }
      if (max > 0 && max < EM128) {
        for (let c = 0; c < npwrs; c++) V1[c] *= E128;
        expnt -= 128;
      }
      V1s = V0s + j1 - k1;
    }
  }
  let ans = V1[n - V1s];
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > E128) {
      ans *= EM128;
      expnt += 128;
    }
    ans *= m;
  }
  return clip(ldexp(ans, expnt));
}

/** P(Dₙ ≤ x) by the Pelz-Good series: K₀ + K₁/√n + K₂/n + K₃/n^1.5 in z = x√n, in its small-z (theta) form. */
export function kolmogorovCdfPelzGood(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < MIN_LOG) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const K = [0, 0, 0, 0];
  // Horner over the odd integers m = 2k − 1 of Σ c(m) q^(m²).
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k >= 1; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qpower = q ** (8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i] * qpower + coeffs[i];
  }
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = (K[i] * q * SQRT2PI) / divisors[i];
  // The sums over all integers k for K₂ and K₃.
  q = Math.exp(-PI2 / 2 / z2);
  const sqrt3z = Math.sqrt(3) * z;
  let k2extra = 0;
  let k3extra = 0;
  for (let k = maxk; k >= 1; k--) {
    const k2 = k * k;
    const qk = q ** k2;
    const kpi = Math.PI * k;
    k2extra += k2 * qk;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qk;
  }
  K[2] += (k2extra * PI2 * SQRT2PI) / (-36 * z2 * z);
  K[3] += (k3extra * PI2 * SQRT2PI) / (216 * z6);
  return K[0] + K[1] / Math.sqrt(n) + K[2] / n + K[3] / n ** 1.5;
}

/** P(Dₙ ≥ x), scipy.stats.kstwo.sf(x, n). */
export function kolmogorovSf(n: number, x: number): number {
  if (!(Number.isInteger(n) && n > 0)) throw new StatsInputError(`n is ${n}; it must be a whole number of observations, at least 1`);
  finiteNumber("x", x);
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= i * (1 / n) * (2 * t - 1);
    } else cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    return clip(1 - cdf);
  }
  if (t >= n - 1) return clip(2 * (1 - x) ** n);
  if (x >= 0.5) return clip(2 * smirnovSf(n, x));
  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 0.754693) return clip(1 - kolmogorovCdfDurbin(n, x));
    if (nx2 <= 4) return clip(1 - kolmogorovCdfPomeranz(n, x));
    return clip(2 * smirnovSf(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip(2 * smirnovSf(n, x));
  const cdf = n <= 100_000 && n * x ** 1.5 <= 1.4 ? kolmogorovCdfDurbin(n, x) : kolmogorovCdfPelzGood(n, x);
  return clip(1 - clip(cdf));
}
