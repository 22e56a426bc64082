// Demo registry content for `npm start`: six realistic models whose versions carry lineage, environment
// manifests, reports of every kind and aliases, so every screen shows something true on first start.
import { createHash } from "node:crypto";
import type { Actor } from "@/lib/auth/permissions";
import { importAliases } from "@/lib/registry/aliases";
import { createModel } from "@/lib/registry/models";
import type { TReportInput } from "@/lib/registry/report-schemas";
import { putModelPolicy } from "@/lib/policy/policies";
import { addReport } from "@/lib/registry/reports";
import { registerVersion } from "@/lib/registry/versions";
import { DEMO_POLICIES } from "./demo-policies";

const DOCUMENTED_POLICIES = new Set(["fraud-detector", "credit-risk"]);
const hex = (seed: string, n = 64) => createHash("sha256").update(seed).digest("hex").slice(0, n);
/** A small deterministic pseudo-random sequence, so demo numbers are the same on every machine. */
function series(seed: string, n: number, mean: number, spread: number): number[] {
  const out: number[] = [];
  let x = parseInt(hex(seed, 8), 16);
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out.push(Math.round((mean + ((x / 2 ** 31) * 2 - 1) * spread) * 1000) / 1000);
  }
  return out;
}

/**
 * Flags give the policy readiness panel one version per outcome: drift ("shifted" amounts), fairness ("skewed"
 * rates), missing evidence ("metrics-only": evaluation still running), failing tests or data checks, a high CVE.
 */
type DemoVersion = {
  auc: number;
  loss: number;
  p99: number;
  reproducible?: boolean;
  note: string;
  gpu?: boolean;
  drift?: "shifted";
  fairness?: "skewed";
  evidence?: "metrics-only";
  failingTest?: boolean;
  failingCheck?: boolean;
  highCve?: boolean;
};
type Signature = { inputs: { name: string; type: string; optional?: boolean }[]; outputs: { name: string; type: string }[] };
/** Version n is trained on feature set `feature` version 10 + n - 1, so models sharing a feature set line up by version. */
type DemoModel = { name: string; team: string; riskTier: "standard" | "regulated"; description: string; feature: string; versions: DemoVersion[]; aliases: Record<string, number>; cleanScans?: boolean; signature?: Signature };

const SCORING_SIGNATURE: Signature = { inputs: [{ name: "amount", type: "double" }, { name: "account_age_days", type: "long" }, { name: "merchant_category", type: "string", optional: true }], outputs: [{ name: "score", type: "double" }] };

