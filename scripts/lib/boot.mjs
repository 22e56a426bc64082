// Everything between "dependencies are installed" and "the app is serving", shared by start, test and the CLI.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { migrate, startDatabase } from "./database.mjs";
import { dataDir, ensurePrismaClient, log, root, run } from "./setup.mjs";

/** The session-signing secret: NEXTAUTH_SECRET, or for a local embedded set-up one generated once into .data/. */
export function sessionSecret({ external }) {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  if (external) throw new Error("NEXTAUTH_SECRET must be set (at least 32 random characters) when DATABASE_URL points at your own PostgreSQL.");
  const file = path.join(dataDir, "nextauth-secret");
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}

export const tsxArgs = ["--conditions=react-server", "--import", "tsx"];

/** Runs a TypeScript entry point that uses lib/ (server-only modules) outside Next. */
export function runTs(file, args = [], env = {}) {
  return run(process.execPath, [...tsxArgs, path.join(root, file), ...args], { env });
}

/** Database up, migrations applied, env set for the app. */
export async function prepareRuntime() {
  ensurePrismaClient();
  const database = await startDatabase();
  const secret = sessionSecret({ external: database.external });
  migrate(database.url);
  process.env.DATABASE_URL = database.url;
  process.env.NEXTAUTH_SECRET = secret;
  return database;
}

export function seedDemo() {
  runTs("prisma/seed.ts");
}

export function printDemoSignIns(url) {
  const demo = JSON.parse(readFileSync(path.join(root, "prisma", "demo-users.json"), "utf8"));
  log(`Gatehouse is running on ${url}`);
  log(`demo sign-ins (password "${demo.password}" for each):`);
  for (const u of demo.users) {
    const roles = u.roles.map((r) => (r.team ? `${r.role} of ${r.team}` : r.role)).join(", ");
    log(`  ${u.email.padEnd(28)} ${roles}`);
  }
  log("press Ctrl+C to stop");
}
