import type { Prisma } from "@/lib/generated/prisma/client";
import { reproducibility } from "./rules";

export const modelInclude = {
  team: true,
  aliases: { include: { version: { select: { version: true } } }, orderBy: { name: "asc" as const } },
  versions: { select: { version: true, commitSha: true, dataHash: true, featureSetVersion: true }, orderBy: { version: "desc" as const }, take: 1 },
} satisfies Prisma.RegisteredModelInclude;
type ModelRow = Prisma.RegisteredModelGetPayload<{ include: typeof modelInclude }>;

export type ModelView = {
  name: string;
  description: string;
  team: { id: string; slug: string; name: string };
  tags: Record<string, string>;
  riskTier: "standard" | "regulated";
  latestVersion: number | null;
  /** Whether the latest version is reproducible (null without versions). */
  latestReproducible: boolean | null;
  aliases: { alias: string; version: number }[];
  /** When the model was deleted through the MLflow API (archived: kept with its history, taking no new versions). */
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
};

export function toModelView(m: ModelRow): ModelView {
  return {
    name: m.name,
    description: m.description,
    team: { id: m.team.id, slug: m.team.slug, name: m.team.name },
    tags: m.tags as Record<string, string>,
    riskTier: m.riskTier as ModelView["riskTier"],
    latestVersion: m.versions[0]?.version ?? null,
    latestReproducible: m.versions[0] ? reproducibility(m.versions[0]).reproducible : null,
    aliases: m.aliases.map((a) => ({ alias: a.name, version: a.version.version })),
    archivedAt: m.archivedAt?.toISOString() ?? null,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

export const versionInclude = {
  model: { select: { name: true } },
  aliases: { select: { name: true }, orderBy: { name: "asc" as const } },
  reports: { select: { id: true, kind: true, createdAt: true }, orderBy: { createdAt: "asc" as const } },
} satisfies Prisma.ModelVersionInclude;
type VersionRow = Prisma.ModelVersionGetPayload<{ include: typeof versionInclude }>;

export type VersionView = ReturnType<typeof toVersionView>;

export function toVersionView(v: VersionRow) {
  const repro = reproducibility(v);
  return {
    model: v.model.name,
    version: v.version,
    description: v.description,
    tags: v.tags as Record<string, string>,
    status: v.status as "ready" | "archived",
    artifact: { uri: v.artifactUri, checksum: v.artifactChecksum },
    signature: (v.signature ?? null) as { inputs: unknown[]; outputs: unknown[] } | null,
    lineage: {
      codeRepository: v.codeRepository,
      commitSha: v.commitSha,
      dataSnapshotUri: v.dataSnapshotUri,
      dataHash: v.dataHash,
      featureSet: v.featureSetName ? { name: v.featureSetName, version: v.featureSetVersion } : null,
      trainingRun: v.trainingRunId ? { id: v.trainingRunId, url: v.trainingRunUrl } : null,
      hyperparameters: v.hyperparameters as Record<string, string | number | boolean | null>,
      parentVersion: v.parentVersion,
    },
    environment: { imageDigest: v.imageDigest, lockfileHash: v.lockfileHash, runtime: v.runtime, accelerator: v.accelerator, resourceClass: v.resourceClass },
    reproducible: repro.reproducible,
    notReproducibleBecauseMissing: repro.missing,
    aliases: v.aliases.map((a) => a.name),
    reports: v.reports.map((r) => ({ id: r.id, kind: r.kind, createdAt: r.createdAt.toISOString() })),
    registeredBy: v.registeredBy,
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
  };
}
