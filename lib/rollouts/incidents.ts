import "server-only";
import { badRequest, conflict, forbidden, notFound } from "@/lib/api/errors";
import { recordAuditEvent } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/require";
import { db, transaction, type Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { decodeCursor, encodeCursor, type Page } from "@/lib/pagination";
import { readableTeamIds } from "@/lib/registry/access";
import { lockModel } from "@/lib/registry/aliases";
import { emitWebhookEvent } from "@/lib/webhooks/emit";
import { ZIncidentActionInput, ZIncidentsQuery } from "./schemas";

/** Incidents opened by automatic rollbacks: who owns them, what was breached, and the data that showed it. */

const include = { model: { select: { name: true, teamId: true } }, rollout: { select: { id: true, number: true, requestId: true, strategy: true, alias: true } } } satisfies Prisma.IncidentInclude;
type Row = Prisma.IncidentGetPayload<{ include: typeof include }>;

export type IncidentSummary = {
  id: string;
  number: number;
  model: string;
  teamId: string;
  kind: string;
  status: string;
  title: string;
  champion: number | null;
  challenger: number;
  rollout: { id: string; number: number; requestId: string; strategy: string; alias: string };
  openedAt: string;
  acknowledged: { by: string; at: string; comment: string } | null;
  resolved: { by: string; at: string; comment: string } | null;
};
export type IncidentView = IncidentSummary & { criteria: unknown; evidence: unknown };

function summary(r: Row): IncidentSummary {
  return {
    id: r.id,
    number: r.number,
    model: r.model.name,
    teamId: r.model.teamId,
    kind: r.kind,
    status: r.status,
    title: r.title,
    champion: r.championVersion,
    challenger: r.challengerVersion,
    rollout: r.rollout,
    openedAt: r.openedAt.toISOString(),
    acknowledged: r.acknowledgedAt ? { by: r.acknowledgedBy ?? "", at: r.acknowledgedAt.toISOString(), comment: r.acknowledgeComment ?? "" } : null,
    resolved: r.resolvedAt ? { by: r.resolvedBy ?? "", at: r.resolvedAt.toISOString(), comment: r.resolveComment ?? "" } : null,
  };
}

async function findReadableIncident(tx: Tx, actor: Actor | null, id: string) {
  const a = requirePermission(actor, "registry.read");
  const where = /^\d{1,9}$/.test(id) ? { number: Number(id) } : { id };
  const row = await tx.incident.findUnique({ where, select: { id: true, modelId: true, model: { select: { teamId: true } } } });
  const teams = readableTeamIds(a);
  if (!row || (teams !== null && !teams.includes(row.model.teamId))) throw notFound(`No incident "${id}"`);
  return row;
}

export async function getIncident(opts: { actor: Actor | null; id: string }): Promise<IncidentView> {
  const found = await findReadableIncident(db, opts.actor, opts.id);
  const r = await db.incident.findUniqueOrThrow({ where: { id: found.id }, include });
  return { ...summary(r), criteria: r.criteria, evidence: r.evidence };
}

/** Newest first; open ones by default filter nothing, `status` narrows. Cursor-paginated by number. */
export async function listIncidents(opts: { actor: Actor | null; query: unknown }): Promise<Page<IncidentSummary>> {
  const actor = requirePermission(opts.actor, "registry.read");
  const q = ZIncidentsQuery.parse(opts.query);
  const teams = readableTeamIds(actor);
  const key = decodeCursor(q.cursor);
  const before = key === undefined ? undefined : Number(key);
  if (before !== undefined && !(Number.isInteger(before) && before >= 1 && before <= 2_147_483_647)) throw badRequest("The cursor is not one this list handed out", [{ path: "cursor", message: "Invalid cursor" }]);
  const where: Prisma.IncidentWhereInput = {
    ...(teams === null ? {} : { model: { teamId: { in: teams } } }),
    ...(q.model ? { model: { name: q.model, ...(teams === null ? {} : { teamId: { in: teams } }) } } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(before !== undefined ? { number: { lt: before } } : {}),
  };
  const rows = await db.incident.findMany({ where, include, orderBy: { number: "desc" }, take: q.limit + 1 });
  const items = rows.slice(0, q.limit).map(summary);
  return { items, nextCursor: rows.length > q.limit ? encodeCursor(String(items.at(-1)!.number)) : null };
}

/** An ml-lead of the model's team acknowledges (takes ownership of) or resolves an incident, with a comment. */
export async function updateIncident(opts: { actor: Actor | null; id: string; action: "acknowledge" | "resolve"; input: unknown; now?: Date }): Promise<IncidentView> {
  const input = ZIncidentActionInput.parse(opts.input);
  const now = opts.now ?? new Date();
  const id = await transaction(async (tx) => {
    const found = await findReadableIncident(tx, opts.actor, opts.id);
    const actor = requirePermission(opts.actor, "rollouts.control", found.model.teamId);
    if (actor.kind !== "user") throw forbidden("A person must acknowledge or resolve an incident; service tokens cannot.");
    await lockModel(tx, found.modelId);
    const r = await tx.incident.findUniqueOrThrow({ where: { id: found.id }, include });
    if (r.status === "resolved") throw conflict(`Incident ${r.number} is already resolved.`);
    if (opts.action === "acknowledge" && r.status !== "open") throw conflict(`Incident ${r.number} is already acknowledged by ${r.acknowledgedBy}.`);
    const data =
      opts.action === "acknowledge"
        ? { status: "acknowledged", acknowledgedAt: now, acknowledgedById: actor.userId, acknowledgedBy: actor.label, acknowledgeComment: input.comment }
        : { status: "resolved", resolvedAt: now, resolvedById: actor.userId, resolvedBy: actor.label, resolveComment: input.comment };
    await tx.incident.update({ where: { id: r.id }, data });
    const verb = opts.action === "acknowledge" ? "acknowledged" : "resolved";
    await recordAuditEvent(tx, { actor, action: `incident.${verb}`, target: { type: "incident", id: r.id, teamId: r.model.teamId }, before: { status: r.status }, after: { status: data.status }, reason: input.comment });
    await emitWebhookEvent(tx, { event: opts.action === "acknowledge" ? "incident.acknowledged" : "incident.resolved", actor, model: r.model, request: { id: r.rollout.requestId }, data: { incident: r.number, rollout: r.rollout.number, title: r.title, comment: input.comment } });
    return r.id;
  });
  return getIncident({ actor: opts.actor, id });
}
