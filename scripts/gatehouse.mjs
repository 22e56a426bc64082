// `npm run gatehouse -- <command>`: admin commands. Sets up like `npm start` (install, database, migrations),
// then runs scripts/cli.ts against the same database, which may be the one a running `npm start` uses.
import { ensureInstalled } from "./lib/setup.mjs";

ensureInstalled();
const { prepareRuntime, tsxArgs } = await import("./lib/boot.mjs");
const { root } = await import("./lib/setup.mjs");
const path = await import("node:path");
const { spawnSync } = await import("node:child_process");

const args = process.argv.slice(2);
// Offline commands (help, docs, re-verifying an archived evidence bundle) need no database.
const needsDatabase = !(args.length === 0 || args.includes("--help") || args.includes("-h") || args[0] === "help" || args[0] === "docs" || args[0] === "evidence");
let database;
let status = 1;
try {
  if (needsDatabase) database = await prepareRuntime();
  const result = spawnSync(process.execPath, [...tsxArgs, path.join(root, "scripts", "cli.ts"), ...args], { cwd: root, stdio: "inherit", env: process.env });
  status = result.status ?? 1;
} catch (err) {
  process.stderr.write(`[gatehouse] ${err instanceof Error ? err.message : String(err)}\n`);
} finally {
  await database?.stop();
}
process.exit(status);
