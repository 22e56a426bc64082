// Figure 1: serving lookups (alias and routing) under 50 concurrent connections, next to a bare Node server with
// the same body, then again after an alias change: the new version must be served at the same speed (the
// snapshot was refreshed, not bypassed).
import { fork } from "node:child_process";
import autocannon from "autocannon";
import { row } from "./figures.mjs";

const CONNECTIONS = 50;
/** The headers a serving client reads, copied onto the bare server's answers. */
const COPIED = ["content-type", "etag", "cache-control"];

function blast({ url, headers = {}, seconds, expectBody }) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration: seconds, headers, ...(expectBody ? { expectBody } : {}) }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/**
 * One run's figures from its autocannon slices: requests per second over all of them, the median slice's p50 and
 * the worst slice's p99, and why it cannot count (errors, non-2xx, wrong bodies).
 */
function figures(slices) {
  const problems = [];
  const sum = (k) => slices.reduce((a, r) => a + (r[k] ?? 0), 0);
  if (sum("errors")) problems.push(`${sum("errors")} connection errors`);
  if (sum("timeouts")) problems.push(`${sum("timeouts")} timeouts`);
  if (sum("non2xx")) problems.push(`${sum("non2xx")} non-2xx answers`);
  if (sum("mismatches")) problems.push(`${sum("mismatches")} answers with another body`);
  const p50s = slices.map((r) => r.latency.p50).sort((a, b) => a - b);
  return { rps: slices.reduce((a, r) => a + r.requests.total, 0) / slices.reduce((a, r) => a + r.duration, 0), p50: p50s[p50s.length >> 1], p99: Math.max(...slices.map((r) => r.latency.p99)), problems };
}

/**
 * Gatehouse and the bare server in alternating 2-second slices, `seconds` each in all: a shared machine's speed
 * drifts over a minute, and measuring one after the other would compare two different machines.
 */
async function paired({ gatehouse, bare, seconds }) {
  const slices = Math.max(1, Math.round(seconds / 2));
  const each = Math.max(1, Math.round(seconds / slices));
  const g = [];
  const b = [];
  for (let i = 0; i < slices; i++) {
    g.push(await blast({ ...gatehouse, seconds: each }));
    if (bare) b.push(await blast({ ...bare, seconds: each }));
  }
  return { g: figures(g), b: bare ? figures(b) : null };
}

async function startBare({ port, body, headers }) {
  const child = fork(new URL("./bare-server.mjs", import.meta.url), [], { env: { ...process.env, BENCH_PORT: String(port), BENCH_BODY: body, BENCH_HEADERS: JSON.stringify(headers) }, stdio: "ignore" });
  await new Promise((resolve, reject) => {
    child.once("message", resolve);
    child.once("exit", (code) => reject(new Error(`the bare Node server exited (${code}) before listening on ${port}`)));
  });
  return { stop: () => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once("exit", resolve), child.kill("SIGTERM")))) };
}

/**
 * `mover` is a signed-in client (scripts/lib/load/http.mjs) allowed to move `alias` of `model`, which points at `version`. Returns table rows.
 */
