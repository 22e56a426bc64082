// `npm run test:load`: the whole system under mixed load on loopback, then checked against its database.
// For GATEHOUSE_LOAD_SECONDS (60), together: 50 simulated people browsing and deciding, metric ingest at 20,000
// points/s, and serving lookups at full speed. Then: zero 5xx, database counts equal to what the server
// acknowledged, and an audit chain that verifies. Prints the figures; exits 1 when a check fails. It sets up its own
// PostgreSQL (.data/load-postgres, fresh database) and server process, and takes them down on exit or Ctrl+C.
import { ensureInstalled, log } from "./lib/setup.mjs";

ensureInstalled();
const { randomBytes } = await import("node:crypto");
const { readFileSync } = await import("node:fs");
const path = await import("node:path");
const { performance } = await import("node:perf_hooks");
const { Worker } = await import("node:worker_threads");
const os = await import("node:os");
const { ensureBuilt, ensurePrismaClient, root } = await import("./lib/setup.mjs");
const { C, EXPECTED, ORDER } = await import("./lib/load/categories.mjs");
const { countRows, verifyAuditChain } = await import("./lib/load/checks.mjs");
const { Recorder } = await import("./lib/load/http.mjs");
const { runIngest } = await import("./lib/load/ingest.mjs");
const { runPeople } = await import("./lib/load/people.mjs");
const { PEOPLE, prepare, ROLLOUT_MODEL, TEAM } = await import("./lib/load/prepare.mjs");
const { figuresTable, fmtInt, ingestSustained, judgeRun, summarize, table } = await import("./lib/load/report.mjs");
const { cpuSeconds, postmasterPid, seed, startDatabase, startServer } = await import("./lib/load/stack.mjs");

const number = (name, fallback) => {
  const v = Number(process.env[name] || fallback);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
  return v;
};
const SECONDS = number("GATEHOUSE_LOAD_SECONDS", 60);
// The configured port, or a free one when another program holds it (a server left running by another checkout).
const { availablePort } = await import("./lib/database.mjs");
const WANTED_PORT = number("GATEHOUSE_LOAD_PORT", 3150);
const PORT = await availablePort(WANTED_PORT);
const PG_PORT = number("GATEHOUSE_LOAD_PG_PORT", 54351);
// One server process renders every page, answers the API and parses every metric batch on one thread: a page costs
// it 20-50 ms of CPU, an API read ~7 ms, 20,000 points/s ~0.3 of a core. 50 people acting every 4 s on average
// (~12 actions/s) keep that thread ~65% busy before serving lookups take the rest; every 2 s, they alone would
// take ~70% and pages queue for seconds behind each other (README, "Load test").
const THINK_MS = number("GATEHOUSE_LOAD_THINK_MS", 4_000);
const TARGET_POINTS = 20_000;
const BATCH = 2_000;
const SERVING_CONNECTIONS = 4;
// Set-up after the build, the run, the drain and the checks: more than this means something hangs.
const WATCHDOG_MS = (SECONDS + 600) * 1000;

const base = `http://127.0.0.1:${PORT}`;
if (PORT !== WANTED_PORT) log(`port ${WANTED_PORT} is in use by another program: the server under load takes port ${PORT}`);
let phase = "set-up";
let database = null;
let server = null;
let worker = null;
let cleaning = null;
let interrupted = false;

/** Takes down what this run started, once, whatever state it is in. */
function cleanup() {
  cleaning ??= (async () => {
    await worker?.terminate().catch(() => {});
    await server?.stop().catch(() => {});
    await database?.stop().catch(() => {});
  })();
  return cleaning;
}
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, async () => {
    interrupted = true;
    log(`${signal} during ${phase}: stopping the server and the database…`);
    await cleanup();
    process.exit(130);
  });
}
// If this process dies some other way, the server must not outlive it (PostgreSQL stops with its parent's pipes).
process.on("exit", () => server?.kill());

