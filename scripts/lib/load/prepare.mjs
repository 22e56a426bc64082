// Everything the load needs, made over HTTP as the admin and the simulated people would: a team, 50 people with
// roles in it, tokens for ingest and serving, one model per engineer whose staging needs one ML Lead's approval
// (v1 already approved, so serving has aliases to look up), a few requests waiting for two leads at once, and a
// model with a canary rollout to ingest into.
import { randomBytes } from "node:crypto";
import { C } from "./categories.mjs";
import { createClient, CookieJar, signIn } from "./http.mjs";

export const TEAM = "load";
export const PASSWORD = "load-test-password-0123";
export const ROLLOUT_MODEL = "load-rollout";
const CONFLICT_MODELS = 4;

/** Who the 50 simulated people are; engineers and ML Leads decide, the others only read. */
export const PEOPLE = [
  ["engineer", 20],
  ["ml-lead", 12],
  ["viewer", 8],
  ["auditor", 5],
  ["compliance-officer", 5],
];

const JUSTIFICATION = "Retrained on last week's data; offline AUC is up and latency unchanged.";
const STAGING_ONE_LEAD = "stages:\n  staging:\n    approvals:\n      quorum: [{ role: ml-lead }]\n      electronicSignature: never\n";
const STAGING_NO_APPROVALS = "stages:\n  staging:\n    approvals:\n      quorum: []\n";
// A canary that holds its first step for an hour: the rollout stays live for the whole run. Its rollback bound is
// far above the latencies the load sends, so no judgement rolls it back meanwhile.
const STAGING_CANARY = `${STAGING_NO_APPROVALS}    rollout:
      strategy: canary
      canary:
        steps:
          - { percent: 10, hold: 1h }
          - { percent: 100, hold: 1h }
      minSamples: 5
      criteria:
        - metric: latency_p95_ms
          kind: percentile
          direction: lower
          advance: { relative: 10 }
          rollback: { max: 10000 }
`;

/** The reports that pass the organisation default's staging gates. */
export const STAGING_REPORTS = [
  { kind: "tests", payload: { suites: [{ name: "unit", kind: "unit", passed: 12, failed: 0 }] } },
  { kind: "data-validation", payload: { dataset: "snapshot", checks: [{ name: "no nulls", passed: true }] } },
];

const hex = (bytes) => randomBytes(bytes).toString("hex");

/** A complete, reproducible version body, different every time. */
export function versionBody() {
  return {
    description: "weekly retrain",
    artifact: { uri: `s3://models/load/${hex(6)}/model.onnx`, checksum: `sha256:${hex(32)}` },
    signature: { inputs: [{ name: "amount", type: "double" }], outputs: [{ name: "score", type: "double" }] },
    lineage: {
      codeRepository: "https://git.example.com/ml/load",
      commitSha: hex(20),
      dataSnapshotUri: "s3://data/load/2026-11-01",
      dataHash: `sha256:${hex(32)}`,
      featureSet: { name: "load-features", version: "3" },
      trainingRun: { id: `run-${hex(4)}`, url: "https://mlflow.example.com/#/runs/1" },
      hyperparameters: { max_depth: 8, learning_rate: 0.1 },
    },
    environment: { imageDigest: `sha256:${hex(32)}`, lockfileHash: `sha256:${hex(32)}`, runtime: "python 3.11", accelerator: "cuda 12.4", resourceClass: "gpu-small" },
  };
}

/** A browser-like client for one person: its own cookies, up to 6 connections, same-origin changes. */
export function personClient(base, recorder) {
  return createClient({ base, connections: 6, jar: new CookieJar(), recorder, headers: { origin: base, "user-agent": "gatehouse-load" } });
}

