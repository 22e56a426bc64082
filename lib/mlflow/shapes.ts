import type { TCreateVersionInput } from "@/lib/registry/schemas";

/**
 * Gatehouse's registry in MLflow's JSON shapes (model_registry.proto `RegisteredModel`, `ModelVersion`,
 * `RegisteredModelAlias`, `*Tag`), and MLflow tags as Gatehouse lineage. Pure: tested in shapes.test.ts.
 */

export type MlflowTag = { key: string; value: string };
export type MlflowModelVersion = {
  name: string;
  version: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  user_id: string;
  current_stage: string;
  description: string;
  source: string;
  run_id?: string;
  run_link?: string;
  status: "READY";
  tags: MlflowTag[];
  aliases: string[];
};
export type MlflowRegisteredModel = {
  name: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  description: string;
  latest_versions: MlflowModelVersion[];
  tags: MlflowTag[];
  aliases: { alias: string; version: string }[];
};

/**
 * The tags that carry lineage, and the Gatehouse field each fills. `mlflow.source.git.*` are the tags MLflow itself
 * sets on runs; the `gatehouse.*` ones are Gatehouse's (docs/mlflow.md). They are read once, at registration, and
 * are immutable afterwards, like the lineage they record.
 */
export const LINEAGE_TAGS = {
  "mlflow.source.git.commit": "lineage.commitSha",
  "mlflow.source.git.repoURL": "lineage.codeRepository",
  "gatehouse.data.hash": "lineage.dataHash",
  "gatehouse.data.snapshot": "lineage.dataSnapshotUri",
  "gatehouse.feature_set.name": "lineage.featureSet.name",
  "gatehouse.feature_set.version": "lineage.featureSet.version",
  "gatehouse.parent_version": "lineage.parentVersion",
  "gatehouse.artifact.checksum": "artifact.checksum",
} as const;
export type LineageTag = keyof typeof LINEAGE_TAGS;

/** Model tags that stand for Gatehouse fields of the model: read at creation, shown on every read. */
export const MODEL_FIELD_TAGS = { team: "gatehouse.team", riskTier: "gatehouse.risk_tier" } as const;

/** Tags a client may not set or delete after creation: lineage on versions, team and risk tier on models. */
export function reservedTagProblem(target: "model" | "version", key: string): string | null {
  if (target === "version" && key in LINEAGE_TAGS) return `The tag '${key}' records lineage (${LINEAGE_TAGS[key as LineageTag]}): it is read when the version is created and cannot change afterwards.`;
  if (target === "model" && (Object.values(MODEL_FIELD_TAGS) as string[]).includes(key)) return `The tag '${key}' stands for the model's ${key === MODEL_FIELD_TAGS.team ? "owning team" : "risk tier"} in Gatehouse; it is set when the model is created and changed only in Gatehouse.`;
  return null;
}

export const ms = (d: Date | string) => new Date(d).getTime();

const asTags = (record: Record<string, string>): MlflowTag[] =>
  Object.entries(record)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => ({ key, value }));

export type VersionRow = {
  version: number;
  description: string;
  tags: unknown;
  artifactUri: string;
  artifactChecksum: string;
  codeRepository: string | null;
  commitSha: string | null;
  dataSnapshotUri: string | null;
  dataHash: string | null;
  featureSetName: string | null;
  featureSetVersion: string | null;
  trainingRunId: string | null;
  trainingRunUrl: string | null;
  parentVersion: number | null;
  registeredBy: string;
  createdAt: Date;
  updatedAt: Date;
};

/** The lineage of a version as the tags that would have recorded it, for versions registered through Gatehouse's own API. */
export function lineageAsTags(v: VersionRow): Record<string, string> {
  const entries: [LineageTag, string | number | null][] = [
    ["mlflow.source.git.commit", v.commitSha],
    ["mlflow.source.git.repoURL", v.codeRepository],
    ["gatehouse.data.hash", v.dataHash],
    ["gatehouse.data.snapshot", v.dataSnapshotUri],
    ["gatehouse.feature_set.name", v.featureSetName],
    ["gatehouse.feature_set.version", v.featureSetVersion],
    ["gatehouse.parent_version", v.parentVersion],
    ["gatehouse.artifact.checksum", v.artifactChecksum || null],
  ];
  return Object.fromEntries(entries.filter(([, value]) => value !== null && value !== "").map(([k, value]) => [k, String(value)]));
}

