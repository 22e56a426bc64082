// Metric ingest at a fixed rate, open loop: batch i leaves at start + i × interval whatever happened to the
// earlier ones (a pipeline does not wait for Gatehouse), each with its own Idempotency-Key. Every so often a batch
// that was acknowledged is sent again under its key, as a pipeline retries after a lost answer: it must be answered
// as a replay and stored once.
import { performance } from "node:perf_hooks";
import { C } from "./categories.mjs";
import { createClient } from "./http.mjs";

const METRICS = ["latency_p95_ms", "score"];
const GROUPS = ["A", "B", "C", "D"];
/** Distinct bodies, sent in turn under distinct keys (each stored again: raw points carry no uniqueness). */
const BODIES = 20;
const RETRY_EVERY = 20;

/** Batches of `size` points for the rollout's versions, spread over the last five minutes. */
function makeBodies({ size, versions, now }) {
  return Array.from({ length: BODIES }, (_, b) => {
    const items = Array.from({ length: size }, (_, i) => {
      const metric = METRICS[i % METRICS.length];
      return {
        version: versions[i % versions.length],
        metric,
        timestamp: new Date(now - 1_000 - ((i * 7919 + b * 104_729) % 299_000)).toISOString(),
        value: metric === "score" ? ((i * 31 + b) % 1000) / 1000 : 20 + ((i * 37 + b) % 180),
        dimensions: { group: GROUPS[i % GROUPS.length] },
      };
    });
    return Buffer.from(JSON.stringify({ items }));
  });
}

/**
 * Sends `pointsPerSecond` in batches of `batchSize` from now until `stopAt`, then waits for every answer.
 * Returns what was offered, acknowledged and replayed.
 */
export async function runIngest({ base, token, model, versions, pointsPerSecond, batchSize, stopAt, recorder }) {
  const interval = (1000 * batchSize) / pointsPerSecond;
  // Enough connections that a slow answer does not hold the next batch back.
  const client = createClient({ base, connections: 32, recorder, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } });
  const bodies = makeBodies({ size: batchSize, versions, now: Date.now() });
  const runId = Date.now().toString(36);
  const result = { batchSize, offeredBatches: 0, ackedBatches: 0, ackedPoints: 0, ackedInRunPoints: 0, retries: 0, replayed: 0, wrongAnswers: [] };
  const pending = [];
  const start = performance.now();

  const sendBatch = async (i) => {
    const key = `load-${runId}-${i}`;
    const body = bodies[i % BODIES];
    const res = await client.send({ method: "POST", path: `/api/v1/models/${model}/metrics`, body, headers: { "idempotency-key": key }, category: C.ingest, what: `batch ${i}` });
    if (res.status !== 200) return;
    const answer = res.json();
    if (answer.replayed || answer.accepted !== batchSize) {
      result.wrongAnswers.push(`batch ${i}: ${res.text().slice(0, 200)}`);
      return;
    }
    result.ackedBatches += 1;
    result.ackedPoints += batchSize;
    if (performance.now() <= stopAt) result.ackedInRunPoints += batchSize;
    if (i % RETRY_EVERY === 0) {
      result.retries += 1;
      const again = await client.send({ method: "POST", path: `/api/v1/models/${model}/metrics`, body, headers: { "idempotency-key": key }, category: C.replay, what: `batch ${i} again` });
      if (again.status === 200 && again.json().replayed === true && again.json().accepted === batchSize) result.replayed += 1;
    }
  };

  // Catch up at once after a late wake-up, so the offered rate is the schedule's, not the timer's.
  for (let i = 0; ; i++) {
    const due = start + i * interval;
    if (due >= stopAt) break;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    if (performance.now() >= stopAt) break;
    result.offeredBatches += 1;
    pending.push(sendBatch(i));
  }
  result.seconds = (stopAt - start) / 1000;
  await Promise.all(pending);
  client.close();
  result.offeredPoints = result.offeredBatches * batchSize;
  return result;
}
