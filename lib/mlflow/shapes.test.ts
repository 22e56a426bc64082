import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { AppError } from "@/lib/api/errors";
import { ZMlflowVersionInput } from "@/lib/registry/schemas";
import { MlflowError, toMlflowError } from "./errors";
import { lineageAsTags, originOf, reservedTagProblem, toMlflowModel, toMlflowVersion, versionInputFromMlflow, type VersionRow } from "./shapes";

const created = new Date("2026-11-20T10:00:00.000Z");
const updated = new Date("2026-11-21T11:30:00.500Z");
const row = (over: Partial<VersionRow> = {}): VersionRow => ({
  version: 23,
  description: "retrained on October",
  tags: { owner: "fraud-squad" },
  artifactUri: "s3://models/fraud/23",
  artifactChecksum: "sha256:abcdef0123456789",
  codeRepository: "https://git.example.com/fraud",
  commitSha: "0a1b2c3d4e5f",
  dataSnapshotUri: "s3://data/2026-10",
  dataHash: "sha256:feedfacecafebeef",
  featureSetName: "fraud-features",
  featureSetVersion: "12",
  trainingRunId: "run-42",
  trainingRunUrl: "https://mlflow.example.com/#/runs/run-42",
  parentVersion: 22,
  registeredBy: "engineer@gatehouse.local",
  createdAt: created,
  updatedAt: updated,
  ...over,
});

describe("toMlflowVersion (model_registry.proto ModelVersion)", () => {
  it("string version, millisecond timestamps, stage None, READY, lineage as tags, aliases sorted", () => {
    expect(toMlflowVersion("fraud", row(), ["staging", "champion"])).toEqual({
      name: "fraud",
      version: "23",
      creation_timestamp: created.getTime(),
      last_updated_timestamp: updated.getTime(),
      user_id: "engineer@gatehouse.local",
      current_stage: "None",
      description: "retrained on October",
      source: "s3://models/fraud/23",
      run_id: "run-42",
      run_link: "https://mlflow.example.com/#/runs/run-42",
      status: "READY",
      tags: [
        { key: "gatehouse.artifact.checksum", value: "sha256:abcdef0123456789" },
        { key: "gatehouse.data.hash", value: "sha256:feedfacecafebeef" },
        { key: "gatehouse.data.snapshot", value: "s3://data/2026-10" },
        { key: "gatehouse.feature_set.name", value: "fraud-features" },
        { key: "gatehouse.feature_set.version", value: "12" },
        { key: "gatehouse.parent_version", value: "22" },
        { key: "mlflow.source.git.commit", value: "0a1b2c3d4e5f" },
        { key: "mlflow.source.git.repoURL", value: "https://git.example.com/fraud" },
        { key: "owner", value: "fraud-squad" },
      ],
      aliases: ["champion", "staging"],
    });
  });

  it("leaves out what the version does not have", () => {
    const bare = row({ trainingRunId: null, trainingRunUrl: null, commitSha: null, codeRepository: null, dataHash: null, dataSnapshotUri: null, featureSetName: null, featureSetVersion: null, parentVersion: null, artifactChecksum: "", tags: {} });
    const json = toMlflowVersion("fraud", bare, []);
    expect(json).not.toHaveProperty("run_id");
    expect(json).not.toHaveProperty("run_link");
    expect(json.tags).toEqual([]);
    expect(json.aliases).toEqual([]);
  });
});

describe("toMlflowModel (model_registry.proto RegisteredModel)", () => {
  it("team and risk tier as tags, aliases as { alias, version } strings, the latest version", () => {
    const json = toMlflowModel(
      { name: "fraud", description: "d", tags: { owner: "x" }, riskTier: "regulated", team: { slug: "payments" }, createdAt: created, updatedAt: updated },
      { latest: row(), latestAliases: ["champion"], aliases: [{ alias: "staging", version: 23 }, { alias: "champion", version: 23 }] },
    );
    expect(json).toMatchObject({
      name: "fraud",
      creation_timestamp: created.getTime(),
      last_updated_timestamp: updated.getTime(),
      description: "d",
      tags: [
        { key: "gatehouse.risk_tier", value: "regulated" },
        { key: "gatehouse.team", value: "payments" },
        { key: "owner", value: "x" },
      ],
      aliases: [
        { alias: "champion", version: "23" },
        { alias: "staging", version: "23" },
      ],
    });
    expect(json.latest_versions).toHaveLength(1);
    expect(json.latest_versions[0]).toMatchObject({ version: "23", aliases: ["champion"] });
  });
});

