// Figure 4: live-metric ingest, points per second sustained over `seconds` of batches of 5,000 on `concurrency`
// keep-alive connections (what the rollout issue asked of one instance: ≥ 50,000/s). Was bench/ingest.ts.
import { performance } from "node:perf_hooks";
import { createClient } from "../../scripts/lib/load/http.mjs";
import { row } from "./figures.mjs";

/** Distinct batches made up front, so the sender spends its time sending: 5 metrics × 4 groups × 5 minutes. */
export function makeBatches(n, size, now, version = 1) {
  const metrics = ["latency_ms", "score", "live_auc", "error", "ctr_click"];
  return Array.from({ length: n }, (_, b) => {
    const items = Array.from({ length: size }, (_, i) => ({
      version,
      metric: metrics[i % metrics.length],
      timestamp: new Date(now - ((i * 7919 + b * 104_729) % 300_000)).toISOString(),
      value: ((i * 31 + b) % 1000) / 10,
      dimensions: { group: "ABCD"[i % 4] },
    }));
    return JSON.stringify({ items });
  });
}

async function once({ base, token, model, seconds, batch, concurrency, batches }) {
  const client = createClient({ base, connections: concurrency, headers: { authorization: `Bearer ${token}` } });
  let acked = 0;
  let sent = 0;
  const problems = [];
  const started = performance.now();
  const stopAt = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < stopAt) {
        const body = batches[sent++ % batches.length];
        const res = await client.send({ method: "POST", path: `/api/v1/models/${model}/metrics`, body, keepBody: true });
        if (res.status === 200 || res.status === 201 || res.status === 202) acked += JSON.parse(res.text()).accepted ?? batch;
        else if (problems.length < 3) problems.push(`${res.status}: ${res.text().slice(0, 200)}`);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  client.close();
  return { perSecond: acked / elapsed, problems };
}

/** Into `model`, items for `version` (one that accepts metrics: its champion or a rollout's). */
export async function measureIngest({ base, token, model, version, seconds, runs, log, batch = 5_000, concurrency = 4 }) {
  const batches = makeBatches(20, batch, Date.now(), version);
  log(`ingest: ${runs} × ${seconds} s of batches of ${batch.toLocaleString("en")} on ${concurrency} connections…`);
  await once({ base, token, model, seconds: 1, batch, concurrency, batches }); // warm-up
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await once({ base, token, model, seconds, batch, concurrency, batches }));
  const failure = results.flatMap((r) => r.problems).slice(0, 2).join("; ") || null;
  return [row({ section: "ingest", name: `points/s sustained (batches of ${batch.toLocaleString("en")}, ${seconds} s)`, unit: "points/s", runs: results.map((r) => r.perSecond), digits: 0, target: { atLeast: 50_000 }, failure })];
}
