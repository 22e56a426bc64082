import type { APIRequestContext } from "@playwright/test";
import { unique } from "./api";

export const sha = () => Array.from({ length: 40 }, () => "0123456789abcdef"[Math.floor(Math.random() * 16)]).join("");
export const dataHash = () => `sha256:${sha()}${sha().slice(0, 24)}`;

/** A complete, reproducible version body. */
export function versionBody(over: Record<string, unknown> = {}) {
  return {
    description: "weekly retrain",
    artifact: { uri: `s3://models/${unique("a")}/model.onnx`, checksum: `sha256:${sha()}` },
    signature: { inputs: [{ name: "amount", type: "double" }], outputs: [{ name: "score", type: "double" }] },
    lineage: {
      codeRepository: "https://git.example.com/ml/fraud",
      commitSha: sha(),
      dataSnapshotUri: "s3://data/fraud/2026-11-01",
      dataHash: dataHash(),
      featureSet: { name: "fraud-features", version: "12" },
      trainingRun: { id: unique("run"), url: "https://mlflow.example.com/#/runs/1" },
      hyperparameters: { max_depth: 8, learning_rate: 0.1 },
    },
    environment: { imageDigest: `sha256:${sha()}${sha().slice(0, 24)}`, lockfileHash: `sha256:${sha()}`, runtime: "python 3.11", accelerator: "cuda 12.4", resourceClass: "gpu-small" },
    ...over,
  };
}

export async function createModel(api: APIRequestContext, over: Record<string, unknown> = {}) {
  const name = unique("model");
  const res = await api.post("/api/v1/models", { data: { name, team: "payments", description: "test model", tags: { domain: "payments" }, ...over } });
  if (res.status() !== 201) throw new Error(`create model failed: ${res.status()} ${await res.text()}`);
  return (await res.json()) as { name: string };
}

/** The reports that make a version pass the organisation default's staging gates (tests, data validation). */
export const STAGING_REPORTS = [
  { kind: "tests", payload: { suites: [{ name: "unit", kind: "unit", passed: 12, failed: 0 }] } },
  { kind: "data-validation", payload: { dataset: "snapshot", checks: [{ name: "no nulls", passed: true }] } },
];

/** A payments model with `policy` (saved by `admin`) and `versions` versions that pass the staging gates. */
export async function stagingReadyModel(o: { engineer: APIRequestContext; admin: APIRequestContext; policy: string; comment: string; versions?: number }): Promise<string> {
  const { name } = await createModel(o.engineer);
  const saved = await o.admin.put(`/api/v1/models/${name}/policy`, { data: { document: o.policy, comment: o.comment } });
  if (saved.status() !== 200) throw new Error(`saving the policy failed: ${saved.status()} ${await saved.text()}`);
  for (let i = 1; i <= (o.versions ?? 1); i++) {
    const v = await o.engineer.post(`/api/v1/models/${name}/versions`, { data: versionBody() });
    if (v.status() !== 201) throw new Error(`registering a version failed: ${v.status()} ${await v.text()}`);
    for (const report of STAGING_REPORTS) {
      const r = await o.engineer.post(`/api/v1/models/${name}/versions/${i}/reports`, { data: report });
      if (r.status() !== 201) throw new Error(`attaching a report failed: ${r.status()} ${await r.text()}`);
    }
  }
  return name;
}
