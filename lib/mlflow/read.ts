import "server-only";
import { can, type Actor } from "@/lib/auth/permissions";
import { db, type Tx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { requirePermission } from "@/lib/auth/require";
import { findReadableModel } from "@/lib/registry/models";
import { parseVersionNumber } from "@/lib/registry/versions";
import { readableTeamIds } from "@/lib/registry/access";
import { AppError } from "@/lib/api/errors";
import { doesNotExist } from "./errors";
import { decodePageToken, encodePageToken, parseFilter, parseOrderBy, type Comparison, type Order, type SearchKind } from "./filter";
import { LINEAGE_TAGS, MODEL_FIELD_TAGS, toMlflowModel, toMlflowVersion, type MlflowModelVersion, type MlflowRegisteredModel } from "./shapes";

/** Reads of the registry in MLflow's shapes. Archived models and versions are what MLflow calls deleted: not found. */

type ModelPermission = "registry.read" | "serving.read";

/** The live (not archived) model `name`, as MLflow reports a missing one. */
export async function findMlflowModel(client: Tx, actor: Actor | null, name: string, permission: ModelPermission = "registry.read") {
  try {
    const model = await findReadableModel(client, actor, name, permission);
    if (!model.archivedAt) return model;
  } catch (err) {
    if (!(err instanceof AppError && err.status === 404)) throw err;
  }
  throw doesNotExist(`Registered Model with name=${name} not found`);
}

/** A version number as MLflow sends it (a string of digits); Gatehouse's own rule, reported as INVALID_PARAMETER_VALUE. */
export function versionNumber(value: string): number {
  return parseVersionNumber(value.trim());
}

const versionSelect = { include: { model: { select: { name: true } }, aliases: { select: { name: true } } } } as const;

export async function findMlflowVersion(client: Tx, model: { id: string; name: string }, version: string) {
  const number = versionNumber(version);
  const row = await client.modelVersion.findUnique({ where: { modelId_version: { modelId: model.id, version: number } }, ...versionSelect });
  if (!row || row.status !== "ready") throw doesNotExist(`Model Version (name=${model.name}, version=${number}) not found`);
  return row;
}

type VersionWithAliases = Prisma.ModelVersionGetPayload<typeof versionSelect>;
export const versionJson = (v: VersionWithAliases): MlflowModelVersion => toMlflowVersion(v.model.name, v, v.aliases.map((a) => a.name));

/** Registered models in MLflow's shape, in the order of `ids`: aliases, tags and the latest ready version. */
export async function modelsJson(client: Tx, ids: string[]): Promise<MlflowRegisteredModel[]> {
  if (!ids.length) return [];
  const [models, latest] = await Promise.all([
    client.registeredModel.findMany({ where: { id: { in: ids } }, include: { team: { select: { slug: true } }, aliases: { select: { name: true, version: { select: { version: true } } } } } }),
    client.modelVersion.findMany({ where: { modelId: { in: ids }, status: "ready" }, distinct: ["modelId"], orderBy: [{ modelId: "asc" }, { version: "desc" }], ...versionSelect }),
  ]);
  const byId = new Map(models.map((m) => [m.id, m]));
  const latestOf = new Map(latest.map((v) => [v.modelId, v]));
  return ids.flatMap((id) => {
    const m = byId.get(id);
    if (!m) return [];
    const v = latestOf.get(id) ?? null;
    return [toMlflowModel(m, { latest: v, latestAliases: v ? v.aliases.map((a) => a.name) : [], aliases: m.aliases.map((a) => ({ alias: a.name, version: a.version.version })) })];
  });
}

export async function modelJson(client: Tx, id: string): Promise<MlflowRegisteredModel> {
  const [model] = await modelsJson(client, [id]);
  return model;
}

// ---------------------------------------------------------------------------------------------------------------
// Search: the parsed filter (filter.ts) as SQL over the whitelisted columns, an offset page token as MLflow's.

/** A tag as searched: the stored tag, or for tags that stand for a Gatehouse column, that column. */
function tagSql(kind: SearchKind, key: string): Prisma.Sql {
  if (kind === "models" && key === MODEL_FIELD_TAGS.team) return Prisma.sql`t.slug`;
  if (kind === "models" && key === MODEL_FIELD_TAGS.riskTier) return Prisma.sql`m.risk_tier`;
  const column: Record<string, string> = {
    "mlflow.source.git.commit": "commit_sha",
    "mlflow.source.git.repoURL": "code_repository",
    "gatehouse.data.hash": "data_hash",
    "gatehouse.data.snapshot": "data_snapshot_uri",
    "gatehouse.feature_set.name": "feature_set_name",
    "gatehouse.feature_set.version": "feature_set_version",
    "gatehouse.parent_version": "parent_version",
    "gatehouse.artifact.checksum": "artifact_checksum",
  } satisfies Record<keyof typeof LINEAGE_TAGS, string>;
  if (kind === "versions" && column[key]) return Prisma.sql`COALESCE(NULLIF(v.${Prisma.raw(column[key])}::text, ''), v.tags->>${key})`;
  return kind === "models" ? Prisma.sql`(m.tags->>${key})` : Prisma.sql`(v.tags->>${key})`;
}

function comparisonSql(kind: SearchKind, c: Comparison): Prisma.Sql {
  const a = c.attribute;
  const left = a.kind === "name" ? Prisma.sql`m.name` : a.kind === "run_id" ? Prisma.sql`v.training_run_id` : a.kind === "version_number" ? Prisma.sql`v.version` : tagSql(kind, a.key);
  switch (c.op) {
    case "IN":
      return Prisma.sql`${left} IN (${Prisma.join(c.value as string[])})`;
    case "LIKE":
      return Prisma.sql`${left} LIKE ${c.value}`;
    case "ILIKE":
      return Prisma.sql`${left} ILIKE ${c.value}`;
    case "!=":
      // As in MLflow's SQL store: a row without the value does not match either side of a comparison.
      return Prisma.sql`(${left} IS NOT NULL AND ${left} <> ${c.value})`;
    default:
      return Prisma.sql`${left} ${Prisma.raw(c.op)} ${c.value}`;
  }
}

const ORDER_COLUMNS: Record<SearchKind, Record<Order["key"], string>> = {
  models: { name: "m.name", version_number: "m.name", creation_timestamp: "m.created_at", last_updated_timestamp: "m.updated_at" },
  versions: { name: "m.name", version_number: "v.version", creation_timestamp: "v.created_at", last_updated_timestamp: "v.updated_at" },
};

type SearchQuery = { filter?: string; max_results: number; order_by: string[]; page_token?: string };

async function searchIds(actor: Actor, kind: SearchKind, q: SearchQuery): Promise<{ ids: string[]; next: string | null }> {
  // A serving token resolves aliases; it does not list the registry.
  requirePermission(actor, "registry.read");
  const comparisons = parseFilter(q.filter, kind);
  const orders = parseOrderBy(q.order_by, kind);
  const offset = decodePageToken(q.page_token);
  const teams = readableTeamIds(actor);
  const where: Prisma.Sql[] = [Prisma.sql`m.archived_at IS NULL`, ...comparisons.map((c) => comparisonSql(kind, c))];
  if (teams !== null) where.push(teams.length ? Prisma.sql`m.team_id IN (${Prisma.join(teams)})` : Prisma.sql`FALSE`);
  if (kind === "versions") where.push(Prisma.sql`v.status = 'ready'`);
  const orderBy = Prisma.raw(orders.map((o) => `${ORDER_COLUMNS[kind][o.key]} ${o.desc ? "DESC" : "ASC"}`).join(", "));
  const from = kind === "models" ? Prisma.sql`registered_models m JOIN teams t ON t.id = m.team_id` : Prisma.sql`model_versions v JOIN registered_models m ON m.id = v.model_id`;
  const id = kind === "models" ? Prisma.sql`m.id` : Prisma.sql`v.id`;
  const rows = await db.$queryRaw<{ id: string }[]>`SELECT ${id} AS id FROM ${from} WHERE ${Prisma.join(where, " AND ")} ORDER BY ${orderBy} OFFSET ${offset} LIMIT ${q.max_results + 1}`;
  const more = rows.length > q.max_results;
  return { ids: rows.slice(0, q.max_results).map((r) => r.id), next: more ? encodePageToken(offset + q.max_results) : null };
}

export async function searchModels(actor: Actor, q: SearchQuery): Promise<{ registered_models: MlflowRegisteredModel[]; next_page_token?: string }> {
  const { ids, next } = await searchIds(actor, "models", q);
  return { registered_models: await modelsJson(db, ids), ...(next ? { next_page_token: next } : {}) };
}

export async function searchVersions(actor: Actor, q: SearchQuery): Promise<{ model_versions: MlflowModelVersion[]; next_page_token?: string }> {
  const { ids, next } = await searchIds(actor, "versions", q);
  const rows = await db.modelVersion.findMany({ where: { id: { in: ids } }, ...versionSelect });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return { model_versions: ids.flatMap((id) => (byId.has(id) ? [versionJson(byId.get(id)!)] : [])), ...(next ? { next_page_token: next } : {}) };
}

// ---------------------------------------------------------------------------------------------------------------
// Single reads.

export async function getRegisteredModel(actor: Actor, req: { name: string }) {
  const model = await findMlflowModel(db, actor, req.name);
  return { registered_model: await modelJson(db, model.id) };
}

export async function getModelVersion(actor: Actor, req: { name: string; version: string }) {
  const model = await findMlflowModel(db, actor, req.name);
  return { model_version: versionJson(await findMlflowVersion(db, model, req.version)) };
}

/**
 * MLflow `GetLatestVersions`: Gatehouse has no stages (aliases replace them), so every version is in stage "None":
 * asking for no stages, or for "None", gives the latest ready version; any other stage gives none.
 */
export async function getLatestVersions(actor: Actor, req: { name: string; stages: string[] }) {
  const model = await findMlflowModel(db, actor, req.name);
  if (req.stages.length && !req.stages.some((s) => s.toLowerCase() === "none")) return { model_versions: [] };
  const latest = await db.modelVersion.findFirst({ where: { modelId: model.id, status: "ready" }, orderBy: { version: "desc" }, ...versionSelect });
  return { model_versions: latest ? [versionJson(latest)] : [] };
}

/** MLflow `GetModelVersionDownloadUri`: the artifact's location, for serving tokens too (`models:/name@alias` loads). */
export async function getModelVersionDownloadUri(actor: Actor, req: { name: string; version: string }) {
  const model = await findMlflowModel(db, actor, req.name, can(actor, "serving.read") ? "serving.read" : "registry.read");
  return { artifact_uri: (await findMlflowVersion(db, model, req.version)).artifactUri };
}
