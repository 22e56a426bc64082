// What the database holds, read directly (not through the app under test): counted before and after the load,
// so the differences can be set against what the server acknowledged. And the audit chain, verified by the CLI.
import { spawn } from "node:child_process";
import path from "node:path";
import { tsxArgs } from "../boot.mjs";
import { root } from "../setup.mjs";

const AUDITED = ["version.register", "report.add", "promotion.request", "promotion.decide"];

/** Counts for the load team's models (and the rollout model's metrics), and the newest audit event's id. */
export async function countRows(url, { team, rolloutModel }) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const one = async (sql, params = []) => Number(Object.values((await client.query(sql, params)).rows[0])[0] ?? 0);
    const teamModels = "SELECT m.id FROM registered_models m JOIN teams t ON t.id = m.team_id WHERE t.slug = $1";
    const rollout = "SELECT id FROM registered_models WHERE name = $1";
    return {
      versions: await one(`SELECT count(*) FROM model_versions WHERE model_id IN (${teamModels})`, [team]),
      reports: await one(`SELECT count(*) FROM evaluation_reports r JOIN model_versions v ON v.id = r.version_id WHERE v.model_id IN (${teamModels})`, [team]),
      requests: await one(`SELECT count(*) FROM promotion_requests WHERE model_id IN (${teamModels})`, [team]),
      decisions: await one(`SELECT count(*) FROM promotion_decisions d JOIN promotion_requests r ON r.id = d.request_id WHERE r.model_id IN (${teamModels})`, [team]),
      aliasMoves: await one(`SELECT count(*) FROM alias_changes WHERE via = 'promotion' AND model_id IN (${teamModels}) AND model_id NOT IN (SELECT id FROM registered_models WHERE name = $2)`, [team, rolloutModel]),
      points: await one(`SELECT count(*) FROM metric_points WHERE model_id IN (${rollout})`, [rolloutModel]),
      rollupItems: await one(`SELECT coalesce(sum(items), 0) FROM metric_rollups WHERE model_id IN (${rollout})`, [rolloutModel]),
      batches: await one(`SELECT count(*) FROM metric_batches WHERE model_id IN (${rollout})`, [rolloutModel]),
      lastAuditId: await one("SELECT coalesce(max(id), 0) FROM audit_events"),
      audited: Object.fromEntries(
        (
          await client.query(
            `SELECT action, count(*)::int AS n FROM audit_events WHERE action = ANY($1) AND team_id = (SELECT id FROM teams WHERE slug = $2) GROUP BY action`,
            [AUDITED, team],
          )
        ).rows.map((r) => [r.action, r.n]),
      ),
    };
  } finally {
    await client.end();
  }
}

/** The audit chain recomputed from its genesis by `npm run gatehouse -- audit verify`'s code, on the load database. */
export async function verifyAuditChain(env) {
  const child = spawn(process.execPath, [...tsxArgs, path.join(root, "scripts", "cli.ts"), "audit", "verify"], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (c) => (out += c));
  child.stderr.on("data", (c) => (err += c));
  const code = await new Promise((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
  const last = out.trim().split("\n").pop() ?? "";
  try {
    return { ...JSON.parse(last), exitCode: code };
  } catch {
    return { ok: false, checked: 0, firstBrokenId: null, error: `audit verify exited ${code}: ${(err || out).trim().slice(-500)}` };
  }
}
