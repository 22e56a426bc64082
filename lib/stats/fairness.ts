import { StatsInputError, finiteNumber } from "./validate";

/**
 * Demographic parity ratio: the smallest group rate divided by the largest (fairlearn's
 * demographic_parity_ratio takes it over selection rates). 1 means parity. When every rate is 0 the ratio is
 * defined as 1 (no group is favoured) rather than 0/0.
 */
export function parityRatio(rates: readonly number[]): number {
  if (!Array.isArray(rates) || rates.length < 2) throw new StatsInputError("rates must hold at least two group rates");
  rates.forEach((r, i) => finiteNumber(`rates[${i}]`, r, [0, 1]));
  const max = Math.max(...rates);
  return max === 0 ? 1 : Math.min(...rates) / max;
}

export type GroupRates = { truePositiveRate: number; falsePositiveRate: number };

/**
 * Equalized-odds ratio as fairlearn defines it: the smaller of the true-positive-rate ratio and the
 * false-positive-rate ratio, each the smallest group rate over the largest (each 1 when all its rates are 0).
 */
export function equalizedOddsRatio(groups: readonly GroupRates[]): number {
  if (!Array.isArray(groups) || groups.length < 2) throw new StatsInputError("groups must hold at least two groups");
  groups.forEach((g, i) => {
    finiteNumber(`groups[${i}].truePositiveRate`, g?.truePositiveRate, [0, 1]);
    finiteNumber(`groups[${i}].falsePositiveRate`, g?.falsePositiveRate, [0, 1]);
  });
  return Math.min(parityRatio(groups.map((g) => g.truePositiveRate)), parityRatio(groups.map((g) => g.falsePositiveRate)));
}
