// `npm test`: the same set-up as `npm start`, on a throw-away database, then unit, API and browser tests.
// Arguments pick stages: `npm test -- unit`, `npm test -- e2e`, `npm test -- ops`, or Playwright/Vitest filters
// after `--`. The ops stage (e2e/ops) starts its own PostgreSQL and server processes: several instances, outages, crashes.
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import path from "node:path";
import { ensureInstalled, log, root } from "./lib/setup.mjs";

ensureInstalled();
const { ensureBuilt, ensurePrismaClient, runAsync } = await import("./lib/setup.mjs");
const { availablePort, migrate, startEmbedded } = await import("./lib/database.mjs");
const { ensureChromium } = await import("./lib/chromium.mjs");
const { tsxArgs } = await import("./lib/boot.mjs");
const { startServer } = await import("./lib/server.mjs");

const STAGES = ["unit", "e2e", "ops", "typecheck"];
const stages = new Set(process.argv.slice(2).filter((a) => STAGES.includes(a)));
const all = stages.size === 0;
const extra = process.argv.slice(2).filter((a) => !STAGES.includes(a));
const results = [];

async function stage(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true, seconds: (Date.now() - started) / 1000 });
  } catch (err) {
    results.push({ name, ok: false, seconds: (Date.now() - started) / 1000 });
    log(`${name} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const bin = (pkg, file) => path.join(root, "node_modules", pkg, file);

/**
 * Copies what this process writes to stdout and stderr into `file` until the returned function is called; written
 * synchronously, so a test reading the file sees every line already written.
 */
function captureOutput(file) {
  mkdirSync(path.dirname(file), { recursive: true });
  const fd = openSync(file, "w");
  const originals = [process.stdout, process.stderr].map((stream) => {
    const write = stream.write;
    stream.write = function (chunk, encoding, callback) {
      writeSync(fd, typeof chunk === "string" ? Buffer.from(chunk, typeof encoding === "string" ? encoding : "utf8") : chunk);
      return write.call(stream, chunk, encoding, callback);
    };
    return [stream, write];
  });
  return () => {
    for (const [stream, write] of originals) stream.write = write;
    closeSync(fd);
  };
}

let database;
let server;
let idp;
try {
  ensurePrismaClient();
  const chromium = all || stages.has("e2e") ? ensureChromium() : null;
  // A fresh database every run: the tests never see leftovers, and the audit chain starts at its genesis.
  database = process.env.TEST_DATABASE_URL
    ? { url: process.env.TEST_DATABASE_URL, stop: async () => {} }
    : await startEmbedded({ dir: path.join(root, ".data", "test-postgres"), port: Number(process.env.GATEHOUSE_TEST_PG_PORT || 54331), name: "gatehouse_test", fresh: true });
  migrate(database.url);
  const env = { DATABASE_URL: database.url, NEXTAUTH_SECRET: "test-secret-test-secret-test-secret-0123" };
  Object.assign(process.env, env);
  // The demo users first: the browser tests sign in as them, and seeding only happens on a database without users.
  await runAsync(process.execPath, [...tsxArgs, path.join(root, "prisma", "seed.ts")]);

  if (all || stages.has("typecheck")) await stage("typecheck (tsc)", () => runAsync(process.execPath, [bin("typescript", "bin/tsc"), "--noEmit", "-p", "."]));
  if (all || stages.has("unit")) await stage("unit and database tests (vitest)", () => runAsync(process.execPath, [bin("vitest", "vitest.mjs"), "run", ...extra]));
  if (all || stages.has("e2e")) {
    ensureBuilt();
    // The configured port, or a free one when another program holds it (a server left running by another checkout).
    const wanted = Number(process.env.GATEHOUSE_TEST_PORT || 3100);
    const port = await availablePort(wanted);
    if (port !== wanted) log(`port ${wanted} is in use by another program: the test server takes port ${port}`);
    process.env.NEXTAUTH_URL = `http://127.0.0.1:${port}`;
    // Single sign-on is tested end to end against a small OIDC provider of our own.
    const { startMockOidc } = await import("../e2e/support/mock-oidc.mjs");
    idp = await startMockOidc({ port: await availablePort(port + 1), clientId: "gatehouse-test", clientSecret: "test-client-secret" });
    Object.assign(process.env, {
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: "gatehouse-test",
      OIDC_CLIENT_SECRET: "test-client-secret",
      OIDC_DISPLAY_NAME: "Test IdP",
      OIDC_ROLE_MAP: "ml-leads=ml-lead@payments, auditors=auditor, everyone=viewer",
    });
    // The webhook tests' receivers listen on 127.0.0.1, which webhooks may reach only with this setting.
    process.env.GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE = "true";
    // The rate-limit tests act from made-up client addresses through X-Forwarded-For, as a load balancer would send.
    process.env.GATEHOUSE_TRUST_PROXY = "true";
    // Server log capture (e2e/api/secrets.spec.ts greps it for secrets): everything this process writes while the
    // in-process server runs the e2e stage is copied to a file whose path the tests get.
    const serverLog = path.join(root, ".data", "test-server.log");
    const stopCapture = captureOutput(serverLog);
    server = await startServer({ port, hostname: "127.0.0.1" });
    log(`test server on ${process.env.NEXTAUTH_URL}`);
    await stage("API and browser tests (playwright)", () =>
      runAsync(process.execPath, [bin("@playwright/test", "cli.js"), "test", "--project=api", "--project=browser", ...extra], {
        env: { GATEHOUSE_TEST_URL: process.env.NEXTAUTH_URL, CHROMIUM_PATH: chromium ?? "", GATEHOUSE_TEST_SERVER_LOG: serverLog },
      }),
    );
    stopCapture();
  }
  if (all || stages.has("ops")) {
    ensureBuilt();
    // Their own embedded PostgreSQL (a port apart from the shared one) and child server processes, one test at a time.
    await stage("scale-out and fault tests (playwright, e2e/ops)", () =>
      runAsync(process.execPath, [bin("@playwright/test", "cli.js"), "test", "--project=ops", "--workers=1", ...extra], {
        env: { GATEHOUSE_OPS_PG_PORT: String(Number(process.env.GATEHOUSE_TEST_PG_PORT || 54331) + 1), GATEHOUSE_OPS_PORT: String(Number(process.env.GATEHOUSE_TEST_PORT || 3100) + 10) },
      }),
    );
  }
} catch (err) {
  results.push({ name: "set-up", ok: false, seconds: 0 });
  log(`test set-up failed: ${err instanceof Error ? err.stack : String(err)}`);
} finally {
  server?.close();
  await idp?.close();
  await database?.stop();
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
log("summary:");
for (const r of results) log(`  ${r.ok ? "ok  " : "FAIL"} ${r.name} (${Math.round(r.seconds)} s)`);
console.log(`stages: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