async function main() {
  ensurePrismaClient();
  ensureBuilt();
  const watchdog = setTimeout(async () => {
    log(`gave up: still in "${phase}" after ${WATCHDOG_MS / 1000} s`);
    await cleanup();
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();

  phase = "starting PostgreSQL";
  database = await startDatabase({ port: PG_PORT });
  const env = { DATABASE_URL: database.url, NEXTAUTH_SECRET: randomBytes(32).toString("base64url") };
  phase = "seeding the demo data";
  await seed(env);
  phase = "starting the server";
  // Per-token API rate limits would turn the load into 429s: off for this run.
  server = await startServer({ port: PORT, env: { ...env, NEXTAUTH_URL: base, GATEHOUSE_API_RATE_LIMIT: "0" }, log });

  phase = "preparing people, models and the rollout";
  const demo = JSON.parse(readFileSync(path.join(root, "prisma", "demo-users.json"), "utf8"));
  const prepared = await prepare({ base, adminEmail: "admin@gatehouse.local", adminPassword: demo.password, log });
  const before = await countRows(database.url, { team: TEAM, rolloutModel: ROLLOUT_MODEL });

  phase = "the load";
  log(`load for ${SECONDS} s: 50 people (think time ~${THINK_MS} ms), ingest ${fmtInt(TARGET_POINTS)} points/s in batches of ${fmtInt(BATCH)}, serving lookups on ${SERVING_CONNECTIONS} connections…`);
  const recorder = new Recorder();
  const counters = { versions: 0, reports: 0, requests: 0, decisions: 0, aliasMoves: 0, conflictPairs: 0, conflictOneAccepted: 0, conflictBothAccepted: 0 };
  const pgPid = postmasterPid();
  const cpu0 = { server: cpuSeconds(server.pid), postgres: pgPid && cpuSeconds(pgPid, { withChildren: true }), self: process.cpuUsage() };
  const servingTargets = [
    `/api/v1/models/${ROLLOUT_MODEL}/aliases/staging`,
    `/api/v1/models/${ROLLOUT_MODEL}/aliases/challenger`,
    `/api/v1/models/${ROLLOUT_MODEL}/routing`,
    ...prepared.models.flatMap((m) => [`/api/v1/models/${m.name}/aliases/staging`, `/api/v1/models/${m.name}/routing`]),
  ];
  worker = new Worker(new URL("./lib/load/serving-worker.mjs", import.meta.url), {
    workerData: { base, token: prepared.servingToken, targets: servingTargets, connections: SERVING_CONNECTIONS, seconds: SECONDS },
  });
  const serving = new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  const loadBefore = os.loadavg()[0];
  const started = performance.now();
  const stopAt = started + SECONDS * 1000;
  const [ingest, servingResult] = await Promise.all([
    runIngest({ base, token: prepared.metricsToken, model: ROLLOUT_MODEL, versions: prepared.rollout.versions, pointsPerSecond: TARGET_POINTS, batchSize: BATCH, stopAt, recorder }),
    serving,
    runPeople({ people: prepared.people, models: prepared.models, conflicts: prepared.conflicts, rollout: prepared.rollout, recorder, stopAt, thinkMs: THINK_MS, counters }),
  ]);
  const drained = (performance.now() - stopAt) / 1000;
  const loadAfter = os.loadavg()[0];
  const cpu = {
    server: cpu0.server === null ? null : cpuSeconds(server.pid) - cpu0.server,
    postgres: cpu0.postgres ? cpuSeconds(pgPid, { withChildren: true }) - cpu0.postgres : null,
    self: (() => {
      const u = process.cpuUsage(cpu0.self);
      return (u.user + u.system) / 1e6;
    })(),
  };
  await worker.terminate();
  worker = null;
  recorder.merge(servingResult.recorder);
  for (const p of prepared.people) p.client.close();

  phase = "checking the database";
  await server.stop();
  const serverLog = readFileSync(server.logFile, "utf8");
  const after = await countRows(database.url, { team: TEAM, rolloutModel: ROLLOUT_MODEL });
  phase = "verifying the audit chain";
  const audit = await verifyAuditChain(env);
  await database.stop();

  const delta = (k) => after[k] - before[k];
  const audited = (action) => (after.audited[action] ?? 0) - (before.audited[action] ?? 0);
  const counts = [
    { name: "versions registered", actual: delta("versions"), expected: counters.versions },
    { name: "reports added", actual: delta("reports"), expected: counters.reports },
    { name: "promotion requests", actual: delta("requests"), expected: counters.requests },
    { name: "decisions", actual: delta("decisions"), expected: counters.decisions },
    { name: "staging aliases moved by approvals", actual: delta("aliasMoves"), expected: counters.aliasMoves },
    { name: "audit events version.register", actual: audited("version.register"), expected: counters.versions },
    { name: "audit events report.add", actual: audited("report.add"), expected: counters.reports },
    { name: "audit events promotion.request", actual: audited("promotion.request"), expected: counters.requests },
    { name: "audit events promotion.decide", actual: audited("promotion.decide"), expected: counters.decisions },
    { name: "metric points stored (raw)", actual: delta("points"), expected: ingest.ackedPoints },
    { name: "metric points in the per-minute rollups", actual: delta("rollupItems"), expected: ingest.ackedPoints },
    { name: "ingest idempotency keys", actual: delta("batches"), expected: ingest.ackedBatches },
  ];
  const categories = recorder.toJSON();
  const ingestFigures = {
    targetPerSecond: TARGET_POINTS,
    offeredPerSecond: ingest.offeredPoints / SECONDS,
    acknowledgedPerSecond: ingest.ackedInRunPoints / SECONDS,
  };
  const checks = judgeRun({
    categories,
    expected: EXPECTED,
    counts,
    conflicts: { pairs: counters.conflictPairs, oneAccepted: counters.conflictOneAccepted, bothAccepted: counters.conflictBothAccepted },
    replays: { sent: ingest.retries, replayed: ingest.replayed },
    audit,
    ingest: ingestFigures,
  });
  if (ingest.wrongAnswers.length) checks.push({ name: "ingest answers", ok: false, detail: `${ingest.wrongAnswers.length} 200s did not acknowledge the whole batch: ${ingest.wrongAnswers[0]}` });

  // The figures.
  const rows = ORDER.filter((name) => categories[name]).map((name) => summarize(name, categories[name], SECONDS));
  const lookups = (categories[C.alias]?.latencies.length ?? 0) + (categories[C.routing]?.latencies.length ?? 0);
  const cores = (s) => (s === null ? "n/a" : `${(s / (SECONDS + drained)).toFixed(2)} cores`);
  console.log("");
  console.log(`Gatehouse load test: ${SECONDS} s on 127.0.0.1, node ${process.version}; latencies in ms; rates over the ${SECONDS} s (answers that arrived in the ${drained.toFixed(1)} s after it count too)`);
  console.log("");
  console.log(figuresTable(rows));
  console.log("");
  console.log(
    table(
      ["figure", "value", ""],
      [
        ["people", `${prepared.people.length}`, `${PEOPLE.map(([role, n]) => `${n} ${role}`).join(", ")}; think time ${THINK_MS / 2}-${(THINK_MS * 3) / 2} ms`],
        ["ingest target", `${fmtInt(TARGET_POINTS)} points/s`, `batches of ${fmtInt(BATCH)}, every ${(1000 * BATCH) / TARGET_POINTS} ms`],
        ["ingest offered", `${fmtInt(ingestFigures.offeredPerSecond)} points/s`, `${fmtInt(ingest.offeredBatches)} batches`],
        ["ingest acknowledged", `${fmtInt(ingestFigures.acknowledgedPerSecond)} points/s`, `within the run; ${fmtInt(ingest.ackedPoints)} points in all`],
        ["ingest sustained", ingestSustained(ingestFigures) ? "yes" : "NO", ingestSustained(ingestFigures) ? "acknowledged ≥ 95% of the target within the run" : "the server fell behind the target under this load (printed, not a failure)"],
        ["ingest retries", `${ingest.retries}`, `${ingest.replayed} answered as replays`],
        ["serving lookups", `${fmtInt(lookups / SECONDS)}/s`, `${SERVING_CONNECTIONS} connections; ${fmtInt(servingResult.fromSnapshot)} answered by the snapshot, ${fmtInt(servingResult.fromNext)} by Next`],
        ["work acknowledged", `${counters.versions} versions`, `${counters.reports} reports, ${counters.requests} requests, ${counters.decisions} decisions (${counters.aliasMoves} applied approvals)`],
        ["deliberate conflicts", `${counters.conflictPairs} pairs`, `${counters.conflictOneAccepted} one accepted + one 409, ${counters.conflictBothAccepted} both accepted`],
        ["CPU during the run", cores(cpu.server), `server; PostgreSQL ${cores(cpu.postgres)}; load generator ${cores(cpu.self)} (this machine: ${os.availableParallelism()} cores)`],
        ["machine load average", `${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}`, "1-minute, before and after the run: well above the core count means other work shared the machine"],
      ],
    ),
  );
  const warnings = serverLog.split("\n").filter((l) => /unhandled error|request failed|could not be judged|after commit failed/.test(l));
  if (warnings.length) console.log(`\nserver log: ${warnings.length} error lines, e.g.\n  ${warnings.slice(0, 5).join("\n  ")}`);
  for (const [name, c] of Object.entries(categories)) {
    for (const e of c.serverErrors) console.log(`\n5xx in ${name} (${e.what}): ${e.status}\n  ${e.body}`);
    for (const e of c.unexpected) console.log(`\nunexpected in ${name} (${e.what}): ${e.status}\n  ${e.body}`);
    for (const e of c.errorSamples) console.log(`\nno answer in ${name} (${e.what}): ${e.error}`);
  }
  console.log("");
  console.log(table(["check", "result", "detail"], checks.map((c) => [c.name, c.ok ? "ok" : "FAIL", c.detail])));
  const failed = checks.filter((c) => !c.ok);
  console.log(`\nload test ${failed.length ? `FAILED (${failed.length} of ${checks.length} checks)` : `passed (${checks.length} checks)`}`);
  return failed.length ? 1 : 0;
}

let status = 1;
try {
  status = await main();
} catch (err) {
  // After Ctrl+C, requests fail because the server is going away: nothing to report.
  if (!interrupted) {
    log(`load test failed during ${phase}: ${err instanceof Error ? err.stack : String(err)}`);
    if (server) log(`the server's log ends:\n${server.tail()}`);
  }
} finally {
  await cleanup();
}
process.exit(status);