describe("versionInputFromMlflow: MLflow tags as Gatehouse lineage", () => {
  it("maps every lineage tag, run id and link, and keeps all tags", () => {
    const tags = {
      "mlflow.source.git.commit": "0A1B2C3D4E5F",
      "mlflow.source.git.repoURL": "https://git.example.com/fraud",
      "gatehouse.data.hash": "sha256:feedfacecafebeef",
      "gatehouse.data.snapshot": "s3://data/2026-10",
      "gatehouse.feature_set.name": "fraud-features",
      "gatehouse.feature_set.version": "12",
      "gatehouse.parent_version": "22",
      "gatehouse.artifact.checksum": "sha256:abcdef0123456789",
      owner: "x",
    };
    const { input } = versionInputFromMlflow({ source: "s3://m/1", run_id: "run-1", run_link: "https://mlflow/runs/1", description: "d", tags });
    const parsed = ZMlflowVersionInput.parse(input);
    expect(parsed).toMatchObject({
      description: "d",
      tags,
      artifact: { uri: "s3://m/1", checksum: "sha256:abcdef0123456789" },
      lineage: {
        commitSha: "0a1b2c3d4e5f",
        codeRepository: "https://git.example.com/fraud",
        dataHash: "sha256:feedfacecafebeef",
        dataSnapshotUri: "s3://data/2026-10",
        featureSet: { name: "fraud-features", version: "12" },
        trainingRun: { id: "run-1", url: "https://mlflow/runs/1" },
        parentVersion: 22,
      },
    });
  });

  it("takes a source alone: no checksum, no lineage", () => {
    const parsed = ZMlflowVersionInput.parse(versionInputFromMlflow({ source: "runs:/abc/model", tags: {} }).input);
    expect(parsed.artifact).toEqual({ uri: "runs:/abc/model", checksum: "" });
    expect(parsed.lineage).toMatchObject({ hyperparameters: {} });
    expect(parsed.lineage.commitSha).toBeUndefined();
  });

  it.each([
    [{ "mlflow.source.git.commit": "not-hex" }, "tags.mlflow.source.git.commit"],
    [{ "gatehouse.data.hash": "x" }, "tags.gatehouse.data.hash"],
    [{ "gatehouse.parent_version": "two" }, "tags.gatehouse.parent_version"],
    [{ "gatehouse.feature_set.version": "3" }, "tags.gatehouse.feature_set.name"],
    [{ "gatehouse.artifact.checksum": "!!" }, "tags.gatehouse.artifact.checksum"],
  ])("reports a bad lineage tag %j at %s", (tags, path) => {
    const { input, origins } = versionInputFromMlflow({ source: "s3://m/1", tags });
    const result = ZMlflowVersionInput.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => originOf(i.path.join("."), origins))).toContain(path);
  });

  it("names an unmapped field by its own path", () => {
    expect(originOf("lineage.trainingRun.url", { "lineage.trainingRun.url": "run_link" })).toBe("run_link");
    expect(originOf("artifact.uri", { "artifact.uri": "source" })).toBe("source");
    expect(originOf("tags.owner", { tags: "tags" })).toBe("tags.owner");
    expect(originOf("other", {})).toBe("other");
  });

  it("lineageAsTags is the inverse for a fully described version", () => {
    const v = row();
    const { input } = versionInputFromMlflow({ source: v.artifactUri, run_id: "run-42", tags: lineageAsTags(v) });
    expect(ZMlflowVersionInput.parse(input).lineage).toMatchObject({ commitSha: v.commitSha, dataHash: v.dataHash, featureSet: { name: v.featureSetName, version: v.featureSetVersion }, parentVersion: v.parentVersion });
  });
});

describe("reserved tags", () => {
  it.each([
    ["version", "mlflow.source.git.commit", true],
    ["version", "gatehouse.artifact.checksum", true],
    ["version", "owner", false],
    ["version", "gatehouse.team", false],
    ["model", "gatehouse.team", true],
    ["model", "gatehouse.risk_tier", true],
    ["model", "mlflow.source.git.commit", false],
  ] as const)("%s tag %s reserved: %s", (target, key, reserved) => {
    expect(reservedTagProblem(target, key) !== null).toBe(reserved);
  });
});

describe("toMlflowError: MLflow's codes and statuses", () => {
  it.each([
    [new MlflowError("RESOURCE_ALREADY_EXISTS", "x"), 400, "RESOURCE_ALREADY_EXISTS"],
    [new MlflowError("PERMISSION_DENIED", "x"), 403, "PERMISSION_DENIED"],
    [new MlflowError("ENDPOINT_NOT_FOUND", "x"), 404, "ENDPOINT_NOT_FOUND"],
    [new AppError(404, "not_found", "x"), 404, "RESOURCE_DOES_NOT_EXIST"],
    [new AppError(403, "forbidden", "x"), 403, "PERMISSION_DENIED"],
    [new AppError(403, "protected_alias", "x"), 403, "PERMISSION_DENIED"],
    [new AppError(401, "unauthenticated", "x"), 401, "UNAUTHENTICATED"],
    [new AppError(400, "invalid_input", "x"), 400, "INVALID_PARAMETER_VALUE"],
    [new AppError(409, "conflict", "x"), 409, "RESOURCE_CONFLICT"],
    [new AppError(429, "rate_limited", "x"), 429, "REQUEST_LIMIT_EXCEEDED"],
    [new AppError(413, "payload_too_large", "x"), 413, "BAD_REQUEST"],
    [new AppError(415, "unsupported_media_type", "x"), 400, "BAD_REQUEST"],
    [new AppError(503, "unavailable", "x"), 503, "TEMPORARILY_UNAVAILABLE"],
  ])("%o → %i %s", (err, status, code) => {
    expect(toMlflowError(err)).toMatchObject({ status, body: { error_code: code } });
  });

  it("a missing parameter in MLflow's words", () => {
    const err = new ZodError([{ code: "invalid_type", expected: "string", path: ["version"], message: "x", input: undefined }]);
    expect(toMlflowError(err)?.body.message).toMatch(/^Missing value for required parameter 'version'/);
  });

  it("a content type other than JSON in MLflow's words", () => {
    expect(toMlflowError(new AppError(415, "unsupported_media_type", "x"))?.body.message).toBe("Bad Request. Content-Type must be one of ['application/json'].");
  });

  it("an unexpected error is left to the caller", () => {
    expect(toMlflowError(new Error("boom"))).toBeNull();
  });
});
