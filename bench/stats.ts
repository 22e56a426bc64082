// `npm run bench:stats`: how long the statistics take on two samples of 100,000 values each (target: < 100 ms for
// ks2samp and mannWhitneyU, per the statistics issue). Prints figures; asserts nothing.
import { hodgesLehmannInterval, mannWhitneyU, psi } from "../lib/stats";
import { ksStatistic } from "../lib/stats/ks";
import { lcgUniform } from "../lib/stats/testing";

const x = lcgUniform(1, 100_000, 3);
const y = lcgUniform(2, 100_000, 3).map((v) => v + 0.001);

function time(label: string, fn: () => unknown, runs = 5) {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label.padEnd(44)} median ${ms[Math.floor(runs / 2)].toFixed(1).padStart(7)} ms   min ${ms[0].toFixed(1).padStart(7)} ms`);
}

console.log(`node ${process.version}, 2 × 100,000 values`);
time("mannWhitneyU", () => mannWhitneyU(x, y));
time("ks2samp statistic (p-value: exact ≤ 10,000)", () => ksStatistic(x, y));
time("psi (10 quantile bins)", () => psi(x, y));
time("hodgesLehmannInterval (10,000 each)", () => hodgesLehmannInterval(x.slice(0, 10_000), y.slice(0, 10_000)), 3);