async function ok(res, status, what) {
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status}: ${res.text().slice(0, 500)}`);
  return res.status === 204 ? null : res.json();
}

/** Runs `fn` over `items`, `limit` at a time. */
async function inBatches(items, limit, fn) {
  const out = [];
  for (let i = 0; i < items.length; i += limit) out.push(...(await Promise.all(items.slice(i, i + limit).map(fn))));
  return out;
}

/** Registers a version with the reports its staging gates need; its number. */
export async function registerReadyVersion(client, model) {
  const v = await ok(await client.send({ method: "POST", path: `/api/v1/models/${model}/versions`, body: versionBody() }), 201, `registering a version of ${model}`);
  for (const report of STAGING_REPORTS) await ok(await client.send({ method: "POST", path: `/api/v1/models/${model}/versions/${v.version}/reports`, body: report }), 201, `a report on ${model} v${v.version}`);
  return v.version;
}

/** The same during the run, recorded, counting what the server acknowledged; null when a step was refused. */
export async function registerReadyVersionRecorded(client, model, counters) {
  const v = await client.send({ method: "POST", path: `/api/v1/models/${model}/versions`, body: versionBody(), category: C.version });
  if (v.status !== 201) return null;
  counters.versions += 1;
  const { version } = v.json();
  for (const report of STAGING_REPORTS) {
    const r = await client.send({ method: "POST", path: `/api/v1/models/${model}/versions/${version}/reports`, body: report, category: C.report });
    if (r.status !== 201) return null;
    counters.reports += 1;
  }
  return version;
}

export async function prepare({ base, adminEmail, adminPassword, log }) {
  const admin = personClient(base, null);
  await signIn(admin, { email: adminEmail, password: adminPassword });
  await ok(await admin.send({ method: "POST", path: "/api/v1/teams", body: { slug: TEAM, name: "Load test" } }), 201, "creating the team");

  log("creating 50 people and signing them in…");
  const specs = PEOPLE.flatMap(([role, n]) => Array.from({ length: n }, (_, i) => ({ role, email: `load-${role}-${String(i + 1).padStart(2, "0")}@example.com` })));
  await inBatches(specs, 4, async (p) =>
    ok(await admin.send({ method: "POST", path: "/api/v1/users", body: { email: p.email, name: `Load ${p.role} ${p.email.slice(-14, -12)}`, password: PASSWORD, roles: [{ role: p.role, team: TEAM }] } }), 201, `creating ${p.email}`),
  );
  const people = await inBatches(specs, 4, async (p) => {
    const client = personClient(base, null);
    await signIn(client, { email: p.email, password: PASSWORD });
    return { ...p, client };
  });

  const token = async (name, scopes) => (await ok(await admin.send({ method: "POST", path: "/api/v1/tokens", body: { name, kind: "service", scopes } }), 201, `creating token ${name}`)).token;
  const servingToken = await token("load-serving", ["serving:read"]);
  const metricsToken = await token("load-metrics", ["metrics:write"]);

  log("creating the engineers' models, each with v1 approved for staging…");
  const engineers = people.filter((p) => p.role === "engineer");
  const leads = people.filter((p) => p.role === "ml-lead");
  const policy = (model, document) => admin.send({ method: "PUT", path: `/api/v1/models/${model}/policy`, body: { document, comment: "Load test policy." } });
  const models = await inBatches(engineers, 4, async (e) => {
    const i = engineers.indexOf(e);
    const name = `load-m${String(i + 1).padStart(2, "0")}`;
    await ok(await e.client.send({ method: "POST", path: "/api/v1/models", body: { name, team: TEAM, description: "A model the load test promotes." } }), 201, `creating ${name}`);
    await ok(await policy(name, STAGING_ONE_LEAD), 200, `the policy of ${name}`);
    const version = await registerReadyVersion(e.client, name);
    const request = await ok(await e.client.send({ method: "POST", path: "/api/v1/promotions", body: { model: name, version, stage: "staging", justification: JUSTIFICATION } }), 201, `requesting ${name} v1`);
    const decided = await ok(await leads[i % leads.length].client.send({ method: "POST", path: `/api/v1/promotions/${request.id}/decisions`, body: { decision: "approve", comment: "Set-up approval: gates pass, lineage complete." } }), 201, `approving ${name} v1`);
    if (decided.status !== "applied") throw new Error(`${name} v1 was approved but is ${decided.status}`);
    e.model = name;
    return { name, owner: e.email, latest: version };
  });

  // Requests nobody else will touch, for the first pairs of leads deciding at the same moment: so the conflict is
  // exercised however few decisions a slow machine gets through in the run.
  const conflicts = await inBatches(Array.from({ length: CONFLICT_MODELS }, (_, i) => i), 4, async (i) => {
    const e = engineers[i % engineers.length];
    const name = `load-conflict-${i + 1}`;
    await ok(await e.client.send({ method: "POST", path: "/api/v1/models", body: { name, team: TEAM, description: "Two ML Leads decide its request at the same moment." } }), 201, `creating ${name}`);
    await ok(await policy(name, STAGING_ONE_LEAD), 200, `the policy of ${name}`);
    const version = await registerReadyVersion(e.client, name);
    const request = await ok(await e.client.send({ method: "POST", path: "/api/v1/promotions", body: { model: name, version, stage: "staging", justification: JUSTIFICATION } }), 201, `requesting ${name} v1`);
    return { id: request.id, model: name };
  });

  log("starting a canary rollout to ingest metrics into…");
  const owner = engineers[0].client;
  await ok(await owner.send({ method: "POST", path: "/api/v1/models", body: { name: ROLLOUT_MODEL, team: TEAM, description: "The model the load test's metrics go to." } }), 201, "creating the rollout model");
  await ok(await policy(ROLLOUT_MODEL, STAGING_NO_APPROVALS), 200, "the rollout model's first policy");
  for (let v = 1; v <= 2; v++) await registerReadyVersion(owner, ROLLOUT_MODEL);
  const first = await ok(await owner.send({ method: "POST", path: "/api/v1/promotions", body: { model: ROLLOUT_MODEL, version: 1, stage: "staging", justification: JUSTIFICATION } }), 201, "promoting the rollout model's v1");
  if (first.status !== "applied") throw new Error(`the rollout model's v1 is ${first.status}, not applied`);
  await ok(await policy(ROLLOUT_MODEL, STAGING_CANARY), 200, "the rollout model's canary policy");
  const second = await ok(await owner.send({ method: "POST", path: "/api/v1/promotions", body: { model: ROLLOUT_MODEL, version: 2, stage: "staging", justification: JUSTIFICATION } }), 201, "requesting the rollout model's v2");
  if (second.status !== "rolling-out") throw new Error(`the rollout model's v2 is ${second.status}, not rolling-out`);
  const rollouts = await ok(await owner.send({ path: `/api/v1/rollouts?model=${ROLLOUT_MODEL}` }), 200, "listing the rollout");
  const rollout = rollouts.items[0];
  admin.close();
  return { people, models, conflicts, rollout: { id: rollout.id, model: ROLLOUT_MODEL, versions: [1, 2] }, servingToken, metricsToken };
}
