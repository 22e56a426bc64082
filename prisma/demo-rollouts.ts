// The demo's live rollouts for `npm start`, made through the same use cases as the UI and API: a recsys-ranker canary
// that passes and completes, a churn-predictor canary whose latency breaks its rollback bound, and a credit-risk
// shadow run that stops at its compliance checkpoint. Their metrics come from lib/rollouts/simulate.ts. Holds are
// minutes, not the hours a real policy would ask for, so the whole story plays out while someone watches.
import { createHash } from "node:crypto";
import type { Actor, Role } from "@/lib/auth/permissions";
import { createUser } from "@/lib/auth/users";
import { db } from "@/lib/db";
import { putModelPolicy } from "@/lib/policy/policies";
import { decidePromotion } from "@/lib/promotions/decide";
import { requestPromotion } from "@/lib/promotions/request";
import { importAliases } from "@/lib/registry/aliases";
import type { TReportInput } from "@/lib/registry/report-schemas";
import { addReport } from "@/lib/registry/reports";
import { registerVersion } from "@/lib/registry/versions";
import { backfillChampions } from "@/lib/rollouts/simulate";
import { CREDIT_RISK_POLICY } from "./demo-policies";
import demo from "./demo-users.json";

const seeder: Actor = { kind: "system", label: "seed" };
const pipeline: Actor = { kind: "system", label: "nightly pipeline" };
const hex = (seed: string, n = 64) => createHash("sha256").update(seed).digest("hex").slice(0, n);
const indent = (yaml: string, spaces: number) =>
  yaml
    .trim()
    .split("\n")
    .map((l) => " ".repeat(spaces) + l)
    .join("\n");

/** The rollout sections (a stage's `rollout:`), exported so the simulator's database test runs the same plans. */
export const RECSYS_ROLLOUT = `
strategy: canary
canary:
  steps:
    - { percent: 10, hold: 3m }
    - { percent: 50, hold: 3m }
    - { percent: 100, hold: 3m }
minSamples: 3
criteria:
  - metric: ctr
    kind: ratio
    direction: higher
    advance: { relative: 5 }
    rollback: { relative: 15 }
  - metric: latency_p95_ms
    kind: percentile
    direction: lower
    advance: { relative: 20 }
    rollback: { max: 80 }
  - metric: error_rate
    kind: ratio
    critical: true
    advance: { absolute: 0.002 }
    rollback: { absolute: 0.005 }
watchWindow: 10m
`;

export const CHURN_ROLLOUT = `
strategy: canary
canary:
  steps:
    - { percent: 10, hold: 10m }
    - { percent: 50, hold: 10m }
    - { percent: 100, hold: 10m }
minSamples: 3
criteria:
  - metric: latency_p95_ms
    kind: percentile
    direction: lower
    advance: { relative: 10 }
    rollback: { max: 100 }
  - metric: error_rate
    kind: ratio
    critical: true
    advance: { absolute: 0.002 }
    rollback: { absolute: 0.005 }
watchWindow: 30m
`;

/** docs/policy.md's credit-risk rollout with a 3-minute shadow phase and no stable days, canary holds of 5 minutes. */
export const CREDIT_RISK_ROLLOUT = `
strategy: shadow-then-canary
shadow: { minDuration: 3m, stableDays: 0 }
canary:
  steps:
    - { percent: 10, hold: 5m }
    - { percent: 50, hold: 5m }
    - { percent: 100, hold: 5m }
checkpoints:
  - { after: shadow, role: compliance-officer }
minSamples: 3
criteria:
  - metric: auc
    kind: mean
    critical: true
    advance: { absolute: 0.01 }
    rollback: { absolute: 0.02 }
  - metric: parity_ratio
    advance: { min: 0.8 }
    rollback: { min: 0.75 }
  - metric: latency_p95_ms
    kind: percentile
    direction: lower
    advance: { max: 150 }
    rollback: { max: 200 }
verdict: { pass: 95, marginal: 75 }
watchWindow: 30m
`;

const productionRollout = (header: string, rollout: string) => `${header.trim()}
stages:
  production:
    rollout:
${indent(rollout, 6)}
`;

export const RECSYS_POLICY = productionRollout(
  `# recsys-ranker: a ranking change must hold click-through on live traffic before it takes the home feed.
# Demo timing: holds of minutes, where a real feed would hold each step for hours.
description: Canary every ranker on live traffic; judge click-through, latency and errors against the champion.`,
  RECSYS_ROLLOUT,
);

export const CHURN_POLICY = productionRollout(
  `# churn-predictor: the CRM scores subscribers inline, and gives the model 100 ms at p95.
# Demo timing: holds of minutes, where a real rollout would hold each step for hours.
description: Canary on live traffic; roll back at once when p95 latency passes the CRM's 100 ms budget.`,
  CHURN_ROLLOUT,
);

