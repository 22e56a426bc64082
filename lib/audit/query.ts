import "server-only";
import { badRequest } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/require";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { decodeCursor, encodeCursor, type Page } from "@/lib/pagination";
import { readableTeamIds } from "@/lib/registry/access";
import { ZAuditQuery, type TAuditFilters } from "./schemas";

/** The audit log as auditors read it: filtered, newest first, each event linked to what it touched. */
export type AuditEventView = {
  id: string;
  at: string;
  actor: { type: string; id: string | null; label: string };
  action: string;
  target: { type: string; id: string; label: string; href: string | null };
  teamId: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  prevHash: string;
  hash: string;
};

type Row = Prisma.AuditEventGetPayload<object>;

/** The filters as a Prisma where clause, within the teams `actor` may audit. Unknown model or team: matches nothing. */
export async function auditWhere(actor: Actor, f: TAuditFilters): Promise<Prisma.AuditEventWhereInput> {
  const teams = readableTeamIds(actor, "audit.read");
  const and: Prisma.AuditEventWhereInput[] = [];
  if (teams !== null) and.push({ teamId: { in: teams } });
  if (f.team) {
    const team = await db.team.findUnique({ where: { slug: f.team }, select: { id: true } });
    and.push({ teamId: team?.id ?? "(none)" });
  }
  if (f.model) and.push(await modelScope(f.model));
  if (f.actor) and.push({ actorLabel: { contains: f.actor, mode: "insensitive" } });
  if (f.action) and.push(f.action.endsWith(".") ? { action: { startsWith: f.action } } : { action: f.action });
  if (f.from) and.push({ occurredAt: { gte: new Date(f.from) } });
  if (f.to) and.push({ occurredAt: { lte: new Date(f.to) } });
  if (f.q) and.push({ reason: { contains: f.q, mode: "insensitive" } });
  return and.length ? { AND: and } : {};
}

/** Everything an event may target that belongs to one model. */
async function modelScope(name: string): Promise<Prisma.AuditEventWhereInput> {
  const model = await db.registeredModel.findUnique({ where: { name }, select: { id: true, name: true } });
  if (!model) return { id: -1n };
  const [versions, requests, aliases, rollouts, incidents, releases] = await Promise.all([
    db.modelVersion.findMany({ where: { modelId: model.id }, select: { id: true, reports: { select: { id: true } } } }),
    db.promotionRequest.findMany({ where: { modelId: model.id }, select: { id: true } }),
    db.aliasChange.findMany({ where: { modelId: model.id }, distinct: ["alias"], select: { alias: true } }),
    db.rollout.findMany({ where: { modelId: model.id }, select: { id: true } }),
    db.incident.findMany({ where: { modelId: model.id }, select: { id: true } }),
    db.release.findMany({ where: { members: { some: { modelId: model.id } } }, select: { id: true } }),
  ]);
  return {
    OR: [
      { targetType: "model", targetId: model.id },
      { targetType: "model-version", targetId: { in: versions.map((v) => v.id) } },
      { targetType: "report", targetId: { in: versions.flatMap((v) => v.reports.map((r) => r.id)) } },
      // Exact ids: a LIKE prefix would let "_" in a name match other models' aliases.
      { targetType: "alias", targetId: { in: aliases.map((a) => `${model.name}@${a.alias}`) } },
      { targetType: "policy", targetId: model.name },
      { targetType: "promotion", targetId: { in: requests.map((r) => r.id) } },
      { targetType: "rollout", targetId: { in: rollouts.map((r) => r.id) } },
      { targetType: "incident", targetId: { in: incidents.map((r) => r.id) } },
      // A release with a member of the model: its own events (create, applied, rolled back) concern the model too.
      { targetType: "release", targetId: { in: releases.map((r) => r.id) } },
    ],
  };
}

export async function listAuditEvents(opts: { actor: Actor | null; query: unknown }): Promise<Page<AuditEventView>> {
  const actor = requirePermission(opts.actor, "audit.read");
  const q = ZAuditQuery.parse(opts.query);
  const key = decodeCursor(q.cursor);
  // Ids are PostgreSQL bigints: a larger number is no cursor this list handed out (and would fail the query).
  if (key !== undefined && (!/^\d{1,19}$/.test(key) || BigInt(key) > 9_223_372_036_854_775_807n)) throw badRequest("The cursor is not one this list handed out", [{ path: "cursor", message: "Invalid cursor" }]);
  const where = await auditWhere(actor, q);
  const rows = await db.auditEvent.findMany({ where: key === undefined ? where : { AND: [where, { id: { lt: BigInt(key) } }] }, orderBy: { id: "desc" }, take: q.limit + 1 });
  const items = await describeEvents(rows.slice(0, q.limit));
  return { items, nextCursor: rows.length > q.limit ? encodeCursor(items.at(-1)!.id) : null };
}

