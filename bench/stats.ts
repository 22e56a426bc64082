// `npm run bench:stats`: how long the statistics take on two samples of 100,000 values each (target: < 100 ms for
// ks2samp and mannWhitneyU, per the statistics issue). Prints figures; asserts nothing.
import { hodgesLehmannInterval, kolmogorovSf, ks2samp, mannWhitneyU, psi } from "../lib/stats";
import { lcgUniform } from "../lib/stats/testing";

const x = lcgUniform(1, 100_000, 3);
const y = lcgUniform(2, 100_000, 3).map((v) => v + 0.001);
const u = lcgUniform(3, 100_000);
const v = lcgUniform(4, 100_000);

function time(label: string, fn: () => unknown, runs = 5, targetMs?: number) {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const median = ms[Math.floor(runs / 2)];
  const verdict = targetMs === undefined ? "" : `   target < ${targetMs} ms: ${median < targetMs ? "met" : "MISSED"}`;
  console.log(`${label.padEnd(44)} median ${median.toFixed(1).padStart(7)} ms   min ${ms[0].toFixed(1).padStart(7)} ms${verdict}`);
}

console.log(`node ${process.version}, 2 × 100,000 values`);
time("mannWhitneyU", () => mannWhitneyU(x, y), 5, 100);
time("ks2samp (asymptotic p-value)", () => ks2samp(x, y), 5, 100);
time("ks2samp, no ties", () => ks2samp(u, v), 5, 100);
// The slowest p-value regions of kstwo.sf: Durbin's matrix at its largest for n = 50,000 (2 × 100,000 values).
time("kolmogorovSf worst case, n = 50,000 (Durbin)", () => kolmogorovSf(50_000, 0.999 * (1.4 / 50_000) ** (2 / 3)));
time("ks2samp exact, 10,000 vs 9,000", () => ks2samp(u.slice(0, 10_000), v.slice(0, 9_000)), 3);
time("psi (10 quantile bins)", () => psi(x, y));
time("hodgesLehmannInterval (10,000 each)", () => hodgesLehmannInterval(x.slice(0, 10_000), y.slice(0, 10_000)), 3);