export function toMlflowVersion(modelName: string, v: VersionRow, aliases: string[]): MlflowModelVersion {
  return {
    name: modelName,
    version: String(v.version),
    creation_timestamp: ms(v.createdAt),
    last_updated_timestamp: ms(v.updatedAt),
    user_id: v.registeredBy,
    // Gatehouse has no stages: aliases replace them, as in MLflow 2.9+.
    current_stage: "None",
    description: v.description,
    source: v.artifactUri,
    ...(v.trainingRunId ? { run_id: v.trainingRunId } : {}),
    ...(v.trainingRunUrl ? { run_link: v.trainingRunUrl } : {}),
    status: "READY",
    tags: asTags({ ...(v.tags as Record<string, string>), ...lineageAsTags(v) }),
    aliases: [...aliases].sort(),
  };
}

export type ModelRow = {
  name: string;
  description: string;
  tags: unknown;
  riskTier: string;
  team: { slug: string };
  createdAt: Date;
  updatedAt: Date;
};

export function toMlflowModel(m: ModelRow, o: { latest: VersionRow | null; latestAliases: string[]; aliases: { alias: string; version: number }[] }): MlflowRegisteredModel {
  return {
    name: m.name,
    creation_timestamp: ms(m.createdAt),
    last_updated_timestamp: ms(m.updatedAt),
    description: m.description,
    latest_versions: o.latest ? [toMlflowVersion(m.name, o.latest, o.latestAliases)] : [],
    tags: asTags({ ...(m.tags as Record<string, string>), [MODEL_FIELD_TAGS.team]: m.team.slug, [MODEL_FIELD_TAGS.riskTier]: m.riskTier }),
    aliases: [...o.aliases].sort((a, b) => (a.alias < b.alias ? -1 : 1)).map((a) => ({ alias: a.alias, version: String(a.version) })),
  };
}

/** MLflow's repeated `{ key, value }` tags as a record; a later duplicate key wins, as MLflow's set-tag would. */
export function tagRecord(tags: MlflowTag[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((t) => [t.key, t.value]));
}

/** Where an input field came from in the MLflow request, so a validation problem names what the client sent. */
export type FieldOrigins = Record<string, string>;

/**
 * A `CreateModelVersion` request as Gatehouse's registration input: `source` is the artifact, `run_id`/`run_link`
 * the training run, lineage tags the lineage fields, every tag also kept as a tag. Returns where each field came from.
 */
export function versionInputFromMlflow(req: { source: string; run_id?: string; run_link?: string; description?: string; tags: Record<string, string> }): { input: TCreateVersionInput; origins: FieldOrigins } {
  const t = req.tags;
  const origins: FieldOrigins = { "artifact.uri": "source", "lineage.trainingRun.id": "run_id", "lineage.trainingRun.url": "run_link", description: "description", tags: "tags" };
  for (const [tag, field] of Object.entries(LINEAGE_TAGS)) origins[field] = `tags.${tag}`;
  const featureSet = t["gatehouse.feature_set.name"] !== undefined || t["gatehouse.feature_set.version"] !== undefined ? { name: t["gatehouse.feature_set.name"] ?? "", version: t["gatehouse.feature_set.version"] ?? "" } : undefined;
  if (featureSet && t["gatehouse.feature_set.name"] === undefined) origins["lineage.featureSet.name"] = "tags.gatehouse.feature_set.name";
  const parent = t["gatehouse.parent_version"];
  const input: TCreateVersionInput = {
    description: req.description,
    tags: t,
    // An artifact without the checksum tag is registered with none: provenance gates and rollbacks then say so.
    artifact: { uri: req.source, checksum: t["gatehouse.artifact.checksum"] ?? "" },
    lineage: {
      commitSha: t["mlflow.source.git.commit"],
      codeRepository: t["mlflow.source.git.repoURL"],
      dataHash: t["gatehouse.data.hash"],
      dataSnapshotUri: t["gatehouse.data.snapshot"],
      featureSet,
      trainingRun: req.run_id ? { id: req.run_id, url: req.run_link || undefined } : undefined,
      parentVersion: parent === undefined ? undefined : /^\d{1,10}$/.test(parent) ? Number(parent) : (parent as unknown as number),
      hyperparameters: {},
    },
  };
  return { input, origins };
}

/** Renames a validation path of the registration input to the MLflow request's own (lineage.commitSha → tags.mlflow.source.git.commit). */
export function originOf(path: string, origins: FieldOrigins): string {
  if (origins[path]) return origins[path];
  const parent = Object.keys(origins).find((p) => path.startsWith(`${p}.`));
  return parent ? `${origins[parent]}${path.slice(parent.length)}` : path;
}
