import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { root } from "./cluster";

// pg_dump must be at least as new as the server it dumps, and the embedded PostgreSQL is 18 while Debian 12 ships
// pg_dump 15. The backup test therefore runs the documented procedure on Debian's PostgreSQL 15, server and client
// tools of one version, installed from Debian's packages when missing (as the test set-up installs Chromium).
const BIN = "/usr/lib/postgresql/15/bin";
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

function ensureInstalled(): void {
  if (existsSync(path.join(BIN, "pg_dump")) && existsSync(path.join(BIN, "postgres"))) return;
  if (!isRoot) throw new Error(`PostgreSQL 15 is missing: run apt-get install -y postgresql-15 (the backup test needs its server and pg_dump)`);
  execFileSync("apt-get", ["update"], { stdio: "ignore" });
  execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "postgresql-15"], { stdio: "ignore", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
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
  const dir = path.join(root, ".data", "ops-postgres15");
  if (existsSync(path.join(dir, "postmaster.pid"))) spawnSync(isRoot ? "runuser" : path.join(BIN, "pg_ctl"), isRoot ? ["-u", "postgres", "--", path.join(BIN, "pg_ctl"), "-D", dir, "-m", "fast", "stop"] : ["-D", dir, "-m", "fast", "stop"]);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (isRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  pg15("initdb", ["-D", dir, "-U", "gatehouse", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
  pg15("pg_ctl", ["-D", dir, "-o", `-p ${port} -k /tmp -c listen_addresses=127.0.0.1`, "-l", path.join(dir, "server.log"), "-w", "start"]);
  return {
    port,
    dir,
    url: (db) => `postgresql://gatehouse@127.0.0.1:${port}/${db}`,
    stop: () => void pg15("pg_ctl", ["-D", dir, "-m", "fast", "-w", "stop"]),
  };
}
