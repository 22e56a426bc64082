import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { test as base } from "@playwright/test";
import pg from "pg";

// The ops tests' world: an embedded PostgreSQL of their own (so they may stop it), a template database migrated and
// seeded with the demo once, a fresh copy of it per test, and Gatehouse server processes (`npm run serve`, the
// production start) that a test may start several of, stop, or SIGKILL. `npm test -- ops` builds the app first.
export const root = path.resolve(__dirname, "../../..");
// Their PostgreSQL's port: this one, or a free one when another program holds it (see startPostgres).
let pgPort = Number(process.env.GATEHOUSE_OPS_PG_PORT || 54332);
const FIRST_HTTP_PORT = Number(process.env.GATEHOUSE_OPS_PORT || 3110);
const USER = "gatehouse";
const PASSWORD = "gatehouse";
const TEMPLATE = "gatehouse_ops_template";
const SECRET = "ops-test-secret-ops-test-secret-0123456789";

const url = (db: string) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${pgPort}/${db}`;

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url("postgres") });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Runs a node script of the project to completion, with its output kept for the error. */
export function runNode(args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`node ${args.join(" ")} exited ${code}:\n${out}`))));
  });
}

export type Postgres = { stop(): Promise<void>; start(): Promise<void> };

// scripts/lib/database.mjs: the same embedded server `npm start` and `npm test` run (TCP only, and a failed start
// says why in PostgreSQL's words), and its port choice.
const databaseScript = () => import(pathToFileURL(path.join(root, "scripts", "lib", "database.mjs")).href) as Promise<typeof import("../../../scripts/lib/database.mjs")>;

/** `preferred` when nothing listens on it, otherwise a free port the system picks. */
export async function availablePort(preferred: number): Promise<number> {
  return (await databaseScript()).availablePort(preferred);
}

async function startPostgres(): Promise<Postgres> {
  const { embeddedServer } = await databaseScript();
  const dir = path.join(root, ".data", "ops-postgres");
  // A postmaster left behind by an interrupted run holds the port: stop it (fast shutdown) before starting ours.
  const pidFile = path.join(dir, "postmaster.pid");
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
    try {
      process.kill(pid, "SIGINT");
      for (let i = 0; i < 100 && existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 100));
    } catch {
      // not running: a stale file, which PostgreSQL removes itself
    }
  }
  // Another program on the port (a server of another checkout, left running) would make every ops test fail at
  // once: take a free port instead. The tests reach this server only through url(), so any port does.
  const wanted = pgPort;
  pgPort = await availablePort(wanted);
  if (pgPort !== wanted) console.warn(`[ops] port ${wanted} is in use by another program: the ops PostgreSQL takes port ${pgPort}`);
  const server = await embeddedServer({ dir, port: pgPort });
  await server.start();
  return server;
}

/** The template: migrated and seeded with the demo data (users, models, requests) once per worker. */
/** Applies the migrations and seeds the demo into the database at `databaseUrl`. */
export async function migrateAndSeed(databaseUrl: string): Promise<void> {
  const env = { DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: "1", NEXTAUTH_SECRET: SECRET };
  await runNode([path.join(root, "node_modules", "prisma", "build", "index.js"), "migrate", "deploy"], env);
  await runNode(["--conditions=react-server", "--import", "tsx", path.join(root, "prisma", "seed.ts")], env);
}

async function prepareTemplate(): Promise<void> {
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${TEMPLATE} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${TEMPLATE}`);
  });
  await migrateAndSeed(url(TEMPLATE));
}

export type Instance = {
  name: string;
  url: string;
  port: number;
  /** Everything the process printed, for assertions on logs and for failure messages. */
  logs(): string;
  /** SIGKILL: no shutdown at all, as in a crash or an OOM kill. */
  kill(): Promise<void>;
  /** SIGTERM, the way an orchestrator stops it. */
  stop(): Promise<void>;
};

export type InstanceOptions = { name?: string; env?: Record<string, string>; port?: number; /** Another database than the test's own. */ databaseUrl?: string };

export type Cluster = {
  postgres: Postgres;
  /** The connection string of this test's own database. */
  databaseUrl: string;
  /** Queries this test's database directly (what is really stored, not what the API says). */
  query<R extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  start(opts?: InstanceOptions): Promise<Instance>;
};

let nextPort = FIRST_HTTP_PORT;

async function waitHealthy(base: string, child: ChildProcess, logs: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) while starting:\n${logs()}`);
    try {
      const res = await fetch(`${base}/api/v1/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server did not become healthy within 90 s:\n${logs()}`);
}

async function startInstance(databaseUrl: string, opts: InstanceOptions, started: Instance[]): Promise<Instance> {
  // The next port of the ops range, or a free one when another program holds it.
  const port = opts.port ?? (await availablePort(nextPort++));
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [path.join(root, "scripts", "serve.mjs")], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NEXTAUTH_SECRET: SECRET,
      NEXTAUTH_URL: base,
      PORT: String(port),
      HOST: "127.0.0.1",
      GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE: "true",
      GATEHOUSE_API_RATE_LIMIT: "0",
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  const instance: Instance = { name: opts.name ?? `instance on ${port}`, url: base, port, logs: () => output, kill: () => signal("SIGKILL"), stop: () => signal("SIGTERM") };
  started.push(instance);
  return waitHealthy(base, child, () => output).then(() => instance);
}

export const test = base.extend<{ cluster: Cluster }, { ops: { postgres: Postgres } }>({
  ops: [
    async ({}, use) => {
      const postgres = await startPostgres();
      await prepareTemplate();
      await use({ postgres });
      await postgres.stop();
    },
    { scope: "worker", timeout: 240_000 },
  ],
  cluster: async ({ ops }, use, testInfo) => {
    const name = `ops_${testInfo.testId.replace(/[^a-z0-9]/gi, "").slice(0, 40).toLowerCase()}`;
    await admin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`);
    });
    const databaseUrl = url(name);
    const started: Instance[] = [];
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    pool.on("error", () => {});
    await use({
      postgres: ops.postgres,
      databaseUrl,
      query: async (sql, params) => (await pool.query(sql, params as unknown[])).rows,
      start: (opts = {}) => startInstance(opts.databaseUrl ?? databaseUrl, opts, started),
    });
    await pool.end().catch(() => {});
    await Promise.all(started.map((i) => i.stop()));
    // Each server's output, next to the test's other results when it failed (test-results/…/<name>.log).
    if (testInfo.status !== testInfo.expectedStatus) {
      for (const i of started) {
        const file = testInfo.outputPath(`${i.name.replace(/[^a-z0-9]+/gi, "-")}.log`);
        writeFileSync(file, i.logs());
        await testInfo.attach(`${i.name} log`, { path: file, contentType: "text/plain" });
      }
    }
  },
});

export { expect } from "@playwright/test";

/** What the ops tests' people write: a decision comment, a request's justification, a staging stage needing one ML Lead. */
export const COMMENT = "Checked the gates, metrics and lineage; looks right.";
export const JUSTIFICATION = "Retrained on November data; AUC is up.";
export const ONE_LEAD = "stages:\n  staging:\n    approvals:\n      quorum: [{ role: ml-lead }]\n      electronicSignature: never\n";
