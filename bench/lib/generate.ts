// The benchmark's organisation, written in bulk into a database that already holds the demo (npm run bench:data).
// Rows go in with multi-row INSERT … SELECT FROM unnest (metric points with generate_series), not through the use
// cases, which would take hours at this size; their shapes are the use cases' own: request gates and rollout
// plans are copied from the demo's requests and rollouts, and every row has the audit event the use case would
// have written, chained onto the demo's events so the whole chain verifies.
//
// Deterministic: names, numbers, lineage, statuses and values come from the scale and fixed formulas; times are
// laid out over the two years before the day it runs (so today's inbox is today's).
import { createHash } from "node:crypto";
import pg from "pg";
import { GENESIS_HASH, chainEvent, type AuditContent } from "../../lib/audit/chain";
import { modelName, type Scale } from "./scale";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
const CHUNK = 5_000;

const hex = (seed: string, n = 64) => createHash("sha256").update(seed).digest("hex").slice(0, n);
/** A cuid-shaped id (25 characters, starts with c), unique per kind and number. */
export const cuid = (kind: string, n: number) => `cb${kind}${n.toString(36).padStart(21, "0")}`;
/** A number in [0, 1) from a string, for values that must look varied but stay the same each run. */
const unit = (seed: string) => parseInt(hex(seed, 8), 16) / 2 ** 32;
const round = (x: number, digits = 3) => Number(x.toFixed(digits));

type Log = (message: string) => void;
type Column = [name: string, type: string];

/** Inserts `rows` (arrays in `columns` order) a chunk at a time, one statement each. */
async function insert(client: pg.PoolClient, table: string, columns: Column[], rows: unknown[][]): Promise<void> {
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    const arrays = columns.map((_, c) => chunk.map((r) => r[c] ?? null));
    const sql = `INSERT INTO ${table} (${columns.map(([n]) => `"${n}"`).join(", ")}) SELECT * FROM unnest(${columns.map(([, t], i) => `$${i + 1}::${t}[]`).join(", ")})`;
    await client.query(sql, arrays);
  }
}

/** Batches rows for one table and flushes them as they fill, so the biggest tables never sit whole in memory. */
class Sink {
  private rows: unknown[][] = [];
  count = 0;
  constructor(
    private client: pg.PoolClient,
    private table: string,
    private columns: Column[],
    /** Rows this table's foreign keys point at: flushed first. */
    private after?: Sink,
  ) {}
  async add(row: unknown[]) {
    this.rows.push(row);
    this.count++;
    if (this.rows.length >= CHUNK * 4) await this.flush();
  }
  async flush() {
    await this.after?.flush();
    const rows = this.rows;
    this.rows = [];
    await insert(this.client, this.table, this.columns, rows);
  }
}

type Team = { id: string; slug: string; lead: { id: string; label: string } };
type Model = { index: number; id: string; name: string; team: Team; riskTier: string; createdAt: number; aliases: Map<string, number> };
type Request = {
  n: number;
  id: string;
  model: Model;
  version: number;
  stage: "staging" | "production";
  alias: string;
  status: string;
  statusReason: string;
  at: number;
  closedAt: number | null;
  fromVersion: number | null;
  justification: string;
  rollout: number | null;
};
type Spec = { at: number; build: (id: string) => Omit<AuditContent, "id"> };

export type GenerateResult = { models: number; versions: number; reports: number; requests: number; decisions: number; rollouts: number; points: number; rollups: number; auditEvents: number };

/**
 * Writes the organisation for `scale` through `pool` (a database with the demo seeded and nothing running against
 * it) and returns what it wrote. `teams` are the teams to spread the models over, with an ML Lead each.
 */
