import { finiteNumber, finiteSample } from "./validate";

/**
 * The p-th percentile (0 ≤ p ≤ 100) by linear interpolation between closest ranks: numpy.percentile's default
 * (method="linear", Hyndman & Fan type 7). For sorted v of length n: h = (n − 1)·p/100, result
 * v[⌊h⌋] + (h − ⌊h⌋)·(v[⌊h⌋+1] − v[⌊h⌋]).
 */
export function percentile(values: readonly number[], p: number): number {
  finiteSample("values", values);
  finiteNumber("p", p, [0, 100]);
  return percentileOfSorted(Float64Array.from(values).sort(), p);
}

export function percentileOfSorted(sorted: Float64Array, p: number): number {
  const h = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  // numpy's _lerp: from the nearer neighbour, so the result is exact at both ends.
  const t = h - lo;
  const a = sorted[lo];
  const b = sorted[hi];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}
