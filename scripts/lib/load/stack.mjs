// The system under load: its own embedded PostgreSQL (fresh database), migrations, the demo seed, and the
// production server (scripts/serve.mjs) as a child process, so that the load generator never shares its event loop.
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { tsxArgs } from "../boot.mjs";
import { migrate, startEmbedded } from "../database.mjs";
import { root, runAsync } from "../setup.mjs";

export const LOG_DIR = path.join(root, ".data", "load");

export async function startDatabase({ port }) {
  const database = await startEmbedded({ dir: path.join(root, ".data", "load-postgres"), port, name: "gatehouse_load", fresh: true });
  migrate(database.url);
  return database;
}

export async function seed(env) {
  await runAsync(process.execPath, [...tsxArgs, path.join(root, "prisma", "seed.ts")], { env });
}

/**
 * Starts scripts/serve.mjs on 127.0.0.1:`port` with `env`, its output in `logFile` (.data/load/server.log); resolves when
 * /api/v1/health answers 200. `stop()` asks it to end (SIGTERM), and kills it if it has not after 10 s.
 */
export async function startServer({ port, env, log, logFile = path.join(LOG_DIR, "server.log") }) {
  mkdirSync(path.dirname(logFile), { recursive: true });
  const out = createWriteStream(logFile);
  const child = spawn(process.execPath, [path.join(root, "scripts", "serve.mjs")], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.pipe(out, { end: false });
  child.stderr.pipe(out, { end: false });
  let exited = null;
  const exit = new Promise((resolve) => child.on("exit", (code, signal) => resolve((exited = { code, signal }))));
  const server = {
    pid: child.pid,
    logFile,
    get exited() {
      return exited;
    },
    /** The end of its log, for a failure report. */
    tail(lines = 30) {
      try {
        return readFileSync(logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
      } catch {
        return "";
      }
    },
    async stop() {
      if (exited) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exit;
      clearTimeout(timer);
      out.end();
    },
    /** Synchronous last resort when this process is exiting: no waiting possible. */
    kill() {
      if (!exited) child.kill("SIGKILL");
    },
  };
  const url = `http://127.0.0.1:${port}/api/v1/health`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited) throw new Error(`the server exited (${exited.code ?? exited.signal}) before answering; its log:\n${server.tail()}`);
    const ok = await fetch(url).then((r) => r.status === 200, () => false);
    if (ok) break;
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`the server did not answer ${url} within 120 s; its log:\n${server.tail()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  log(`server (pid ${child.pid}) listening on 127.0.0.1:${port}; its log: ${path.relative(root, logFile)}`);
  return server;
}

/** CPU seconds (user + system) process `pid` has used so far, plus its children's with `withChildren`; null off Linux. */
export function cpuSeconds(pid, { withChildren = false } = {}) {
  const read = (p) => {
    const stat = readFileSync(`/proc/${p}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime, then cutime and cstime (children it has waited for), in USER_HZ (100 on Linux)
    return { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / 100, reaped: (Number(fields[13]) + Number(fields[14])) / 100 };
  };
  try {
    const self = read(pid);
    let total = self.cpu + (withChildren ? self.reaped : 0);
    if (withChildren) {
      for (const entry of readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
          const s = read(entry);
          if (s.ppid === pid) total += s.cpu;
        } catch {
          // ended meanwhile
        }
      }
    }
    return total;
  } catch {
    return null;
  }
}

/** The PostgreSQL postmaster's pid (its backends are its children). */
export function postmasterPid() {
  try {
    return Number(readFileSync(path.join(root, ".data", "load-postgres", "postmaster.pid"), "utf8").split("\n")[0]);
  } catch {
    return null;
  }
}
