/**
 * Gatehouse's statistics: pure functions, no I/O, each documented with its definition and reference, and tested
 * against SciPy, numpy and R values committed in lib/stats/fixtures (regenerate with make_fixtures.py).
 */
export { judgeMetric, scoreVerdict, type Bound, type MetricJudgeInput, type MetricJudgement, type MetricOutcome, type Side, type Verdict, type VerdictOutcome } from "./canary";
export { equalizedOddsRatio, parityRatio, type GroupRates } from "./fairness";
export { mannWhitneyU, type Alternative } from "./mann-whitney";
export { hodgesLehmannInterval } from "./hodges-lehmann";
export { KS_MAX_AUTO_N, ks2samp, type KsMethod, type KsResult } from "./ks";
export { kolmogorovSf } from "./kolmogorov";
export { erfc, normalCdf, normalQuantile, normalSf } from "./normal";
export { percentile } from "./percentile";
export { PSI_EPSILON, psi, psiEdges, psiFromShares } from "./psi";
export { rankAverage } from "./rank";
export { StatsInputError } from "./validate";