export async function measureServing({ base, mover, token, model, alias, version, otherVersion, barePort, seconds, runs, log }) {
  const auth = { authorization: `Bearer ${token}` };
  const targets = [
    { name: "alias lookup", path: `/api/v1/models/${model}/aliases/${alias}` },
    { name: "routing lookup", path: `/api/v1/models/${model}/routing` },
  ];
  const rows = [];
  for (const t of targets) {
    const first = await fetch(base + t.path, { headers: auth });
    if (first.status !== 200) throw new Error(`GET ${t.path} answered ${first.status}: ${(await first.text()).slice(0, 300)}`);
    const body = await first.text();
    const headers = Object.fromEntries(COPIED.filter((h) => first.headers.get(h)).map((h) => [h, first.headers.get(h)]));
    const bare = await startBare({ port: barePort, body, headers });
    const g = [];
    const b = [];
    try {
      log(`serving: ${t.name} ${runs} × ${seconds} s at ${CONNECTIONS} connections, in 2 s slices alternating with the bare Node server…`);
      // Warm-up, not counted: JIT, the snapshot's first load, connection set-up (1 s left the first run ~half speed).
      await blast({ url: base + t.path, headers: auth, seconds: Math.min(3, seconds) });
      await blast({ url: `http://127.0.0.1:${barePort}/`, seconds: Math.min(3, seconds) });
      for (let i = 0; i < runs; i++) {
        const run = await paired({ gatehouse: { url: base + t.path, headers: auth }, bare: { url: `http://127.0.0.1:${barePort}/` }, seconds });
        g.push(run.g);
        b.push(run.b);
      }
    } finally {
      await bare.stop();
    }
    const failure = [...g, ...b].flatMap((f) => f.problems).join("; ") || null;
    rows.push(
      row({ section: "serving", name: `${t.name}: Gatehouse / bare Node`, unit: "", runs: g.map((f, i) => f.rps / b[i].rps), target: { atLeast: 0.5 }, digits: 3, failure }),
      row({ section: "serving", name: `${t.name}: Gatehouse`, unit: "req/s", runs: g.map((f) => f.rps), digits: 0, note: `bare Node: ${Math.round(b.map((f) => f.rps).sort((x, y) => x - y)[b.length >> 1]).toLocaleString("en")} req/s` }),
      row({ section: "serving", name: `${t.name}: p50`, unit: "ms", runs: g.map((f) => f.p50) }),
      row({ section: "serving", name: `${t.name}: p99`, unit: "ms", runs: g.map((f) => f.p99), target: { atMost: 25 }, note: `bare Node p99: ${b.map((f) => f.p99).sort((x, y) => x - y)[b.length >> 1]} ms` }),
    );
  }

  // The alias moves: lookups must show the new version within moments, from the snapshot, at the same speed.
  const target = targets[0];
  const moved = await mover.send({ method: "PUT", path: `/api/v1/models/${model}/aliases/${alias}`, body: { version: otherVersion, reason: "Benchmark: the serving cache must follow an alias move" } });
  if (moved.status !== 200) throw new Error(`moving ${model}@${alias} to v${otherVersion} answered ${moved.status}: ${moved.text().slice(0, 300)}`);
  const movedAt = performance.now();
  let seenMs = null;
  let servedBy = null;
  let body = null;
  while (performance.now() - movedAt < 10_000) {
    const res = await fetch(base + target.path, { headers: auth });
    const text = await res.text();
    if (res.status === 200 && JSON.parse(text).version === otherVersion) {
      seenMs = performance.now() - movedAt;
      servedBy = res.headers.get("x-gatehouse-served-by");
      body = text;
      break;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const after = [];
  if (body) {
    log(`serving: after moving ${model}@${alias} from v${version} to v${otherVersion}, ${runs} × ${seconds} s, every answer checked…`);
    for (let i = 0; i < runs; i++) after.push((await paired({ gatehouse: { url: base + target.path, headers: auth, expectBody: body }, seconds })).g);
  }
  const failure = !body ? `the lookup still answered v${version} 10 s after the move` : servedBy !== "snapshot" ? `answered by ${servedBy ?? "Next"}, not the snapshot: the cache was skipped` : after.flatMap((f) => f.problems).join("; ") || null;
  rows.push(
    row({ section: "serving", name: "after an alias move: new version seen in", unit: "ms", runs: seenMs === null ? [] : [seenMs], target: { atMost: 1000 }, failure, note: servedBy ? `then served by the ${servedBy}` : "" }),
    row({ section: "serving", name: "after an alias move: alias lookup", unit: "req/s", runs: after.map((f) => f.rps), digits: 0, failure, note: "every answer is the new version's body" }),
    row({ section: "serving", name: "after an alias move: p99", unit: "ms", runs: after.map((f) => f.p99), target: { atMost: 25 }, failure }),
  );
  return rows;
}