const MODELS: DemoModel[] = [
  {
    name: "fraud-detector",
    team: "payments",
    riskTier: "regulated",
    description: "Scores card transactions for fraud in real time; blocks above 0.92.",
    feature: "fraud-features",
    versions: [
      { auc: 0.902, loss: 0.231, p99: 18, note: "baseline gradient-boosted trees", failingTest: true, highCve: true },
      { auc: 0.914, loss: 0.219, p99: 17, note: "added merchant velocity features" },
      { auc: 0.921, loss: 0.207, p99: 15, note: "retrained on October data" },
      { auc: 0.928, loss: 0.201, p99: 16, note: "deeper trees, recalibrated", gpu: true },
      { auc: 0.931, loss: 0.198, p99: 15, note: "weekly retrain on November data (transaction amounts shifted)", drift: "shifted" },
      { auc: 0.929, loss: 0.200, p99: 16, note: "v4's recalibrated trees, retrained for CPU serving" },
    ],
    aliases: { champion: 3, challenger: 4, staging: 4 },
  },
  {
    name: "credit-risk",
    team: "risk",
    riskTier: "regulated",
    description: "Probability of default for consumer credit applications.",
    feature: "credit-bureau-features",
    versions: [
      { auc: 0.884, loss: 0.312, p99: 40, note: "logistic regression baseline", failingCheck: true },
      { auc: 0.912, loss: 0.295, p99: 42, note: "monotonic GBM" },
      { auc: 0.917, loss: 0.291, p99: 44, note: "experimental: bureau snapshot not pinned, thin-file applicants reweighted", reproducible: false, fairness: "skewed" },
    ],
    aliases: { champion: 2, staging: 2 },
    cleanScans: true,
  },
  {
    name: "recsys-ranker",
    team: "growth",
    riskTier: "standard",
    description: "Ranks home-feed candidates by predicted engagement.",
    feature: "ranking-features",
    versions: [
      { auc: 0.741, loss: 0.512, p99: 9, note: "two-tower baseline", gpu: true },
      { auc: 0.752, loss: 0.505, p99: 11, note: "added session features", gpu: true },
    ],
    aliases: { champion: 1, challenger: 2 },
  },
  {
    name: "churn-predictor",
    team: "growth",
    riskTier: "standard",
    description: "Flags subscribers likely to cancel within 30 days.",
    feature: "subscriber-features",
    versions: [
      { auc: 0.842, loss: 0.331, p99: 25, note: "first production model" },
      { auc: 0.851, loss: 0.327, p99: 24, note: "nightly retrain; evaluation still running", evidence: "metrics-only" },
    ],
    aliases: { champion: 1 },
  },
  // The pair prisma/demo-releases.ts promotes together: the ranker reads the encoder's embeddings, so a ranker
  // trained on one encoder's embedding space must not serve beside another (search-ranker's policy says so).
  {
    name: "query-encoder",
    team: "growth",
    riskTier: "standard",
    description: "Embeds search queries for retrieval and ranking (384-d sentence embeddings).",
    feature: "search-features",
    versions: [
      { auc: 0.861, loss: 0.402, p99: 14, note: "MiniLM distilled from the retrieval teacher", gpu: true },
      { auc: 0.868, loss: 0.395, p99: 14, note: "retrained on Q3 query logs", gpu: true },
      { auc: 0.879, loss: 0.381, p99: 15, note: "multilingual tokenizer; a new embedding space, rankers must be retrained on it", gpu: true },
      { auc: 0.886, loss: 0.372, p99: 15, note: "hard negatives mined from October click logs", gpu: true },
    ],
    aliases: { champion: 2, staging: 2 },
    cleanScans: true,
    signature: { inputs: [{ name: "query_text", type: "string" }, { name: "locale", type: "string", optional: true }], outputs: [{ name: "embedding", type: "tensor" }] },
  },
  {
    name: "search-ranker",
    team: "growth",
    riskTier: "standard",
    description: "Re-ranks the top 200 search results by predicted click, from the query embedding and user history.",
    feature: "search-features",
    versions: [
      { auc: 0.782, loss: 0.468, p99: 8, note: "LambdaMART over BM25 scores and query-encoder v1 embeddings" },
      { auc: 0.789, loss: 0.462, p99: 8, note: "retrained on query-encoder v2 embeddings" },
      { auc: 0.801, loss: 0.451, p99: 9, note: "retrained on query-encoder v3's multilingual embeddings" },
      { auc: 0.809, loss: 0.445, p99: 9, note: "retrained on query-encoder v4 embeddings with user dwell-time features" },
    ],
    aliases: { champion: 2, staging: 2 },
    cleanScans: true,
    signature: { inputs: [{ name: "embedding", type: "tensor" }, { name: "user_id", type: "long" }, { name: "document_id", type: "string" }, { name: "bm25_score", type: "double", optional: true }], outputs: [{ name: "score", type: "double" }] },
  },
];

