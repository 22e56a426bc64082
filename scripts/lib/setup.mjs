// Set-up steps shared by `npm start`, `npm test` and `npm run gatehouse`: plain Node, no dependencies, so they
// run on a fresh clone before anything is installed. Each step is skipped when its inputs have not changed.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const dataDir = path.join(root, ".data");

export function log(message) {
  // stderr, so commands whose output is meant for scripts (the token from `token create`) stay clean on stdout.
  process.stderr.write(`[gatehouse] ${message}\n`);
}

export function run(command, args, { env = {}, quiet = false, cwd = root } = {}) {
  const result = spawnSync(command, args, { cwd, env: { ...process.env, ...env }, stdio: quiet ? "pipe" : "inherit", encoding: "utf8" });
  if (result.status !== 0) {
    if (quiet) process.stderr.write(`${result.stdout ?? ""}${result.stderr ?? ""}`);
    throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal})`);
  }
  return result;
}

function hashFiles(files) {
  const h = createHash("sha256");
  for (const f of files) {
    h.update(f);
    h.update(existsSync(f) ? readFileSync(f) : "");
  }
  return h.digest("hex");
}

function listFiles(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "generated" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) listFiles(full, out);
    else if (!/\.test\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

/** Runs `step` only when the hash of `inputs` differs from the one stored in `stampFile` after the last success. */
function stamped(stampFile, inputs, step) {
  const digest = hashFiles(inputs);
  const done = existsSync(stampFile) && readFileSync(stampFile, "utf8") === digest;
  if (done) return false;
  step();
  mkdirSync(path.dirname(stampFile), { recursive: true });
  writeFileSync(stampFile, digest);
  return true;
}

/** `npm ci` when node_modules is missing or package.json / package-lock.json changed since the last install. */
export function ensureInstalled() {
  const inputs = ["package.json", "package-lock.json"].map((f) => path.join(root, f));
  stamped(path.join(root, "node_modules", ".gatehouse-installed"), inputs, () => {
    log("installing dependencies (npm ci)…");
    run("npm", ["ci", "--no-audit", "--no-fund"]);
  });
}

/** Generates the Prisma client when the schema changed. */
export function ensurePrismaClient() {
  const inputs = [path.join(root, "prisma", "schema.prisma"), path.join(root, "package-lock.json")];
  const client = path.join(root, "lib", "generated", "prisma", "client.ts");
  const stamp = path.join(root, "lib", "generated", ".schema-stamp");
  if (!existsSync(client) && existsSync(stamp)) writeFileSync(stamp, "");
  stamped(stamp, inputs, () => {
    log("generating the Prisma client…");
    // The CLI insists on a datasource URL even for generate; nothing connects to it.
    run(process.execPath, [path.join(root, "node_modules", "prisma", "build", "index.js"), "generate"], {
      env: { DATABASE_URL: process.env.DATABASE_URL || "postgresql://generate:generate@127.0.0.1:1/generate", CHECKPOINT_DISABLE: "1" },
      quiet: true,
    });
  });
}

const BUILD_INPUTS = ["app", "components", "lib", "public", "proxy.ts", "instrumentation.ts", "next.config.ts", "postcss.config.mjs", "tsconfig.json", "package-lock.json", "prisma/schema.prisma"];

/** `next build` when any source the app is built from changed since the last build. */
export function ensureBuilt() {
  const inputs = BUILD_INPUTS.flatMap((p) => {
    const full = path.join(root, p);
    return existsSync(full) && statSync(full).isDirectory() ? listFiles(full) : [full];
  });
  const built = stamped(path.join(root, ".next", "gatehouse-build-stamp"), inputs, () => {
    log("building the app (next build)…");
    run(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], { env: { NEXT_TELEMETRY_DISABLED: "1" } });
  });
  if (!built) log("build is up to date");
}

/**
 * Like `run`, without blocking this process's event loop: needed while this process also hosts the server or
 * reads the embedded PostgreSQL's output.
 */
export async function runAsync(command, args, { env = {}, cwd = root } = {}) {
  const { spawn } = await import("node:child_process");
  const code = await new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: "inherit" });
    child.on("exit", (c, signal) => resolve(c ?? (signal ? 1 : 0)));
    child.on("error", () => resolve(1));
  });
  if (code !== 0) throw new Error(`${path.basename(command)} ${args.join(" ")} failed (exit ${code})`);
}
