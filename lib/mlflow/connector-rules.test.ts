import { describe, expect, it } from "vitest";
import { ZMlflowVersionInput } from "@/lib/registry/schemas";
import { aliasRecord, describeDrift, detectDrift, importedVersionInput, metricsReport, runLink, syncRetryDelayMs, versionsToImport, type RemoteVersion } from "./connector-rules";

describe("versionsToImport", () => {
  const v = (version: string, status?: string): RemoteVersion => ({ version, source: `s3://m/${version}`, ...(status ? { status } : {}) });
  it.each([
    [[v("3"), v("1"), v("7")], [], ["1", "3", "7"]],
    [[v("3"), v("1"), v("7")], [1, 3], ["7"]],
    [[v("1"), v("2", "PENDING_REGISTRATION"), v("3", "FAILED_REGISTRATION"), v("4", "READY")], [], ["1", "4"]],
    [[v("x"), v("0"), v("-1"), v("2")], [], ["2"]],
    [[], [1], []],
  ])("%j with %j known → %j", (remote, known, expected) => {
    expect(versionsToImport(remote, new Set(known)).map((r) => r.version)).toEqual(expected);
  });
});

describe("detectDrift", () => {
  it.each([
    [{ champion: 1 }, { champion: 1 }, [], []],
    [{ champion: 2 }, { champion: 1 }, [], [{ alias: "champion", mlflow: 2, gatehouse: 1 }]],
    [{}, { champion: 1 }, [], [{ alias: "champion", mlflow: null, gatehouse: 1 }]],
    [{ rogue: 3 }, {}, [], [{ alias: "rogue", mlflow: 3, gatehouse: null }]],
    // A move still queued for MLflow is expected to differ until it is delivered.
    [{ champion: 1 }, { champion: 2 }, ["champion"], []],
    [
      { b: 1, a: 2, c: 3 },
      { a: 1, b: 1, d: 4 },
      [],
      [
        { alias: "a", mlflow: 2, gatehouse: 1 },
        { alias: "c", mlflow: 3, gatehouse: null },
        { alias: "d", mlflow: null, gatehouse: 4 },
      ],
    ],
  ])("MLflow %j, Gatehouse %j, pending %j → %j", (mlflow, gatehouse, pending, expected) => {
    expect(detectDrift(mlflow, gatehouse, new Set(pending))).toEqual(expected);
  });

  it.each([
    [{ alias: "champion", mlflow: 2, gatehouse: 1 }, "@champion points at version 2 in MLflow, version 1 in Gatehouse"],
    [{ alias: "champion", mlflow: null, gatehouse: 1 }, "@champion is version 1 in Gatehouse but was removed in MLflow"],
    [{ alias: "rogue", mlflow: 3, gatehouse: null }, "@rogue points at version 3 in MLflow but is not set in Gatehouse"],
  ])("describes %j", (d, text) => {
    expect(describeDrift(d)).toBe(text);
  });

  it("reads MLflow's alias list", () => {
    expect(aliasRecord([{ alias: "a", version: "3" }, { alias: "b", version: "x" }])).toEqual({ a: 3 });
    expect(aliasRecord(undefined)).toEqual({});
  });
});

describe("importedVersionInput: a version and its run as lineage", () => {
  const commit = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567";
  it("takes the run's git tags and params; the version's own tags win", () => {
    const { input } = importedVersionInput({
      trackingUri: "https://mlflow.example.com/",
      version: { version: "4", source: "s3://m/4", run_id: "r1", tags: [{ key: "gatehouse.data.hash", value: "sha256:feedfacecafe" }, { key: "mlflow.source.git.repoURL", value: "https://git/version" }] },
      run: { info: { experiment_id: "7" }, data: { tags: [{ key: "mlflow.source.git.commit", value: commit }, { key: "mlflow.source.git.repoURL", value: "https://git/run" }, { key: "mlflow.user", value: "u" }], params: [{ key: "lr", value: "0.1" }] } },
    });
    const parsed = ZMlflowVersionInput.parse(input);
    expect(parsed.lineage).toMatchObject({ commitSha: commit, codeRepository: "https://git/version", dataHash: "sha256:feedfacecafe", trainingRun: { id: "r1", url: "https://mlflow.example.com/#/experiments/7/runs/r1" }, hyperparameters: { lr: "0.1" } });
    expect(parsed.tags).not.toHaveProperty("mlflow.user");
  });
  it("keeps a run link MLflow recorded, and works without a run", () => {
    const { input } = importedVersionInput({ trackingUri: "https://m", version: { version: "1", source: "s3://m/1", run_id: "r", run_link: "https://other/#/runs/r" }, run: null });
    expect(ZMlflowVersionInput.parse(input).lineage.trainingRun).toEqual({ id: "r", url: "https://other/#/runs/r" });
    const bare = importedVersionInput({ trackingUri: "https://m", version: { version: "1", source: "s3://m/1" }, run: null });
    expect(ZMlflowVersionInput.parse(bare.input).lineage.trainingRun).toBeUndefined();
  });
  it.each([
    ["https://mlflow.example.com", { info: { experiment_id: "3" } }, "https://mlflow.example.com/#/experiments/3/runs/abc"],
    ["https://mlflow.example.com//", null, "https://mlflow.example.com/#/runs/abc"],
  ])("runLink(%s)", (uri, run, link) => {
    expect(runLink(uri, run, "abc")).toBe(link);
  });
});

describe("metricsReport", () => {
  it("the latest value of each metric, by step then time, finite only", () => {
    const report = metricsReport(
      {
        data: {
          metrics: [
            { key: "auc", value: 0.9, step: 1, timestamp: 5 },
            { key: "auc", value: 0.95, step: 3, timestamp: 1 },
            { key: "auc", value: 0.8, step: 2, timestamp: 9 },
            { key: "loss", value: 0.3, step: 0, timestamp: 1 },
            { key: "loss", value: 0.2, step: 0, timestamp: 2 },
            { key: "nan", value: Number.NaN },
          ],
        },
      },
      "r1",
    );
    expect(report).toEqual({ kind: "offline-metrics", payload: { dataset: { name: "MLflow run r1" }, metrics: { auc: 0.95, loss: 0.2 } } });
  });
  it.each([[null], [{}], [{ data: { metrics: [] } }], [{ data: { metrics: [{ key: "x", value: Number.POSITIVE_INFINITY }] } }]])("none for %j", (run) => {
    expect(metricsReport(run, "r")).toBeNull();
  });
});

describe("syncRetryDelayMs: 15 s doubling to 10 min, equal jitter, never giving up", () => {
  it.each([
    [0, 0.5, 0],
    [1, 0, 7_500],
    [1, 1, 15_000],
    [2, 0, 15_000],
    [3, 1, 60_000],
    [6, 1, 480_000],
    [7, 1, 600_000],
    [7, 0, 300_000],
    [50, 1, 600_000],
    [1_000, 0.5, 450_000],
  ])("after %i failures, random %d → %i ms", (failures, r, ms) => {
    expect(syncRetryDelayMs(failures, () => r)).toBe(ms);
  });
});