function creditRiskDemoPolicy(): string {
  const rollout = /^ {4}rollout:\n[\s\S]*$/m;
  if (!rollout.test(CREDIT_RISK_POLICY)) throw new Error("The credit-risk demo policy no longer ends with its rollout section; update prisma/demo-rollouts.ts");
  return `# Demo timing: a 3-minute shadow phase instead of 7 stable days, so the compliance checkpoint is reached on first start.\n${CREDIT_RISK_POLICY.replace(rollout, `    rollout:\n${indent(CREDIT_RISK_ROLLOUT, 6)}\n`)}`;
}

/** ML Leads of the demo's other teams (lead@ leads payments only): someone must approve and control these rollouts. */
export const DEMO_ROLLOUT_USERS = [
  { email: "lead-growth@gatehouse.local", name: "Gale Growth", roles: [{ role: "ml-lead", team: "growth" }] },
  { email: "lead-risk@gatehouse.local", name: "Remy Risk", roles: [{ role: "ml-lead", team: "risk" }] },
];

async function user(email: string): Promise<Actor> {
  const row = await db.user.findUniqueOrThrow({ where: { email }, include: { grants: true } });
  return { kind: "user", userId: row.id, label: row.email, name: row.name, grants: row.grants.map((g) => ({ role: g.role as Role, teamId: g.teamId })) };
}

type NewVersion = { model: string; version: number; note: string; feature: string; auc: number; loss: number; p95: number; env: { runtime: string; resourceClass: string } };

/** A retrained version with all the evidence the production gates ask for: reports of every kind, clean scans. */
async function registerDemoVersion(v: NewVersion): Promise<void> {
  const seed = `${v.model}-${v.version}`;
  await registerVersion({
    actor: pipeline,
    model: v.model,
    input: {
      description: v.note,
      tags: { trainer: "nightly-pipeline" },
      artifact: { uri: `s3://ml-artifacts/${v.model}/${v.version}/model.onnx`, checksum: `sha256:${hex(`${seed}-artifact`)}` },
      signature: { inputs: [{ name: "amount", type: "double" }, { name: "account_age_days", type: "long" }, { name: "merchant_category", type: "string", optional: true }], outputs: [{ name: "score", type: "double" }] },
      lineage: {
        codeRepository: `https://git.example.com/ml/${v.model}`,
        commitSha: hex(`${seed}-commit`, 40),
        dataSnapshotUri: `s3://ml-data/${v.model}/snapshots/2026-11-01`,
        dataHash: `sha256:${hex(`${seed}-data`)}`,
        featureSet: { name: v.feature, version: String(10 + v.version) },
        trainingRun: { id: `run-${hex(`${seed}-run`, 12)}`, url: `https://mlflow.example.com/#/experiments/3/runs/${hex(`${seed}-run`, 12)}` },
        parentVersion: v.version - 1,
      },
      environment: { imageDigest: `sha256:${hex(`${seed}-image`)}`, lockfileHash: `sha256:${hex(`${v.model}-lock-${v.version}`)}`, runtime: v.env.runtime, accelerator: "none", resourceClass: v.env.resourceClass },
    },
  });
  const reports: TReportInput[] = [
    { kind: "offline-metrics", payload: { dataset: { name: `${v.model}-holdout-2026-11`, hash: `sha256:${hex(`${seed}-holdout`)}` }, metrics: { auc: v.auc, log_loss: v.loss } } },
    { kind: "tests", payload: { suites: [{ name: "unit", kind: "unit", passed: 52, failed: 0 }, { name: "feature contract", kind: "contract", passed: 12, failed: 0 }, { name: "serving integration", kind: "integration", passed: 7, failed: 0 }] } },
    { kind: "data-validation", payload: { dataset: `${v.feature} snapshot`, checks: [{ name: "no nulls in key columns", passed: true }, { name: "schema matches feature set", passed: true }, { name: "label rate within 3σ of last month", passed: true }] } },
    { kind: "fairness", payload: { attribute: "age_band", groups: [{ group: "18-29", count: 4310, positiveRate: 0.029, truePositiveRate: 0.82, falsePositiveRate: 0.011 }, { group: "30-49", count: 9020, positiveRate: 0.028, truePositiveRate: 0.84, falsePositiveRate: 0.01 }, { group: "50+", count: 5190, positiveRate: 0.027, truePositiveRate: 0.83, falsePositiveRate: 0.011 }] } },
    { kind: "latency", payload: { percentilesMs: { p50: Math.round(v.p95 * 0.45), p95: v.p95, p99: Math.round(v.p95 * 1.4) }, throughputRps: 1200, concurrency: 32, durationSeconds: 300 } },
    { kind: "security-scan", payload: { scanner: "trivy 0.56", findings: [] } },
    { kind: "observability", payload: { links: [{ kind: "dashboard", title: `${v.model} live`, url: `https://grafana.example.com/d/${v.model}` }, { kind: "alert", title: "p99 latency", url: `https://alerts.example.com/rules/${v.model}-p99` }, { kind: "logs", title: "Serving logs", url: `https://logs.example.com/?q=model:${v.model}` }] } },
  ];
  for (const report of reports) await addReport({ actor: pipeline, model: v.model, version: String(v.version), input: report });
}