/** Names and links for the targets of a page of events, looked up in a few queries. */
export async function describeEvents(rows: readonly Row[]): Promise<AuditEventView[]> {
  const ids = (type: string) => rows.filter((r) => r.targetType === type).map((r) => r.targetId);
  const [models, versions, reports, users] = await Promise.all([
    db.registeredModel.findMany({ where: { id: { in: ids("model") } }, select: { id: true, name: true } }),
    db.modelVersion.findMany({ where: { id: { in: ids("model-version") } }, select: { id: true, version: true, model: { select: { name: true } } } }),
    db.evaluationReport.findMany({ where: { id: { in: ids("report") } }, select: { id: true, kind: true, version: { select: { version: true, model: { select: { name: true } } } } } }),
    db.user.findMany({ where: { id: { in: ids("user") } }, select: { id: true, email: true } }),
  ]);
  const [requests, rollouts, incidents, releases] = await Promise.all([
    db.promotionRequest.findMany({ where: { id: { in: ids("promotion") } }, select: { id: true, number: true, stage: true, model: { select: { name: true } }, version: { select: { version: true } } } }),
    db.rollout.findMany({ where: { id: { in: ids("rollout") } }, select: { id: true, number: true, challengerVersion: true, model: { select: { name: true } } } }),
    db.incident.findMany({ where: { id: { in: ids("incident") } }, select: { id: true, number: true, title: true } }),
    db.release.findMany({ where: { id: { in: ids("release") } }, select: { id: true, number: true, name: true } }),
  ]);
  const label = new Map<string, { label: string; href: string | null }>();
  for (const m of models) label.set(`model:${m.id}`, { label: m.name, href: `/models/${m.name}` });
  for (const v of versions) label.set(`model-version:${v.id}`, { label: `${v.model.name} v${v.version}`, href: `/models/${v.model.name}/versions/${v.version}` });
  for (const r of reports) label.set(`report:${r.id}`, { label: `${r.kind} report of ${r.version.model.name} v${r.version.version}`, href: `/models/${r.version.model.name}/versions/${r.version.version}` });
  for (const u of users) label.set(`user:${u.id}`, { label: u.email, href: `/admin/users/${u.id}` });
  for (const p of requests) label.set(`promotion:${p.id}`, { label: `request #${p.number}: ${p.model.name} v${p.version.version} → ${p.stage}`, href: `/promotions/${p.id}` });
  for (const r of rollouts) label.set(`rollout:${r.id}`, { label: `rollout ${r.number}: ${r.model.name} v${r.challengerVersion}`, href: `/rollouts/${r.number}` });
  for (const i of incidents) label.set(`incident:${i.id}`, { label: `incident ${i.number}: ${i.title}`, href: `/incidents/${i.number}` });
  for (const r of releases) label.set(`release:${r.id}`, { label: `release ${r.number}: ${r.name}`, href: `/releases/${r.number}` });
  return rows.map((r) => {
    const known = label.get(`${r.targetType}:${r.targetId}`);
    const alias = r.targetType === "alias" ? r.targetId.split("@") : null;
    const target = known ?? (alias ? { label: r.targetId, href: `/models/${alias[0]}/aliases/${alias.slice(1).join("@")}` } : r.targetType === "policy" ? { label: r.targetId === "default" ? "organisation default policy" : `${r.targetId} policy`, href: r.targetId === "default" ? "/policies" : `/models/${r.targetId}/policy` } : { label: r.targetId, href: null });
    return {
      id: r.id.toString(),
      at: r.occurredAt.toISOString(),
      actor: { type: r.actorType, id: r.actorId, label: r.actorLabel },
      action: r.action,
      target: { type: r.targetType, id: r.targetId, ...target },
      teamId: r.teamId,
      before: r.before ?? null,
      after: r.after ?? null,
      reason: r.reason,
      prevHash: r.prevHash,
      hash: r.hash,
    };
  });
}
