import { percentileOfSorted } from "./percentile";
import { StatsInputError, finiteNumber, finiteSample } from "./validate";

/**
 * Population Stability Index.
 *
 * PSI = Σᵢ (aᵢ − eᵢ)·ln(aᵢ / eᵢ) over bins, where eᵢ and aᵢ are the shares of the expected (reference) and actual
 * (current) samples in bin i. Bins come from the expected sample's quantiles (`bins` equal-frequency bins, default
 * 10, cut at numpy-linear percentiles; repeated cut points are merged) or from given `edges`. The outer bins are open
 * to −∞ and +∞ so no value is dropped; bin i holds values v with edgeᵢ₋₁ < v ≤ edgeᵢ. An empty bin's share is replaced
 * by EPSILON (1e-4) so the logarithm stays finite. Common reading: < 0.1 stable, 0.1–0.25 moderate, > 0.25 major shift.
 * Reference: Siddiqi, "Credit Risk Scorecards" (2006); the fixtures compute the same definition with numpy.
 */
export const PSI_EPSILON = 1e-4;

export function psiFromShares(expectedShares: readonly number[], actualShares: readonly number[]): number {
  finiteSample("expectedShares", expectedShares);
  finiteSample("actualShares", actualShares);
  if (expectedShares.length !== actualShares.length) {
    throw new StatsInputError(`expectedShares has ${expectedShares.length} bins but actualShares has ${actualShares.length}; they must match`);
  }
  let total = 0;
  for (let i = 0; i < expectedShares.length; i++) {
    const e = Math.max(expectedShares[i], PSI_EPSILON);
    const a = Math.max(actualShares[i], PSI_EPSILON);
    for (const [name, shares] of [["expectedShares", expectedShares], ["actualShares", actualShares]] as const) {
      if (shares[i] < 0) throw new StatsInputError(`${name}[${i}] is ${shares[i]}; a share must not be negative`);
    }
    total += (a - e) * Math.log(a / e);
  }
  return total;
}

/** The cut points between bins: given edges, or the expected sample's quantiles. */
export function psiEdges(expected: readonly number[], opts: { bins?: number; edges?: readonly number[] } = {}): number[] {
  if (opts.edges) {
    finiteSample("edges", opts.edges);
    for (let i = 1; i < opts.edges.length; i++) {
      if (!(opts.edges[i] > opts.edges[i - 1])) throw new StatsInputError("edges must be strictly increasing");
    }
    return [...opts.edges];
  }
  const bins = finiteNumber("bins", opts.bins ?? 10, [2, 1_000]);
  if (!Number.isInteger(bins)) throw new StatsInputError(`bins is ${bins}; it must be a whole number`);
  if (!Number.isInteger(bins)) throw new StatsInputError(`bins is ${bins}; it must be a whole number`);
  const sorted = Float64Array.from(expected).sort();
  const cuts: number[] = [];
  for (let i = 1; i < bins; i++) {
    const c = percentileOfSorted(sorted, (100 * i) / bins);
    if (cuts.length === 0 || c > cuts[cuts.length - 1]) cuts.push(c);
  }
  return cuts;
}

function shares(values: readonly number[], cuts: readonly number[]): number[] {
  const counts = new Array<number>(cuts.length + 1).fill(0);
  for (const v of values) {
    // First bin whose upper edge is ≥ v (binary search); beyond the last edge: the open top bin.
    let lo = 0;
    let hi = cuts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cuts[mid] >= v) hi = mid;
      else lo = mid + 1;
    }
    counts[lo] += 1;
  }
  return counts.map((c) => c / values.length);
}

export function psi(expected: readonly number[], actual: readonly number[], opts: { bins?: number; edges?: readonly number[] } = {}): number {
  finiteSample("expected", expected);
  finiteSample("actual", actual);
  const cuts = psiEdges(expected, opts);
  return psiFromShares(shares(expected, cuts), shares(actual, cuts));
}
