// `npm run bench [-- --scale full|tiny] [--runs 3] [--only serving,pages,chart,ingest,audit,bundle,coldstart] [--smoke]`
// Builds the app, copies the data set `npm run bench:data` made into a scratch database, starts the production
// server on it and measures what bench/README.md lists: serving lookups against a bare Node server, page and chart
// response times, ingest throughput, audit verification and export, first-load JavaScript and cold start. Prints a
// table of medians over the runs, with the targets, and writes bench/results/<date>.json. Asserts nothing: a missed
// target shows as "NO" in the table and in the JSON. `--smoke` is the test suite's quick pass: the tiny data set
// (made when missing), one run, short durations.
import { ensureInstalled, log } from "../scripts/lib/setup.mjs";

ensureInstalled();
const { randomBytes } = await import("node:crypto");
const { existsSync, mkdirSync, readFileSync, writeFileSync } = await import("node:fs");
const os = await import("node:os");
const path = await import("node:path");
const { ensureBuilt, ensurePrismaClient, root, run } = await import("../scripts/lib/setup.mjs");
const { availablePort, startEmbedded } = await import("../scripts/lib/database.mjs");
const { startServer } = await import("../scripts/lib/load/stack.mjs");
const { createClient, CookieJar, signIn } = await import("../scripts/lib/load/http.mjs");
const { row, table } = await import("./lib/figures.mjs");
const { measureServing } = await import("./lib/serving.mjs");
const { measureChart, measurePages } = await import("./lib/pages.mjs");
const { measureIngest } = await import("./lib/ingest.mjs");
const { measureAudit } = await import("./lib/audit.mjs");
const { measureBundles } = await import("./lib/bundle.mjs");
const { measureColdStart } = await import("./lib/coldstart.mjs");

const SECTIONS = ["serving", "pages", "chart", "ingest", "audit", "bundle", "coldstart"];
const argv = process.argv.slice(2);
const arg = (name) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const smoke = argv.includes("--smoke");
const scaleName = arg("scale") ?? (smoke ? "tiny" : "full");
const runs = Number(arg("runs") ?? (smoke ? 1 : 3));
const only = new Set((arg("only") ?? SECTIONS.join(",")).split(","));
for (const s of only) if (!SECTIONS.includes(s)) throw new Error(`--only takes ${SECTIONS.join(", ")}; not "${s}"`);
if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs must be a whole number ≥ 1");
const resultsDir = arg("results") ?? path.join(root, "bench", "results");
// Durations: the where it names them, shorter for a smoke pass.
const D = smoke ? { serving: 1, pageRequests: 5, chartRequests: 3, ingest: 2 } : { serving: 10, pageRequests: 50, chartRequests: 20, ingest: 30 };
// Gatehouse's port, the bare Node server's next to it and the cold start's after that; each taken only if free (a
// server left running by another checkout would otherwise fail a section).
const PORT = await availablePort(Number(process.env.GATEHOUSE_BENCH_PORT || 3350));
const BARE_PORT = await availablePort(PORT + 1);
const COLD_PORT = await availablePort(PORT + 2);
const PG_PORT = Number(process.env.GATEHOUSE_BENCH_PG_PORT || 54361);
const base = `http://127.0.0.1:${PORT}`;

let database = null;
let server = null;
process.on("exit", () => server?.kill());
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, async () => {
    await server?.stop().catch(() => {});
    await database?.stop().catch(() => {});
    process.exit(130);
  });
}

