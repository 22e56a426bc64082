import path from "node:path";
import pg from "pg";
import { demoUser, sessionFor } from "../support/api";
import { availablePort, expect, migrateAndSeed, test } from "./support/cluster";
import { pg15, startPostgres15 } from "./support/postgres15";

// The backup and restore procedure of docs/operations.md, run as written: pg_dump in the custom format, pg_restore
// into an empty database, Gatehouse started on the restored copy, the audit chain verified there.
const PORT = Number(process.env.GATEHOUSE_OPS_PG_PORT || 54332) + 1;
const TABLES = ["audit_events", "users", "registered_models", "model_versions", "evaluation_reports", "model_aliases", "alias_changes", "promotion_requests", "promotion_decisions", "rollouts", "rollout_events", "metric_points", "policy_versions", "releases"];

async function snapshot(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const counts: Record<string, number> = {};
    for (const t of TABLES) counts[t] = Number((await c.query(`SELECT count(*) AS n FROM ${t}`)).rows[0].n);
    const head = (await c.query("SELECT id::text, hash FROM audit_events ORDER BY id DESC LIMIT 1")).rows[0];
    return { counts, head };
  } finally {
    await c.end();
  }
}

test("pg_dump and pg_restore round-trip a Gatehouse database; the restored audit chain verifies", async ({ cluster }) => {
  test.setTimeout(300_000);
  const server = startPostgres15(await availablePort(PORT));
  try {
    const conn = ["-h", "127.0.0.1", "-p", String(server.port), "-U", "gatehouse"];
    pg15("createdb", [...conn, "gatehouse"]);
    const source = server.url("gatehouse");
    await migrateAndSeed(source);

    // Some use first, then the instance stops so the dump and the comparison see the same rows.
    const a = await cluster.start({ name: "source", databaseUrl: source });
    const lead = await sessionFor(a.url, demoUser("lead"));
    const inbox = await (await lead.get("/api/v1/promotions?open=true")).json();
    expect(inbox.items.length).toBeGreaterThan(0);
    await a.stop();
    const before = await snapshot(source);
    expect(before.counts.audit_events).toBeGreaterThan(100);

    const file = path.join(server.dir, "gatehouse.dump");
    pg15("pg_dump", [...conn, "--format=custom", "--file", file, "gatehouse"]);
    pg15("createdb", [...conn, "gatehouse_restored"]);
    pg15("pg_restore", [...conn, "--dbname", "gatehouse_restored", "--no-owner", "--exit-on-error", file]);
    const restored = server.url("gatehouse_restored");
    expect(await snapshot(restored)).toEqual(before);

    const b = await cluster.start({ name: "restored", databaseUrl: restored });
    const health = await (await fetch(`${b.url}/api/v1/health`)).json();
    expect(health).toMatchObject({ status: "ok", migrations: { current: true } });
    const auditor = await sessionFor(b.url, demoUser("auditor"));
    const verified = await (await auditor.get("/api/v1/audit/verify")).json();
    // At least every restored event (the restored instance's periodic pass may have added its own since).
    expect(verified.ok).toBe(true);
    expect(verified.checked).toBeGreaterThanOrEqual(before.counts.audit_events);
    // The restored copy is a working Gatehouse: the same requests wait in the same inbox.
    const lead2 = await sessionFor(b.url, demoUser("lead"));
    expect((await (await lead2.get("/api/v1/promotions?open=true")).json()).items.map((i: { id: string }) => i.id)).toEqual(inbox.items.map((i: { id: string }) => i.id));
    await Promise.all([lead, auditor, lead2].map((c) => c.dispose()));
    await b.stop();
  } finally {
    server.stop();
  }
});
