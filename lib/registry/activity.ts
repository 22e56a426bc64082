import "server-only";
import type { Actor } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/require";
import { db } from "@/lib/db";
import { readableTeamIds } from "./access";
import { reproducibility } from "./rules";

export type RecentVersion = { model: string; version: number; description: string; registeredBy: string; createdAt: string; reproducible: boolean; aliases: string[] };
export type RecentAliasChange = { model: string; alias: string; fromVersion: number | null; toVersion: number | null; actor: string; reason: string | null; at: string };

/** What changed lately in the registry, for the home page. */
export async function recentActivity(opts: { actor: Actor | null; limit?: number }): Promise<{ versions: RecentVersion[]; aliasChanges: RecentAliasChange[] }> {
  const actor = requirePermission(opts.actor, "registry.read");
  const teams = readableTeamIds(actor);
  const modelWhere = teams === null ? {} : { model: { teamId: { in: teams } } };
  const take = opts.limit ?? 8;
  const [versions, changes] = await Promise.all([
    db.modelVersion.findMany({ where: modelWhere, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take, include: { model: { select: { name: true } }, aliases: { select: { name: true } } } }),
    db.aliasChange.findMany({ where: modelWhere, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take, include: { model: { select: { name: true } } } }),
  ]);
  return {
    versions: versions.map((v) => ({ model: v.model.name, version: v.version, description: v.description, registeredBy: v.registeredBy, createdAt: v.createdAt.toISOString(), reproducible: reproducibility(v).reproducible, aliases: v.aliases.map((a) => a.name).sort() })),
    aliasChanges: changes.map((c) => ({ model: c.model.name, alias: c.alias, fromVersion: c.fromVersion, toVersion: c.toVersion, actor: c.actorLabel, reason: c.reason, at: c.createdAt.toISOString() })),
  };
}

export type SearchResult = { models: { name: string; description: string }[]; versions: { model: string; version: number; matched: "commit" | "data hash"; value: string; reproducible: boolean }[] };

/** The header search: model names, and versions by commit SHA (prefix) or data snapshot hash. */
export async function searchRegistry(opts: { actor: Actor | null; q: string }): Promise<SearchResult> {
  const actor = requirePermission(opts.actor, "registry.read");
  const q = opts.q.trim();
  if (!q || q.length > 200) return { models: [], versions: [] };
  const teams = readableTeamIds(actor);
  const teamWhere = teams === null ? {} : { teamId: { in: teams } };
  const hexish = /^[0-9a-f]{6,64}$/i.test(q);
  const [models, versions] = await Promise.all([
    db.registeredModel.findMany({ where: { ...teamWhere, name: { contains: q, mode: "insensitive" } }, orderBy: { name: "asc" }, take: 20 }),
    db.modelVersion.findMany({
      where: { model: teamWhere, OR: [...(hexish ? [{ commitSha: { startsWith: q.toLowerCase() } }] : []), { dataHash: q }, { dataHash: { endsWith: q } }] },
      include: { model: { select: { name: true } } },
      orderBy: [{ createdAt: "desc" }],
      take: 50,
    }),
  ]);
  return {
    models: models.map((m) => ({ name: m.name, description: m.description })),
    versions: versions.map((v) => {
      const byCommit = Boolean(v.commitSha && hexish && v.commitSha.startsWith(q.toLowerCase()));
      return { model: v.model.name, version: v.version, matched: byCommit ? ("commit" as const) : ("data hash" as const), value: (byCommit ? v.commitSha : v.dataHash) ?? "", reproducible: reproducibility(v).reproducible };
    }),
  };
}