export async function generate(opts: { pool: pg.Pool; scale: Scale; teams: Team[]; now: number; log: Log }): Promise<GenerateResult> {
  const { pool, scale, teams, log } = opts;
  const client = await pool.connect();
  try {
    await client.query("SET synchronous_commit = off");
    const end = Math.floor(opts.now / DAY) * DAY - DAY; // history ends yesterday at 00:00 UTC
    const start = end - 730 * DAY;
    const span = end - start;
    const M = scale.models;
    const V = scale.versionsPerModel;
    const specs: Spec[] = [];

    // Templates from the demo: a staging request that applied by itself, a production request waiting for an ML
    // Lead, a production canary request and its rollout's plan.
    const template = async (where: string) => (await client.query(`SELECT gates, evidence_hash FROM promotion_requests WHERE ${where} ORDER BY number LIMIT 1`)).rows[0];
    const stagingGates = await template("stage = 'staging' AND status = 'applied'");
    const productionGates = await template("stage = 'production' AND status = 'awaiting-approval'");
    const canaryGates = await template("stage = 'production' AND strategy = 'canary' AND status = 'rolling-out'");
    const plan = (await client.query("SELECT plan FROM rollouts WHERE strategy = 'canary' ORDER BY number LIMIT 1")).rows[0]?.plan;
    if (!stagingGates || !productionGates || !canaryGates || !plan) throw new Error("The demo seed's requests and rollouts are missing: bench:data seeds the demo first");

    // Models.
    log(`${M.toLocaleString("en")} models…`);
    const models: Model[] = [];
    const modelRows: unknown[][] = [];
    for (let m = 0; m < M; m++) {
      const team = teams[m % teams.length];
      const name = modelName(m, team.slug);
      const createdAt = start - (M - m) * MINUTE;
      const riskTier = m % 4 === 0 ? "regulated" : "standard";
      const tags = { domain: team.slug, framework: ["xgboost", "pytorch", "lightgbm", "sklearn"][m % 4] };
      const model: Model = { index: m, id: cuid("md", m), name, team, riskTier, createdAt, aliases: new Map() };
      models.push(model);
      modelRows.push([model.id, name, `${name.split("-")[1]} model of ${team.slug} (benchmark data)`, team.id, JSON.stringify(tags), riskTier, new Date(createdAt), new Date(createdAt)]);
      specs.push({ at: createdAt, build: () => ({ ...system(createdAt, "bench data"), action: "model.create", targetType: "model", targetId: model.id, teamId: team.id, before: null, after: { name, tags, team: team.slug, riskTier }, reason: null }) });
    }
    await insert(client, "registered_models", [["id", "text"], ["name", "text"], ["description", "text"], ["team_id", "text"], ["tags", "jsonb"], ["risk_tier", "text"], ["created_at", "timestamptz"], ["updated_at", "timestamptz"]], modelRows);

    // Versions and their reports, in the order they were registered: version k of every model, then k + 1.
    log(`${(M * V).toLocaleString("en")} versions with ${scale.reportsPerVersion} reports each…`);
    const versionTime = (m: number, k: number) => start + Math.floor((((k - 1) * M + m + 0.5) / (M * V)) * (span - 60 * DAY));
    const versionId = (m: number, k: number) => cuid("vr", m * V + (k - 1));
    const versions = new Sink(client, "model_versions", [
      ["id", "text"], ["model_id", "text"], ["version", "int4"], ["description", "text"], ["tags", "jsonb"], ["artifact_uri", "text"], ["artifact_checksum", "text"], ["signature", "jsonb"],
      ["code_repository", "text"], ["commit_sha", "text"], ["data_snapshot_uri", "text"], ["data_hash", "text"], ["feature_set_name", "text"], ["feature_set_version", "text"],
      ["training_run_id", "text"], ["training_run_url", "text"], ["hyperparameters", "jsonb"], ["parent_version", "int4"], ["image_digest", "text"], ["lockfile_hash", "text"],
      ["runtime", "text"], ["accelerator", "text"], ["resource_class", "text"], ["registered_by", "text"], ["created_at", "timestamptz"], ["updated_at", "timestamptz"],
    ]);
    const reports = new Sink(client, "evaluation_reports", [["id", "text"], ["version_id", "text"], ["kind", "text"], ["payload", "jsonb"], ["created_by", "text"], ["created_at", "timestamptz"]], versions);
    const signature = JSON.stringify({ inputs: [{ name: "amount", type: "double" }, { name: "account_age_days", type: "long" }, { name: "segment", type: "string", optional: true }], outputs: [{ name: "score", type: "double" }] });
    for (let k = 1; k <= V; k++) {
      for (let m = 0; m < M; m++) {
        const model = models[m];
        const at = versionTime(m, k);
        const id = versionId(m, k);
        const seed = `${model.name}-${k}`;
        const lineage = {
          codeRepository: `https://git.example.com/ml/${model.name}`,
          commitSha: hex(`${seed}-commit`, 40),
          dataSnapshotUri: `s3://ml-data/${model.name}/snapshots/${new Date(at).toISOString().slice(0, 10)}`,
          dataHash: `sha256:${hex(`${seed}-data`)}`,
          featureSet: { name: `${model.team.slug}-features`, version: String(1 + Math.floor(k / 10)) },
          trainingRun: { id: `run-${hex(`${seed}-run`, 12)}`, url: `https://mlflow.example.com/#/experiments/${m + 1}/runs/${hex(`${seed}-run`, 12)}` },
          parentVersion: k > 1 ? k - 1 : null,
        };
        const artifact = { uri: `s3://ml-artifacts/${model.name}/${k}/model.onnx`, checksum: `sha256:${hex(`${seed}-artifact`)}` };
        await versions.add([
          id, model.id, k, `nightly retrain ${k} of ${model.name}`, JSON.stringify({ trainer: "nightly-pipeline" }), artifact.uri, artifact.checksum, signature,
          lineage.codeRepository, lineage.commitSha, lineage.dataSnapshotUri, lineage.dataHash, lineage.featureSet.name, lineage.featureSet.version,
          lineage.trainingRun.id, lineage.trainingRun.url, JSON.stringify({ max_depth: 4 + (k % 5), n_estimators: 100 * (1 + (k % 8)), learning_rate: round(0.05 + (k % 6) / 100) }), lineage.parentVersion,
          `sha256:${hex(`${seed}-image`)}`, `sha256:${hex(`${model.name}-lock-${Math.floor(k / 20)}`)}`, "python 3.11.9", "none", "cpu-medium", "nightly pipeline", new Date(at), new Date(at),
        ]);
        const teamId = model.team.id;
        specs.push({ at, build: () => ({ ...system(at, "nightly pipeline"), action: "version.register", targetType: "model-version", targetId: id, teamId, before: null, after: { model: model.name, version: k, artifact, lineage }, reason: null }) });
        const auc = round(0.8 + 0.1 * unit(`${seed}-auc`));
        const p95 = 10 + Math.floor(40 * unit(`${seed}-p95`));
        const payloads: [string, unknown][] = [
          ["offline-metrics", { dataset: { name: `${model.name}-holdout`, hash: `sha256:${hex(`${seed}-holdout`)}` }, metrics: { auc, log_loss: round(0.5 - auc / 3) } }],
          ["latency", { percentilesMs: { p50: Math.round(p95 * 0.45), p95, p99: Math.round(p95 * 1.4) }, throughputRps: 1200, concurrency: 32, durationSeconds: 300 }],
          ["security-scan", { scanner: "trivy 0.56", findings: [] }],
        ];
        for (let j = 0; j < scale.reportsPerVersion; j++) {
          const rid = cuid("rp", (m * V + (k - 1)) * scale.reportsPerVersion + j);
          const rat = at + (j + 1) * 1000;
          const [kind, payload] = payloads[j];
          await reports.add([rid, id, kind, JSON.stringify(payload), "nightly pipeline", new Date(rat)]);
          specs.push({ at: rat, build: () => ({ ...system(rat, "nightly pipeline"), action: "report.add", targetType: "report", targetId: rid, teamId, before: null, after: { kind, model: model.name, version: k }, reason: null }) });
        }
      }
    }
    await versions.flush();
    await reports.flush();

    // Promotion history, replayed in time order so every request sees the alias as it then was.
    log(`${scale.requests.toLocaleString("en")} promotion requests, ${scale.rollouts} of them rollouts…`);
    const latestBefore = (m: number, at: number) => {
      let k = Math.floor((((at - start) / (span - 60 * DAY)) * M * V - m - 0.5) / M) + 1;
      while (k > 1 && versionTime(m, k) > at) k--;
      return Math.max(1, Math.min(V, k));
    };
    type Planned = { at: number; model: Model; stage: "staging" | "production"; fate: string; rollout: number | null };
    const planned: Planned[] = [];
    const historic = scale.requests - scale.awaiting - scale.rollouts;
    const FATES = ["applied", "applied", "applied", "applied", "applied", "applied", "applied", "applied", "applied", "applied", "applied", "applied", "applied", "rejected", "rejected", "cancelled", "cancelled", "superseded", "superseded", "expired"];
    for (let r = 0; r < historic; r++) {
      const at = start + 30 * DAY + Math.floor(((r + 0.5) / historic) * (span - 40 * DAY));
      planned.push({ at, model: models[(r * 7919) % M], stage: r % 5 < 3 ? "staging" : "production", fate: FATES[r % FATES.length], rollout: null });
    }
    // Rollouts: the first over the last week of history (its chart holds the long series), the others a day each before it.
    const rolloutSpan = (i: number) => (i === 0 ? { from: end - 8 * DAY, to: end - DAY } : { from: end - 10 * DAY - i * 9 * DAY, to: end - 9 * DAY - i * 9 * DAY });
    for (let i = 0; i < scale.rollouts; i++) {
      // The first on a payments model, whose ML Lead (lead@gatehouse.local) the benchmark acts as.
      planned.push({ at: rolloutSpan(i).from - HOUR, model: models[Math.floor((i * M) / scale.rollouts)], stage: "production", fate: "rollout", rollout: i });
    }
    planned.sort((a, b) => a.at - b.at);

    const requests: Request[] = [];
    const payments = teams.find((t) => t.slug === "payments") ?? teams[0];
    const paymentsModels = models.filter((m) => m.team === payments);
    for (const m of models) {
      const at = versionTime(m.index, 1) + 5_000;
      for (const alias of ["champion", "staging"]) {
        m.aliases.set(alias, 1);
        specs.push({ at, build: () => ({ ...system(at, "bench data"), action: "alias.import", targetType: "alias", targetId: `${m.name}@${alias}`, teamId: m.team.id, before: { version: null }, after: { via: "import", version: 1 }, reason: "Where the aliases pointed before Gatehouse (benchmark data)" }) });
      }
    }
    const aliasChanges: unknown[][] = [];
    for (const m of models) for (const alias of ["champion", "staging"]) aliasChanges.push([cuid("ai", aliasChanges.length), m.id, alias, null, 1, null, "bench data", "Where the aliases pointed before Gatehouse (benchmark data)", "import", null, new Date(versionTime(m.index, 1) + 5_000)]);

    let n = (await client.query("SELECT COALESCE(MAX(number), 0)::int AS n FROM promotion_requests")).rows[0].n as number;
    const decisions: unknown[][] = [];
    const rolloutRows: unknown[][] = [];
    const rolloutEvents: unknown[][] = [];
    const rolloutList: { i: number; id: string; model: Model; challenger: number; champion: number; from: number; to: number }[] = [];
    const decide = (req: Request, at: number, decision: "approve" | "reject") => {
      const id = cuid("dc", decisions.length);
      const comment = decision === "approve" ? "Evidence and gates reviewed; approved." : "The regression on the holdout is not explained; rejected.";
      const evidenceHash = hex(`${req.id}-evidence`);
      decisions.push([id, req.id, 1, req.model.team.lead.id, req.model.team.lead.label, decision, comment, "ml-lead", evidenceHash, new Date(at)]);
      specs.push({ at, build: () => ({ ...user(at, req.model.team.lead), action: "promotion.decide", targetType: "promotion", targetId: req.id, teamId: req.model.team.id, before: null, after: { roles: ["ml-lead"], round: 1, decision, signature: null, decisionId: id, evidenceHash }, reason: comment }) });
    };
    const moveAlias = (req: Request, at: number, via: string) => {
      const from = req.model.aliases.get(req.alias) ?? null;
      req.model.aliases.set(req.alias, req.version);
      aliasChanges.push([cuid("ai", aliasChanges.length), req.model.id, req.alias, from, req.version, null, via === "promotion" ? "nightly pipeline" : req.model.team.lead.label, `Promotion #${req.n}: ${req.justification}`, via, req.id, new Date(at)]);
      specs.push({ at, build: () => ({ ...system(at, "Gatehouse"), action: "alias.set", targetType: "alias", targetId: `${req.model.name}@${req.alias}`, teamId: req.model.team.id, before: { version: from }, after: { via, version: req.version, requestId: req.id }, reason: `Promotion #${req.n}: ${req.justification}` }) });
    };
    for (const p of planned) {
      const alias = p.stage === "staging" ? "staging" : "champion";
      const holder = p.model.aliases.get(alias) ?? null;
      let version = latestBefore(p.model.index, p.at - HOUR);
      let fate = p.fate;
      if (version === holder) fate = p.rollout === null ? "cancelled" : fate;
      if (p.rollout !== null && version === holder) version = Math.max(1, holder - 1); // a rollout needs a challenger other than the champion
      const req: Request = { n: ++n, id: cuid("pr", requests.length), model: p.model, version, stage: p.stage, alias, status: fate === "rollout" ? "applied" : fate, statusReason: "", at: p.at, closedAt: null, fromVersion: holder, justification: `v${version} of ${p.model.name}: retrained on the latest snapshot; evaluation attached.`, rollout: p.rollout };
      requests.push(req);
      const closeAt = p.at + (p.rollout !== null ? rolloutSpan(p.rollout).to - p.at + 10 * MINUTE : 2 * HOUR);
      specs.push({ at: p.at, build: () => ({ ...system(p.at, "nightly pipeline"), action: "promotion.request", targetType: "promotion", targetId: req.id, teamId: p.model.team.id, before: null, after: { alias, model: p.model.name, stage: p.stage, number: req.n, status: "awaiting-approval", version, emergency: false, gatesPassed: true }, reason: req.justification }) });
      const where = `${p.model.name}@${alias}`;
      if (req.status === "applied") {
        req.closedAt = closeAt;
        if (p.stage === "production") decide(req, p.at + HOUR, "approve");
        if (p.rollout !== null) {
          const i = p.rollout;
          const { from, to } = rolloutSpan(i);
          const rid = cuid("ro", i);
          rolloutList.push({ i, id: rid, model: p.model, challenger: version, champion: holder ?? 1, from, to });
          const steps = [10, 50, 100];
          const stepAt = (s: number) => from + Math.floor(((to - from) * s) / 3);
          rolloutRows.push([rid, p.model.id, req.id, "champion", versionId(p.model.index, holder ?? 1), holder ?? 1, versionId(p.model.index, version), version, "canary", JSON.stringify(plan), "completed", 2, "none", 100, new Date(stepAt(2)), "Completed; the watch window ended without a breach.", new Date(from), new Date(to), new Date(to + 10 * MINUTE), new Date(to + 10 * MINUTE), new Date(from), new Date(to + 10 * MINUTE)]);
          steps.forEach((percent, s) => rolloutEvents.push([cuid("re", rolloutEvents.length), rid, s === 0 ? "started" : "advanced", s, "canary", percent, "running", s === 0 ? p.model.team.lead.label : "Gatehouse", s === 0 ? `canary rollout of ${p.model.name} v${version} against v${holder} started at canary ${percent}%.` : `Advanced to canary ${percent}%: every criterion passed.`, new Date(stepAt(s))]));
          rolloutEvents.push([cuid("re", rolloutEvents.length), rid, "completed", 2, "none", 100, "watching", "Gatehouse", `Completed: ${where} now points at v${version}.`, new Date(to)]);
          rolloutEvents.push([cuid("re", rolloutEvents.length), rid, "watch-ended", 2, "none", 100, "completed", "Gatehouse", "The watch window ended without a breach.", new Date(to + 10 * MINUTE)]);
          specs.push({ at: from, build: () => ({ ...user(from, p.model.team.lead), action: "rollout.started", targetType: "rollout", targetId: rid, teamId: p.model.team.id, before: null, after: { mode: "canary", status: "running", stepIndex: 0, trafficPercent: 10 }, reason: `canary rollout of ${p.model.name} v${version} against v${holder} started at canary 10%.` }) });
          specs.push({ at: to, build: () => ({ ...system(to, "Gatehouse"), action: "rollout.completed", targetType: "rollout", targetId: rid, teamId: p.model.team.id, before: { status: "running" }, after: { status: "watching", trafficPercent: 100 }, reason: `Completed: ${where} now points at v${version}.` }) });
          moveAlias(req, to, "rollout");
          req.statusReason = `Rolled out on live traffic; ${where} moved from v${holder} to v${version}.`;
        } else {
          moveAlias(req, closeAt, "promotion");
          req.statusReason = p.stage === "staging" ? `${where} moved from v${holder} to v${version} automatically: the policy asks for no approvals for staging.` : `${where} moved from v${holder} to v${version}.`;
        }
        specs.push({ at: closeAt, build: () => ({ ...system(closeAt, "Gatehouse"), action: "promotion.applied", targetType: "promotion", targetId: req.id, teamId: p.model.team.id, before: { status: "approved" }, after: { alias: where, status: "applied", version, automatic: p.stage === "staging", emergency: false }, reason: req.statusReason }) });
      } else {
        req.closedAt = closeAt;
        if (req.status === "rejected") decide(req, closeAt, "reject");
        req.statusReason = { rejected: `Rejected by ${p.model.team.lead.label}.`, cancelled: "Cancelled by the requester: a newer retrain is coming.", superseded: "Superseded by a newer request for the same alias.", expired: "Expired: no decision within 14 days." }[req.status] ?? req.status;
        specs.push({ at: closeAt, build: () => ({ ...system(closeAt, "Gatehouse"), action: `promotion.${req.status}`, targetType: "promotion", targetId: req.id, teamId: p.model.team.id, before: { status: "awaiting-approval" }, after: { status: req.status }, reason: req.statusReason }) });
      }
    }
    // Today's inbox: production requests of payments models, each waiting for payments' ML Lead.
    for (let a = 0; a < scale.awaiting; a++) {
      const model = paymentsModels[a % paymentsModels.length];
      const at = opts.now - 2 * HOUR + a * Math.floor(HOUR / Math.max(1, scale.awaiting));
      const holder = model.aliases.get("champion") ?? null;
      const version = V;
      const req: Request = { n: ++n, id: cuid("pr", requests.length), model, version, stage: "production", alias: "champion", status: "awaiting-approval", statusReason: "Waiting for 1 ml-lead.", at, closedAt: null, fromVersion: holder, justification: `v${version} of ${model.name}: the latest retrain, gates green; needs the ML Lead's sign-off.`, rollout: null };
      requests.push(req);
      specs.push({ at, build: () => ({ ...system(at, "nightly pipeline"), action: "promotion.request", targetType: "promotion", targetId: req.id, teamId: model.team.id, before: null, after: { alias: "champion", model: model.name, stage: "production", number: req.n, status: "awaiting-approval", version, emergency: false, gatesPassed: true }, reason: req.justification }) });
    }

    await insert(
      client,
      "promotion_requests",
      [
        ["id", "text"], ["number", "int4"], ["model_id", "text"], ["version_id", "text"], ["stage", "text"], ["alias", "text"], ["status", "text"], ["status_reason", "text"], ["justification", "text"],
        ["requester_label", "text"], ["policy_default_version", "int4"], ["policy_model_version", "int4"], ["strategy", "text"], ["gates", "jsonb"], ["gates_passed", "bool"], ["evidence_hash", "text"],
        ["evaluated_at", "timestamptz"], ["from_version", "int4"], ["expires_at", "timestamptz"], ["closed_at", "timestamptz"], ["created_at", "timestamptz"], ["updated_at", "timestamptz"],
      ],
      requests.map((r) => {
        const t = r.stage === "staging" ? stagingGates : r.rollout !== null ? canaryGates : productionGates;
        return [
          r.id, r.n, r.model.id, versionId(r.model.index, r.version), r.stage, r.alias, r.status, r.statusReason, r.justification, "nightly pipeline", 0, 0,
          r.stage === "staging" ? "direct" : r.rollout !== null ? "canary" : "direct", JSON.stringify(t.gates), true, hex(`${r.id}-evidence`),
          new Date(r.at), r.fromVersion, new Date(r.closedAt ?? opts.now + 14 * DAY), r.closedAt === null ? null : new Date(r.closedAt), new Date(r.at), new Date(r.closedAt ?? r.at),
        ];
      }),
    );
    await client.query("SELECT setval(pg_get_serial_sequence('promotion_requests', 'number'), $1)", [n]);
    // roles is text[]: sent as one comma-joined string a row, split in SQL (unnest would flatten a 2-D array).
    for (let i = 0; i < decisions.length; i += CHUNK) {
      const chunk = decisions.slice(i, i + CHUNK);
      const col = (c: number) => chunk.map((d) => d[c]);
      await client.query(
        `INSERT INTO promotion_decisions (id, request_id, round, user_id, user_label, decision, comment, roles, evidence_hash, created_at)
         SELECT id, request_id, round, user_id, user_label, decision, comment, string_to_array(roles, ','), evidence_hash, created_at
         FROM unnest($1::text[], $2::text[], $3::int4[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[])
           AS d(id, request_id, round, user_id, user_label, decision, comment, roles, evidence_hash, created_at)`,
        [col(0), col(1), col(2), col(3), col(4), col(5), col(6), col(7), col(8), col(9)],
      );
    }
    await insert(
      client,
      "rollouts",
      [
        ["id", "text"], ["model_id", "text"], ["request_id", "text"], ["alias", "text"], ["champion_version_id", "text"], ["champion_version", "int4"], ["challenger_version_id", "text"], ["challenger_version", "int4"],
        ["strategy", "text"], ["plan", "jsonb"], ["status", "text"], ["step_index", "int4"], ["mode", "text"], ["traffic_percent", "float8"], ["step_started_at", "timestamptz"], ["status_reason", "text"],
        ["started_at", "timestamptz"], ["completed_at", "timestamptz"], ["watch_until", "timestamptz"], ["ended_at", "timestamptz"], ["created_at", "timestamptz"], ["updated_at", "timestamptz"],
      ],
      rolloutRows.sort((a, b) => (a[16] as Date).getTime() - (b[16] as Date).getTime()),
    );
    await insert(client, "rollout_events", [["id", "text"], ["rollout_id", "text"], ["kind", "text"], ["step_index", "int4"], ["mode", "text"], ["traffic_percent", "float8"], ["status", "text"], ["actor_label", "text"], ["reason", "text"], ["created_at", "timestamptz"]], rolloutEvents);
    await insert(client, "alias_changes", [["id", "text"], ["model_id", "text"], ["alias", "text"], ["from_version", "int4"], ["to_version", "int4"], ["actor_id", "text"], ["actor_label", "text"], ["reason", "text"], ["via", "text"], ["request_id", "text"], ["created_at", "timestamptz"]], aliasChanges);
    const aliasRows: unknown[][] = [];
    for (const m of models) for (const [alias, version] of m.aliases) aliasRows.push([cuid("al", aliasRows.length), m.id, alias, versionId(m.index, version), new Date(end)]);
    await insert(client, "model_aliases", [["id", "text"], ["model_id", "text"], ["name", "text"], ["version_id", "text"], ["updated_at", "timestamptz"]], aliasRows);

    // Live metrics: click-through counter pairs and error counts from both versions over each rollout; the first
    // rollout's challenger sends `series` points of ctr alone.
    log(`${scale.points.toLocaleString("en")} metric points and their minute rollups…`);
    const ordered = [...rolloutList].sort((a, b) => a.i - b.i);
    const rest = scale.points - 2 * scale.series;
    const restPerRollout = Math.floor(rest / Math.max(1, ordered.length - 1) / 4);
    // What the even split leaves over goes to the last series, so the total is exactly scale.points.
    const leftOver = ordered.length > 1 ? rest - restPerRollout * 4 * (ordered.length - 1) : 0;
    let points = 0;
    for (const r of ordered) {
      const series: { versionId: string; metric: string; n: number; rate: number }[] =
        r.i === 0
          ? [
              { versionId: versionId(r.model.index, r.challenger), metric: "ctr", n: scale.series, rate: 0.052 },
              { versionId: versionId(r.model.index, r.champion), metric: "ctr", n: scale.series, rate: 0.05 },
            ]
          : [
              { versionId: versionId(r.model.index, r.challenger), metric: "ctr", n: restPerRollout, rate: 0.052 },
              { versionId: versionId(r.model.index, r.champion), metric: "ctr", n: restPerRollout, rate: 0.05 },
              { versionId: versionId(r.model.index, r.challenger), metric: "error_rate", n: restPerRollout, rate: 0.002 },
              { versionId: versionId(r.model.index, r.champion), metric: "error_rate", n: restPerRollout + (r.i === ordered.length - 1 ? leftOver : 0), rate: 0.0022 },
            ];
      for (const s of series) {
        // Counter pairs of ~1,000 requests, evenly over the rollout, each a second's window.
        await client.query(
          `INSERT INTO metric_points (model_id, version_id, metric, kind, at, window_start, numerator, denominator, dims, received_at)
           SELECT $1::text, $2::text, $3::text, 'ratio', t, t - interval '1 second', round(1000 * $4::float8 * (1 + 0.3 * sin(i / 997.0) + 0.2 * sin(i * 0.618))), 1000, '', t
           FROM generate_series(0, $5::int - 1) AS i, LATERAL (SELECT to_timestamp(($6::float8 + i * $7::float8) / 1000) AS t) AS x`,
          [r.model.id, s.versionId, s.metric, s.rate, s.n, r.from, (r.to - r.from) / s.n],
        );
        points += s.n;
      }
    }
    // Rollups as ingest keeps them: a counter pair counts in the minute holding its window's last instant.
    const rollups = await client.query(
      `INSERT INTO metric_rollups (model_id, version_id, metric, dims, bucket, items, count, sum, numerator, denominator)
       SELECT model_id, version_id, metric, dims, date_trunc('minute', at - interval '1 millisecond'), count(*), 0, 0, sum(numerator), sum(denominator)
       FROM metric_points WHERE model_id = ANY($1::text[]) GROUP BY 1, 2, 3, 4, 5`,
      [ordered.map((r) => r.model.id)],
    );

    // The audit trail: every row above has its event; version edits fill the log up to its size.
    const demoEvents = Number((await client.query("SELECT count(*) AS n FROM audit_events")).rows[0].n);
    const filler = Math.max(0, scale.auditEvents - demoEvents - specs.length);
    log(`${(specs.length + filler).toLocaleString("en")} audit events (${filler.toLocaleString("en")} of them version edits), hash-chained onto the demo's ${demoEvents}…`);
    for (let f = 0; f < filler; f++) {
      const g = Math.floor((f * 104_729) % (M * V));
      const m = g % M;
      const k = Math.floor(g / M) + 1;
      const model = models[m];
      const at = Math.min(end - MINUTE, versionTime(m, k) + (1 + (f % 30)) * DAY + (f % 86_400) * 1000);
      const id = versionId(m, k);
      specs.push({ at, build: () => ({ ...user(at, model.team.lead), action: "version.update", targetType: "model-version", targetId: id, teamId: model.team.id, before: { tags: { trainer: "nightly-pipeline" } }, after: { tags: { trainer: "nightly-pipeline", reviewed: String(1 + (f % 3)) } }, reason: "Tagged after review" }) });
    }
    specs.sort((a, b) => a.at - b.at);
    const last = (await client.query("SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1")).rows[0] as { id: string; hash: string } | undefined;
    let prevId = BigInt(last?.id ?? 0);
    let prevHash = last?.hash ?? GENESIS_HASH;
    const events = new Sink(client, "audit_events", [
      ["id", "int8"], ["occurred_at", "timestamptz"], ["actor_type", "text"], ["actor_id", "text"], ["actor_label", "text"], ["action", "text"], ["target_type", "text"], ["target_id", "text"],
      ["team_id", "text"], ["before", "jsonb"], ["after", "jsonb"], ["reason", "text"], ["prev_hash", "text"], ["hash", "text"],
    ]);
    for (const spec of specs) {
      prevId += 1n;
      const content = { id: prevId.toString(), ...spec.build(prevId.toString()) } as AuditContent;
      const e = chainEvent(content, prevHash);
      prevHash = e.hash;
      await events.add([e.id, e.occurredAt, e.actorType, e.actorId, e.actorLabel, e.action, e.targetType, e.targetId, e.teamId, e.before === null ? null : JSON.stringify(e.before), e.after === null ? null : JSON.stringify(e.after), e.reason, e.prevHash, e.hash]);
    }
    await events.flush();

    log("analysing the tables…");
    await client.query("ANALYZE");
    return { models: M, versions: M * V, reports: reports.count, requests: requests.length, decisions: decisions.length, rollouts: rolloutList.length, points, rollups: rollups.rowCount ?? 0, auditEvents: demoEvents + events.count };
  } finally {
    client.release();
  }
}

/** The actor fields and time of an event by a system actor, as lib/audit/record.ts writes them. */
function system(at: number, label: string) {
  return { occurredAt: new Date(at).toISOString(), actorType: "system", actorId: null, actorLabel: label };
}
function user(at: number, who: { id: string; label: string }) {
  return { occurredAt: new Date(at).toISOString(), actorType: "user", actorId: who.id, actorLabel: who.label };
}
