import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

// pg_dump must be at least as new as the server it dumps, and the embedded PostgreSQL is 18 while Debian 12 ships
// pg_dump 15. The backup test therefore runs the documented procedure on Debian's PostgreSQL 15, server and client
// tools of one version, installed from Debian's packages when missing (as the test set-up installs Chromium).
const BIN = "/usr/lib/postgresql/15/bin";
const PREFIX = "gatehouse-ops-pg15-";
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

function ensureInstalled(): void {
  if (existsSync(path.join(BIN, "pg_dump")) && existsSync(path.join(BIN, "postgres"))) return;
  if (!isRoot) throw new Error(`PostgreSQL 15 is missing: run apt-get install -y postgresql-15 (the backup test needs its server and pg_dump)`);
  const apt = (args: string[]) => {
    const r = spawnSync("apt-get", args, { encoding: "utf8", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed (${r.status}):\n${(r.stderr || r.stdout).slice(-2000)}`);
  };
  apt(["update"]);
  apt(["install", "-y", "--no-install-recommends", "postgresql-15"]);
  // The package starts a default cluster on port 5432 where it can; this test needs none of it.
  spawnSync("pg_ctlcluster", ["15", "main", "stop"], { stdio: "ignore" });
}

/** Runs a PostgreSQL 15 program; as root, as the postgres user (the server refuses to run as root). */
export function pg15(program: string, args: string[]): string {
  const [cmd, argv] = isRoot ? ["runuser", ["-u", "postgres", "--", path.join(BIN, program), ...args]] : [path.join(BIN, program), args];
  const r = spawnSync(cmd, argv, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${program} ${args.join(" ")} failed (${r.status}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

export type Postgres15 = { port: number; url(db: string): string; dir: string; stop(): void };

/** A throw-away PostgreSQL 15 cluster on `port`, user gatehouse, trusting loopback connections. */
export function startPostgres15(port: number): Postgres15 {
  ensureInstalled();
  // A server left behind by an interrupted run would hold the port: stop it and drop its folder.
  for (const old of readdirSync(tmpdir()).filter((f) => f.startsWith(PREFIX)).map((f) => path.join(tmpdir(), f))) {
    if (existsSync(path.join(old, "postmaster.pid"))) spawnSync(isRoot ? "runuser" : path.join(BIN, "pg_ctl"), [...(isRoot ? ["-u", "postgres", "--", path.join(BIN, "pg_ctl")] : []), "-D", old, "-m", "fast", "-w", "stop"], { stdio: "ignore" });
    rmSync(old, { recursive: true, force: true });
  }
  // Under the system's temporary folder, which the postgres user can reach whatever the checkout's parents allow.
  const dir = mkdtempSync(path.join(tmpdir(), PREFIX));
  if (isRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  pg15("initdb", ["-D", dir, "-U", "gatehouse", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
  pg15("pg_ctl", ["-D", dir, "-o", `-p ${port} -k '${dir}' -c listen_addresses=127.0.0.1`, "-l", path.join(dir, "server.log"), "-w", "start"]);
  return {
    port,
    dir,
    url: (db) => `postgresql://gatehouse@127.0.0.1:${port}/${db}`,
    stop: () => {
      pg15("pg_ctl", ["-D", dir, "-m", "fast", "-w", "stop"]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