const ask = async (model: string, version: number, stage: string, justification: string) => (await requestPromotion({ actor: pipeline, input: { model, version, stage, justification } })).id;

async function approve(actor: Actor, id: string, comment: string, signed = false): Promise<string> {
  return (await decidePromotion({ actor, id, input: { decision: "approve", comment, ...(signed ? { password: demo.password } : {}) } })).status;
}

function expectRolling(model: string, status: string): void {
  if (status !== "rolling-out") throw new Error(`The demo's ${model} request did not start rolling out (it is ${status}); its gates or approvals changed`);
}

/**
 * Runs once, on the freshly seeded demo (after seedDemoPromotions, so requests #1 to #5 keep their numbers): the
 * three rollouts start now, and the champions get the last minutes of traffic before them.
 */
export async function seedDemoRollouts(): Promise<void> {
  for (const u of DEMO_ROLLOUT_USERS) {
    if (await db.user.findUnique({ where: { email: u.email } })) continue;
    await createUser({ actor: seeder, input: { email: u.email, name: u.name, password: demo.password, roles: u.roles.map((r) => ({ role: r.role as Role, team: r.team })), reason: "demo data" } });
  }
  const growthLead = await user("lead-growth@gatehouse.local");

  // recsys-ranker v2: through staging (no approvals there), then a production canary an ML Lead of growth approves.
  await putModelPolicy({ actor: seeder, model: "recsys-ranker", input: { document: RECSYS_POLICY, comment: "Demo policy: a live canary on click-through, latency and errors" } });
  await ask("recsys-ranker", 2, "staging", "Session features lift offline AUC by 0.011; staging soak before the canary.");
  const recsys = await ask("recsys-ranker", 2, "production", "Session features: +0.011 AUC offline; the canary will show whether click-through follows.");
  expectRolling("recsys-ranker", await approve(growthLead, recsys, "Offline gains are consistent across segments; canary it on live traffic."));

  // churn-predictor v3: already on @staging (set by the pipeline before Gatehouse governed it, so request #5 for v2
  // stays blocked on its missing evidence), its production canary approved; the simulator slows its feature join.
  await registerDemoVersion({ model: "churn-predictor", version: 3, note: "nightly retrain with the billing-history join", feature: "subscriber-features", auc: 0.856, loss: 0.322, p95: 38, env: { runtime: "python 3.11.9", resourceClass: "cpu-medium" } });
  await importAliases({ actor: seeder, model: "churn-predictor", aliases: { staging: 3 }, reason: "Deployed to staging by the pipeline before Gatehouse governed it (demo data)" });
  await putModelPolicy({ actor: seeder, model: "churn-predictor", input: { document: CHURN_POLICY, comment: "Demo policy: a live canary held to the CRM's 100 ms latency budget" } });
  const churn = await ask("churn-predictor", 3, "production", "Billing-history join adds 0.014 AUC offline; evaluation and load test attached.");
  expectRolling("churn-predictor", await approve(growthLead, churn, "Evaluation, load test and scans are complete; canary it behind the latency bound."));

  // credit-risk v4: the blocked v3's reweighting redone on a pinned bureau snapshot. Its production request
  // supersedes #4 (one open request per alias); a risk ML Lead and compliance sign, and the shadow run begins.
  await registerDemoVersion({ model: "credit-risk", version: 4, note: "thin-file reweighting redone on a pinned bureau snapshot", feature: "credit-bureau-features", auc: 0.921, loss: 0.288, p95: 31, env: { runtime: "python 3.11.9", resourceClass: "cpu-medium" } });
  await ask("credit-risk", 4, "staging", "Reweighting redone on a pinned bureau snapshot; parity back above 0.8 on the holdout.");
  await putModelPolicy({ actor: seeder, model: "credit-risk", input: { document: creditRiskDemoPolicy(), comment: "Demo timing: a 3-minute shadow phase, so the compliance checkpoint is reached during the demo" } });
  const credit = await ask("credit-risk", 4, "production", "AUC 0.921 on the holdout with parity 0.93 across age bands; lineage complete.");
  await approve(await user("lead-risk@gatehouse.local"), credit, "Model risk review done: holdout AUC, parity and lineage all check out.", true);
  expectRolling("credit-risk", await approve(await user("compliance@gatehouse.local"), credit, "Fair lending review passed; the shadow run and its checkpoint still apply.", true));

  await backfillChampions();
}