function manifestOf(scale) {
  const file = path.join(root, ".data", `bench-${scale}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null;
}

async function machine(url) {
  const { default: pg } = await import("pg");
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const pgVersion = (await c.query("SHOW server_version")).rows[0].server_version;
  await c.end();
  const cpus = os.cpus();
  return { cpu: cpus[0]?.model ?? "unknown", cores: cpus.length, memoryGb: Number((os.totalmem() / 2 ** 30).toFixed(1)), os: `${os.type()} ${os.release()}`, node: process.version, postgres: pgVersion };
}

async function main() {
  const started = Date.now();
  ensurePrismaClient();
  let manifest = manifestOf(scaleName);
  if (!manifest) {
    if (scaleName !== "tiny") throw new Error(`No ${scaleName} data set: run \`npm run bench:data\` first (it takes about 10 minutes).`);
    log("no tiny data set yet: making it…");
    run(process.execPath, [path.join(root, "bench", "data.mjs"), "--scale", "tiny"]);
    manifest = manifestOf(scaleName);
  }
  ensureBuilt();

  // A scratch copy, so what the benchmark changes (an alias move, ingested points, verifications) never
  // accumulates in the data set: every run starts from the same data.
  database = await startEmbedded({ dir: path.join(root, ".data", "bench-postgres"), port: PG_PORT, name: "postgres" });
  // The URL of the server as started (its port may differ from PG_PORT when another program holds that one).
  let adminUrl = database.url;
  const scratch = `${manifest.database}_run`;
  {
    const { default: pg } = await import("pg");
    let c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    if ((await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [manifest.database])).rowCount === 0) {
      // The manifest outlived its database (.data/bench-postgres removed): make the tiny one again, or say what to run.
      await c.end();
      if (scaleName !== "tiny") throw new Error(`The ${scaleName} data set's database is gone: run \`npm run bench:data\` again.`);
      log("the tiny data set's database is gone: making it again…");
      await database.stop();
      run(process.execPath, [path.join(root, "bench", "data.mjs"), "--scale", "tiny"]);
      manifest = manifestOf(scaleName);
      database = await startEmbedded({ dir: path.join(root, ".data", "bench-postgres"), port: PG_PORT, name: "postgres" });
      adminUrl = database.url;
      c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
    }
    log(`copying ${manifest.database} into ${scratch}…`);
    await c.query(`DROP DATABASE IF EXISTS "${scratch}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${scratch}" TEMPLATE "${manifest.database}"`);
    await c.end();
  }
  const url = adminUrl.replace(/\/postgres$/, `/${scratch}`);
  const host = await machine(url);
  server = await startServer({ port: PORT, env: { DATABASE_URL: url, NEXTAUTH_SECRET: randomBytes(32).toString("base64url"), NEXTAUTH_URL: base, GATEHOUSE_API_RATE_LIMIT: "0" }, log, logFile: path.join(root, ".data", "bench", "server.log") });

  const demo = JSON.parse(readFileSync(path.join(root, "prisma", "demo-users.json"), "utf8"));
  const session = async (email) => {
    const client = createClient({ base, connections: 1, jar: new CookieJar() });
    await signIn(client, { email, password: demo.password });
    return client;
  };
  const admin = await session("admin@gatehouse.local");
  const lead = await session("lead@gatehouse.local");
  const ok = async (res, status, what) => {
    if (res.status !== status) throw new Error(`${what} answered ${res.status}: ${res.text().slice(0, 300)}`);
    return res.json();
  };

  // What the figures are taken on: the first rollout (a week of live metrics, the long series), its model (200
  // versions), a deep audit cursor.
  const rollouts = await ok(await admin.send({ path: "/api/v1/rollouts?limit=100" }), 200, "listing rollouts");
  const items = rollouts.items ?? rollouts;
  const rollout = items.find((r) => r.id === "cbro000000000000000000000");
  if (!rollout) throw new Error("The data set's first rollout (cbro000000000000000000000) is missing: run `npm run bench:data` again");
  const model = rollout.model?.name ?? rollout.model;
  const versions = manifest.counts.versions / manifest.counts.models;
  await ok(await lead.send({ method: "PUT", path: `/api/v1/models/${model}/aliases/bench`, body: { version: versions - 1, reason: "Benchmark: an unprotected alias to move" } }), 200, "setting the bench alias");
  const deepKey = Math.floor(manifest.counts.auditEvents / 2);
  const deepCursor = Buffer.from(JSON.stringify({ k: String(deepKey) }), "utf8").toString("base64url");

  const rows = [];
  const section = async (name, fn) => {
    if (!only.has(name)) return;
    try {
      rows.push(...(await fn()));
    } catch (err) {
      log(`${name} failed: ${err instanceof Error ? err.message : err}`);
      rows.push(row({ section: name, name: "(could not be measured)", unit: "", runs: [], target: { atMost: 0 }, failure: err instanceof Error ? err.message : String(err) }));
    }
  };

  await section("serving", async () => {
    const token = (await ok(await admin.send({ method: "POST", path: "/api/v1/tokens", body: { name: `bench-serving-${Date.now()}`, kind: "service", scopes: ["serving:read"] } }), 201, "creating the serving token")).token;
    return measureServing({ base, mover: lead, token, model, alias: "bench", version: versions - 1, otherVersion: versions, barePort: BARE_PORT, seconds: D.serving, runs, log });
  });
  await section("pages", () =>
    measurePages({
      requests: D.pageRequests,
      runs,
      log,
      pages: [
        { name: "models list", path: "/models", client: admin, expect: "Models" },
        { name: `model page (${versions} versions)`, path: `/models/${model}`, client: admin, expect: model },
        { name: "version page", path: `/models/${model}/versions/${versions}`, client: admin, expect: model },
        { name: "approvals inbox", path: "/approvals", client: lead, expect: "Waiting for me", note: "payments' ML Lead" },
        { name: "audit log, first page", path: "/audit", client: admin, expect: "Audit" },
        { name: "audit log, deep page (cursor)", path: `/audit?cursor=${deepCursor}`, client: admin, expect: `>${deepKey - 1}</td>`, note: `events from #${(deepKey - 1).toLocaleString("en")} down` },
        { name: "rollout page", path: `/rollouts/${rollout.id}`, client: admin, expect: model },
      ],
    }),
  );
  await section("chart", async () => (await measureChart({ client: admin, rolloutId: rollout.id, metric: "ctr", requests: D.chartRequests, runs, log })).rows);
  await section("ingest", async () => {
    // Into another rollout's model, at its champion (the version a model without a rollout accepts metrics for).
    const other = items.find((r) => r.id !== rollout.id) ?? rollout;
    const name = other.model?.name ?? other.model;
    const champion = await ok(await admin.send({ path: `/api/v1/models/${name}/aliases/champion` }), 200, `looking up ${name}@champion`);
    const token = (await ok(await admin.send({ method: "POST", path: "/api/v1/tokens", body: { name: `bench-metrics-${Date.now()}`, kind: "service", scopes: ["metrics:write"] } }), 201, "creating the metrics token")).token;
    return measureIngest({ base, token, model: name, version: champion.version, seconds: D.ingest, runs, log });
  });
  await section("audit", async () => {
    const { default: pg } = await import("pg");
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const countEvents = async () => Number((await c.query("SELECT count(*) AS n FROM audit_events")).rows[0].n);
      return await measureAudit({ base, client: admin, serverPid: server.pid, countEvents, runs, log });
    } finally {
      await c.end();
    }
  });
  await section("bundle", async () => {
    // Every kind of dashboard page (a route with parameters once, on the data set's rows).
    const request = (await ok(await admin.send({ path: "/api/v1/promotions?limit=1" }), 200, "listing promotions")).items[0];
    const routes = [
      "/", "/models", `/models/${model}`, `/models/${model}/versions/${versions}`, `/models/${model}/compare`, `/models/${model}/policy`, `/models/${model}/aliases/bench`,
      "/approvals", "/promotions", `/promotions/${request.id}`, `/promotions/${request.id}/evidence`, "/releases", "/rollouts", `/rollouts/${rollout.id}`, "/incidents",
      "/audit", "/policies", "/search?q=fraud", "/notifications", "/settings/notifications", "/admin/users", "/admin/teams", "/admin/tokens", "/admin/webhooks",
    ];
    log(`bundle: first-load JavaScript of ${routes.length} routes…`);
    const sizes = await measureBundles({ base, cookie: admin.jar.header(), routes, root });
    return sizes.map((s) => row({ section: "bundle", name: `first-load JS ${s.route}`, unit: "KB", runs: [s.gzipBytes / 1024], target: { atMost: 200 }, note: `${s.files} files, ${(s.bytes / 1024).toFixed(0)} KB before gzip` }));
  });

  await server.stop();
  server = null;
  await section("coldstart", async () => {
    log(`cold start: npm start to the first page, ${runs} times (after one start that prepares its database)…`);
    const r = await measureColdStart({ port: COLD_PORT, pgPort: PG_PORT + 1, runs, log });
    return [
      row({ section: "cold start", name: "npm start to the first page", unit: "ms", runs: r.startToPageMs, digits: 0, note: "prepared checkout: installed, built, database initialised" }),
      row({ section: "cold start", name: "embedded PostgreSQL start-up", unit: "ms", runs: r.databaseStartMs, digits: 0 }),
    ];
  });
  await database.stop();
  database = null;

  const date = new Date().toISOString().slice(0, 10);
  const result = { date, scale: manifest.scale, data: manifest, runs, smoke, machine: host, durations: D, minutes: Number(((Date.now() - started) / 60_000).toFixed(1)), rows };
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${date}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
  console.log("");
  console.log(`Gatehouse benchmark, ${manifest.scale} data set (${manifest.counts.models.toLocaleString("en")} models, ${manifest.counts.versions.toLocaleString("en")} versions, ${manifest.counts.auditEvents.toLocaleString("en")} audit events, ${manifest.counts.points.toLocaleString("en")} metric points); median of ${runs} run${runs > 1 ? "s" : ""}`);
  console.log(`machine: ${host.cpu}, ${host.cores} cores, ${host.memoryGb} GB; ${host.os}; node ${host.node}; PostgreSQL ${host.postgres}`);
  console.log("");
  console.log(table(rows));
  console.log("");
  const missed = rows.filter((r) => r.ok === false);
  console.log(missed.length ? `${missed.length} figure${missed.length > 1 ? "s" : ""} missed the target.` : "Every figure met its target.");
  console.log(`written to ${path.relative(process.cwd(), file)}`);
}

main().catch(async (err) => {
  log(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : err}`);
  if (server) log(`server log tail:\n${server.tail()}`);
  await server?.stop().catch(() => {});
  await database?.stop().catch(() => {});
  process.exit(1);
});
