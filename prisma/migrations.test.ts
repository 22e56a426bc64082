import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";

// Runs Prisma's own CLI (through prisma.config.ts, offline) against the real PostgreSQL of `npm test`.
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "..");
const prisma = path.join(root, "node_modules", "prisma", "build", "index.js");
// On CI a missing database fails these tests instead of skipping them.
const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);

async function cli(args: string[], cwd = root, databaseUrl = process.env.DATABASE_URL!) {
  try {
    const { stdout, stderr } = await run(process.execPath, [prisma, ...args], { cwd, env: { ...process.env, DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: "1" } });
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

describe.skipIf(!hasDb)("schema and migrations", () => {
  const scratch = mkdtempSync(path.join(tmpdir(), "gatehouse-migrations-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("agree: the migrations produce exactly schema.prisma", async () => {
    const result = await cli(["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema-datamodel", "prisma/schema.prisma", "--exit-code"]);
    expect(result.out).toContain("No difference detected");
    expect(result.code).toBe(0);
  }, 60_000);

  it("disagree, and the check says so, when the schema gains a field no migration adds", async () => {
    // A copy of the project's prisma folder with one extra column: the same check must fail (exit 2).
    cpSync(path.join(root, "prisma", "migrations"), path.join(scratch, "prisma", "migrations"), { recursive: true });
    copyFileSync(path.join(root, "prisma.config.ts"), path.join(scratch, "prisma.config.ts"));
    const schema = readFileSync(path.join(root, "prisma", "schema.prisma"), "utf8").replace("model Team {", "model Team {\n  drifted String?");
    writeFileSync(path.join(scratch, "prisma", "schema.prisma"), schema);
    const result = await cli(["migrate", "diff", "--from-migrations", path.join(scratch, "prisma", "migrations"), "--to-schema-datamodel", path.join(scratch, "prisma", "schema.prisma"), "--exit-code"]);
    expect(result.code).toBe(2);
    expect(result.out).toContain("drifted");
  }, 60_000);

  it("apply to an empty database, including the append-only trigger", async () => {
    const name = `gatehouse_migrate_${Date.now()}`;
    const admin = new pg.Client({ connectionString: withDatabase(process.env.DATABASE_URL!, "postgres") });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
      const url = withDatabase(process.env.DATABASE_URL!, name);
      const deploy = await cli(["migrate", "deploy"], root, url);
      expect(deploy.out).toContain("All migrations have been successfully applied");
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const tables = await client.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
        expect(tables.rows.map((r) => r.tablename)).toEqual(["_prisma_migrations", "alias_changes", "api_tokens", "audit_events", "audit_verifications", "evaluation_reports", "incidents", "metric_batches", "metric_points", "metric_rollups", "mlflow_alias_syncs", "mlflow_connectors", "model_aliases", "model_versions", "notifications", "outbox_messages", "policy_versions", "promotion_decisions", "promotion_requests", "registered_models", "releases", "role_grants", "rollout_decisions", "rollout_events", "rollout_judgements", "rollouts", "scheduler_ticks", "sign_in_throttles", "teams", "user_invitations", "users", "webhook_deliveries", "webhook_endpoints"]);
        const triggers = await client.query(`SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_events'::regclass AND NOT tgisinternal ORDER BY 1`);
        expect(triggers.rows.map((r) => r.tgname)).toEqual(["audit_events_no_truncate", "audit_events_no_update_or_delete"]);
        const registry = await client.query(`SELECT tgname FROM pg_trigger WHERE tgrelid IN ('model_versions'::regclass, 'evaluation_reports'::regclass, 'policy_versions'::regclass, 'promotion_decisions'::regclass, 'rollout_decisions'::regclass) AND NOT tgisinternal ORDER BY 1`);
        expect(registry.rows.map((r) => r.tgname)).toEqual(["evaluation_reports_no_update_or_delete", "model_versions_immutable", "policy_versions_no_update_or_delete", "promotion_decisions_no_update_or_delete", "rollout_decisions_no_update_or_delete"]);
      } finally {
        await client.end();
      }
      const status = await cli(["migrate", "status"], root, url);
      expect(status.out).toContain("Database schema is up to date");
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  }, 90_000);
});