function reportsFor(model: DemoModel, v: DemoVersion, n: number): TReportInput[] {
  const seed = `${model.name}-${n}`;
  const p50 = Math.round(v.p99 * 0.3);
  const metrics: TReportInput = { kind: "offline-metrics", payload: { dataset: { name: `${model.name}-holdout-2026-10`, hash: `sha256:${hex(`${seed}-holdout`)}` }, metrics: { auc: v.auc, log_loss: v.loss, precision_at_1pct_fpr: Math.round(v.auc * 0.8 * 1000) / 1000 } } };
  if (v.evidence === "metrics-only") return [metrics];
  const amountMean = v.drift === "shifted" ? 68 : 51;
  const groups =
    v.fairness === "skewed"
      ? [{ group: "18-29", count: 4210, positiveRate: 0.19, truePositiveRate: 0.71, falsePositiveRate: 0.05 }, { group: "30-49", count: 9120, positiveRate: 0.12, truePositiveRate: 0.8, falsePositiveRate: 0.03 }, { group: "50+", count: 5230, positiveRate: 0.11, truePositiveRate: 0.82, falsePositiveRate: 0.03 }]
      : [{ group: "18-29", count: 4210, positiveRate: 0.031, truePositiveRate: 0.81, falsePositiveRate: 0.012 }, { group: "30-49", count: 9120, positiveRate: 0.028, truePositiveRate: 0.84, falsePositiveRate: 0.01 }, { group: "50+", count: 5230, positiveRate: 0.026, truePositiveRate: 0.83, falsePositiveRate: 0.011 }];
  const findings = v.highCve ? [{ id: "CVE-2026-31337", severity: "high" as const, title: "libexpat heap overflow", package: "libexpat1" }] : model.cleanScans ? [] : [{ id: "CVE-2026-1001", severity: "low" as const, title: "zlib timing side channel", package: "zlib1g" }];
  return [
    metrics,
    { kind: "tests", payload: { suites: [{ name: "unit", kind: "unit", passed: 48, failed: 0 }, { name: "feature contract", kind: "contract", passed: 12, failed: v.failingTest ? 1 : 0, failures: v.failingTest ? [{ test: "amount is non-negative", message: "3 rows with negative amount" }] : [] }, { name: "serving integration", kind: "integration", passed: 7, failed: 0 }] } },
    { kind: "data-validation", payload: { dataset: `${model.feature} snapshot`, checks: [{ name: "no nulls in key columns", passed: true }, { name: "schema matches feature set", passed: true }, { name: "label rate within 3σ of last month", passed: !v.failingCheck, details: v.failingCheck ? "label rate 4.1% vs 2.9% ± 0.3%" : undefined }] } },
    { kind: "drift", payload: { features: [{ feature: "amount", reference: series(`${seed}-ref`, 500, 50, 30), current: series(`${seed}-cur`, 500, amountMean, 31) }, { feature: "account_age_days", reference: series(`${seed}-ref2`, 500, 400, 300), current: series(`${seed}-cur2`, 500, 395, 305) }] } },
    { kind: "fairness", payload: { attribute: "age_band", groups } },
    { kind: "latency", payload: { percentilesMs: { p50, p95: Math.round(v.p99 * 0.7), p99: v.p99 }, throughputRps: 1200, concurrency: 32, durationSeconds: 300 } },
    { kind: "security-scan", payload: { scanner: "trivy 0.56", findings } },
    { kind: "observability", payload: { links: [{ kind: "dashboard", title: `${model.name} live`, url: `https://grafana.example.com/d/${model.name}` }, { kind: "alert", title: "p99 latency", url: `https://alerts.example.com/rules/${model.name}-p99` }, { kind: "logs", title: "Serving logs", url: `https://logs.example.com/?q=model:${model.name}` }] } },
    { kind: "custom", payload: { title: "Model card", data: { intendedUse: model.description, owner: model.team, limitations: ["Trained on EU traffic only"] } } },
  ];
}

export async function seedDemoRegistry(actor: Actor): Promise<void> {
  for (const m of MODELS) {
    await createModel({ actor, input: { name: m.name, team: m.team, riskTier: m.riskTier, description: m.description, tags: { domain: m.team, framework: m.versions[0].gpu ? "pytorch" : "xgboost" } } });
    for (const [i, v] of m.versions.entries()) {
      const n = i + 1;
      const seed = `${m.name}-${n}`;
      await registerVersion({
        actor,
        model: m.name,
        input: {
          description: v.note,
          tags: { trainer: "nightly-pipeline" },
          artifact: { uri: `s3://ml-artifacts/${m.name}/${n}/model.onnx`, checksum: `sha256:${hex(`${seed}-artifact`)}` },
          signature: m.signature ?? SCORING_SIGNATURE,
          lineage: {
            codeRepository: `https://git.example.com/ml/${m.name}`,
            commitSha: hex(`${seed}-commit`, 40),
            dataSnapshotUri: `s3://ml-data/${m.name}/snapshots/2026-${String(7 + i).padStart(2, "0")}-01`,
            dataHash: v.reproducible === false ? undefined : `sha256:${hex(`${m.name}-data-${Math.min(i, 2)}`)}`,
            featureSet: { name: m.feature, version: String(10 + i) },
            trainingRun: { id: `run-${hex(`${seed}-run`, 12)}`, url: `https://mlflow.example.com/#/experiments/3/runs/${hex(`${seed}-run`, 12)}` },
            hyperparameters: { max_depth: 6 + i, learning_rate: 0.1 - i * 0.01, n_estimators: 400 + 100 * i },
            parentVersion: n > 1 ? n - 1 : undefined,
          },
          environment: {
            imageDigest: `sha256:${hex(`${seed}-image`)}`,
            lockfileHash: `sha256:${hex(`${m.name}-lock-${Math.floor(i / 2)}`)}`,
            runtime: "python 3.11.9",
            accelerator: v.gpu ? "cuda 12.4" : "none",
            resourceClass: v.gpu ? "gpu-small" : "cpu-medium",
          },
        },
      });
      for (const report of reportsFor(m, v, n)) await addReport({ actor, model: m.name, version: String(n), input: report });
    }
    await importAliases({ actor, model: m.name, aliases: m.aliases, reason: "Where the aliases pointed before Gatehouse (demo data)" });
    const policy = DEMO_POLICIES[m.name];
    if (policy) await putModelPolicy({ actor, model: m.name, input: { document: policy, comment: DOCUMENTED_POLICIES.has(m.name) ? `Demo policy for ${m.name}, as documented in docs/policy.md` : `Demo policy for ${m.name}` } });
  }
}
