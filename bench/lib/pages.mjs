// Figures 2 and 3: server response times of the dashboard's pages (signed in, whole HTML received) and of the
// rollout chart's data. Requests go one after another, so each figure is the server's time for one page, not a
// queue's.
import { performance } from "node:perf_hooks";
import { percentile, row } from "./figures.mjs";

const WARM_UP = 3;

/** Times `n` GETs of `path` by `client` (scripts/lib/load/http.mjs); each answer must be 200 and contain `expect`. */
async function time(client, path, n, expect) {
  for (let i = 0; i < WARM_UP; i++) await client.send({ path });
  const ms = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const res = await client.send({ path });
    ms.push(performance.now() - started);
    if (res.status !== 200) return { ms, failure: `GET ${path} answered ${res.status}: ${res.text().slice(0, 200)}` };
    if (expect && !res.text().includes(expect)) return { ms, failure: `GET ${path} did not show "${expect}"` };
  }
  return { ms, failure: null };
}

/** `pages`: [{ name, path, client, expect }]. Rows: p50 and p95 per page, the median of `runs` runs of `requests`. */
export async function measurePages({ pages, requests, runs, log }) {
  const rows = [];
  for (const p of pages) {
    log(`pages: ${p.name} (${p.path}), ${runs} × ${requests} requests…`);
    const p50 = [];
    const p95 = [];
    let failure = null;
    for (let i = 0; i < runs && !failure; i++) {
      const r = await time(p.client, p.path, requests, p.expect);
      failure = r.failure;
      p50.push(percentile(r.ms, 0.5));
      p95.push(percentile(r.ms, 0.95));
    }
    rows.push(
      row({ section: "pages", name: `${p.name}: p50`, unit: "ms", runs: p50, failure }),
      row({ section: "pages", name: `${p.name}: p95`, unit: "ms", runs: p95, target: { atMost: 150 }, failure, note: p.note ?? "" }),
    );
  }
  return rows;
}

/** The rollout chart's data for the whole rollout: one metric, ~1,000 points a line out of `total` minute buckets. */
export async function measureChart({ client, rolloutId, metric, requests, runs, log }) {
  const path = `/api/v1/rollouts/${rolloutId}/series?metric=${metric}&range=all`;
  const first = await client.send({ path });
  if (first.status !== 200) throw new Error(`GET ${path} answered ${first.status}: ${first.text().slice(0, 300)}`);
  const series = first.json();
  const points = series.challenger.points.length;
  // The figure is for a long series brought down to a chart's worth: check it is one.
  const shapeFailure = series.challenger.total <= points || points > 1_000 || points < 2 ? `the series has ${points} points from ${series.challenger.total} buckets: not a downsampled long series` : null;
  log(`chart: ${path}, ${runs} × ${requests} requests…`);
  const p50 = [];
  const p95 = [];
  let failure = shapeFailure;
  for (let i = 0; i < runs && !failure; i++) {
    const r = await time(client, path, requests, null);
    failure = r.failure;
    p50.push(percentile(r.ms, 0.5));
    p95.push(percentile(r.ms, 0.95));
  }
  const note = `challenger line: ${points} points from ${series.challenger.total.toLocaleString("en")} minute buckets`;
  return {
    rows: [
      row({ section: "chart", name: "rollout series, whole rollout: p50", unit: "ms", runs: p50, failure }),
      row({ section: "chart", name: "rollout series, whole rollout: p95", unit: "ms", runs: p95, target: { atMost: 200 }, failure, note }),
    ],
    series,
  };
}
