import "server-only";
import { badRequest, notFound } from "@/lib/api/errors";
import { can, type Actor } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/require";
import { db, type Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { decodeCursor, encodeCursor, type Page } from "@/lib/pagination";
import { askedRolesHeld } from "@/lib/promotions/decide";
import { promotionViews, type PromotionView } from "@/lib/promotions/views";
import { readableTeamIds } from "@/lib/registry/access";
import { STATUS_LABELS as ROLLOUT_STATUS_LABELS, type RolloutStatus } from "@/lib/rollouts/machine";
import type { RuleCheck } from "./rules";
import { ZListReleasesQuery, type TReleaseRule } from "./schemas";
import { RELEASE_STATUS_LABELS, type ReleaseStatus } from "./state";
import { checkReleaseRules } from "./check";
import { memberInclude } from "./sync";

/** What the API and the screens show of a release. */
export type ReleaseMemberSummary = { id: string; number: number; model: string; version: number; stage: string; alias: string; status: string; statusLabel: string };
export type ReleaseSummary = {
  id: string;
  number: number;
  name: string;
  status: ReleaseStatus;
  statusLabel: string;
  statusReason: string | null;
  requester: string;
  members: ReleaseMemberSummary[];
  createdAt: string;
  updatedAt: string;
};
export type ReleaseMemberRollout = { id: string; number: number; status: string; statusLabel: string; mode: string; trafficPercent: number; step: number; steps: number; statusReason: string | null };
/**
 * Whether a release decision by the reader would land on a member: the roles it would count as, or why it would not
 * (the same rules decideRelease applies).
 */
export type ForYou = { roles: string[]; reason: null } | { roles: []; reason: string };

function forYou(actor: Actor, m: PromotionView): ForYou {
  const roles = actor.kind === "user" && can(actor, "promotions.decide", m.teamId) ? askedRolesHeld(actor.grants, m.approvals.required, m.teamId) : [];
  if (m.status !== "awaiting-approval" && m.status !== "blocked") return { roles: [], reason: m.status === "approved" ? "already approved" : m.status === "changes-requested" ? "back with its requester for changes" : m.statusLabel.toLowerCase() };
  if (actor.kind === "user" && m.requesterId === actor.userId) return { roles: [], reason: "you requested it" };
  if (!roles.length) return { roles: [], reason: `not waiting for your roles (needs ${m.missing.map((x) => `${x.count} ${x.role}`).join(", ") || "no one"})` };
  return { roles, reason: null };
}

export type ReleaseView = ReleaseSummary & {
  justification: string;
  requesterId: string | null;
  appliedAt: string | null;
  rolledBackAt: string | null;
  closedAt: string | null;
  /** Every member in full: gates, approvals, decisions, and its rollout when it has one. */
  memberViews: (PromotionView & { rollout: ReleaseMemberRollout | null; forYou: ForYou })[];
  /** The rules the engineer declared. */
  rules: TReleaseRule[];
  /** Every rule that applies (declared and from the members' policies), checked now for an open release, as last checked otherwise. */
  checks: RuleCheck[];
  checkedAt: string;
  /** What the signed-in actor may do here. */
  can: { cancel: boolean; rollback: boolean; decide: boolean };
};

const include = {
  members: { select: { id: true, number: true, status: true, stage: true, alias: true, model: { select: { name: true } }, version: { select: { version: true } } }, orderBy: { number: "asc" as const } },
} satisfies Prisma.ReleaseInclude;
type Row = Prisma.ReleaseGetPayload<{ include: typeof include }>;

function summary(r: Row): ReleaseSummary {
  const status = r.status as ReleaseStatus;
  return {
    id: r.id,
    number: r.number,
    name: r.name,
    status,
    statusLabel: RELEASE_STATUS_LABELS[status] ?? r.status,
    statusReason: r.statusReason,
    requester: r.requesterLabel,
    members: r.members.map((m) => ({ id: m.id, number: m.number, model: m.model.name, version: m.version.version, stage: m.stage, alias: m.alias, status: m.status, statusLabel: m.status.replace(/-/g, " ") })),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** Who may read a release: readers of every member's team (a cross-team release is hidden from one team's auditors). */
function readableWhere(actor: Actor, allTeams: readonly string[]): Prisma.ReleaseWhereInput {
  const teams = readableTeamIds(actor);
  if (teams === null) return {};
  const hidden = allTeams.filter((t) => !teams.includes(t));
  return hidden.length ? { NOT: { teamIds: { hasSome: hidden } } } : {};
}

/** The release `id` (its id, or its number as "3") if `actor` may read it; 404 otherwise. */
export async function findReadableRelease(tx: Tx, actor: Actor | null, id: string) {
  const a = requirePermission(actor, "registry.read");
  const where = /^\d{1,9}$/.test(id) ? { number: Number(id) } : { id };
  const row = await tx.release.findUnique({ where, select: { id: true, teamIds: true } });
  const teams = readableTeamIds(a);
  if (!row || (teams !== null && !row.teamIds.every((t) => teams.includes(t)))) throw notFound(`No release "${id}"`);
  return row;
}

export async function getRelease(opts: { actor: Actor | null; id: string; now?: Date }): Promise<ReleaseView> {
  const found = await findReadableRelease(db, opts.actor, opts.id);
  const actor = opts.actor!;
  const now = opts.now ?? new Date();
  const r = await db.release.findUniqueOrThrow({ where: { id: found.id }, include });
  const views = await promotionViews(r.members.map((m) => m.id), now);
  const rollouts = await db.rollout.findMany({ where: { requestId: { in: r.members.map((m) => m.id) } } });
  const byRequest = new Map(rollouts.map((x) => [x.requestId, x]));
  let checks = r.ruleCheck as unknown as RuleCheck[];
  if (r.status === "open") {
    const members = await db.promotionRequest.findMany({ where: { releaseId: r.id }, include: memberInclude, orderBy: { number: "asc" } });
    checks = await checkReleaseRules(db as unknown as Tx, { rules: r.rules as TReleaseRule[], members: members.map((m) => ({ model: m.model, version: m.version, stage: m.stage, alias: m.alias })) });
  }
  const requester = actor.kind === "user" ? actor.userId === r.requesterId : actor.kind === "service" && actor.tokenId === r.requesterTokenId;
  const open = r.status === "open" || r.status === "rolling-out";
  return {
    ...summary(r),
    justification: r.justification,
    requesterId: r.requesterId,
    appliedAt: r.appliedAt?.toISOString() ?? null,
    rolledBackAt: r.rolledBackAt?.toISOString() ?? null,
    closedAt: r.closedAt?.toISOString() ?? null,
    memberViews: views.map((v) => {
      const x = byRequest.get(v.id);
      const plan = x?.plan as { steps?: unknown[] } | undefined;
      return {
        ...v,
        forYou: forYou(actor, v),
        rollout: x
          ? { id: x.id, number: x.number, status: x.status, statusLabel: ROLLOUT_STATUS_LABELS[x.status as RolloutStatus] ?? x.status, mode: x.mode, trafficPercent: x.trafficPercent, step: x.stepIndex + 1, steps: plan?.steps?.length ?? 0, statusReason: x.statusReason }
          : null,
      };
    }),
    rules: r.rules as TReleaseRule[],
    checks,
    checkedAt: (r.status === "open" ? now : r.updatedAt).toISOString(),
    can: {
      cancel: open && (requester || r.teamIds.every((t) => can(actor, "promotions.cancel-any", t))),
      rollback: (r.status === "applied" || r.status === "rolling-out") && r.teamIds.every((t) => can(actor, "aliases.rollback", t)),
      decide: r.status === "open" && actor.kind === "user" && r.teamIds.some((t) => can(actor, "promotions.decide", t)),
    },
  };
}

/** Releases, newest first, filtered; cursor-paginated by release number. */
export async function listReleases(opts: { actor: Actor | null; query: unknown }): Promise<Page<ReleaseSummary>> {
  const actor = requirePermission(opts.actor, "registry.read");
  const q = ZListReleasesQuery.parse(opts.query);
  const key = decodeCursor(q.cursor);
  const after = key === undefined ? undefined : Number(key);
  if (after !== undefined && !(Number.isInteger(after) && after >= 1 && after <= 2_147_483_647)) throw badRequest("The cursor is not one this list handed out", [{ path: "cursor", message: "Invalid cursor" }]);
  const allTeams = (await db.team.findMany({ select: { id: true } })).map((t) => t.id);
  const where: Prisma.ReleaseWhereInput = {
    ...readableWhere(actor, allTeams),
    ...(q.status ? { status: q.status } : q.open === "true" ? { status: { in: ["open", "rolling-out"] } } : {}),
    ...(q.model ? { members: { some: { model: { name: q.model } } } } : {}),
    ...(after !== undefined ? { number: { lt: after } } : {}),
  };
  const rows = await db.release.findMany({ where, include, orderBy: { number: "desc" }, take: q.limit + 1 });
  const items = rows.slice(0, q.limit).map(summary);
  return { items, nextCursor: rows.length > q.limit ? encodeCursor(String(items.at(-1)!.number)) : null };
}

/** The release's own audit events, oldest first: its timeline. */
export async function releaseTimeline(opts: { actor: Actor | null; id: string }) {
  const found = await findReadableRelease(db, opts.actor, opts.id);
  const events = await db.auditEvent.findMany({ where: { targetType: "release", targetId: found.id }, orderBy: { id: "asc" }, take: 500 });
  return events.map((e) => ({ id: e.id.toString(), at: e.occurredAt.toISOString(), actor: e.actorLabel, action: e.action, reason: e.reason }));
}
