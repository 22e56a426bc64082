import "server-only";
import type { Tx } from "@/lib/db";
import { notify } from "@/lib/notifications/notify";
import type { Requirement } from "./quorum";

/**
 * Who hears about what happens to a request. Written in the transaction of the change (the bell rows and the
 * outbox rows for email and Slack), delivered after it commits.
 */
type RequestRef = {
  id: string;
  number: number;
  stage: string;
  alias: string;
  requesterId: string | null;
  justification: string;
  model: { name: string; teamId: string };
  version: { version: number };
};

const link = (r: RequestRef) => `/promotions/${r.id}`;
const what = (r: RequestRef) => `${r.model.name} v${r.version.version} to ${r.stage} (@${r.alias})`;

/** Active users holding any of `roles` for the team (or globally). */
export async function usersWithRoles(tx: Tx, roles: readonly string[], teamId: string): Promise<string[]> {
  if (!roles.length) return [];
  const grants = await tx.roleGrant.findMany({ where: { role: { in: [...roles] }, OR: [{ teamId: null }, { teamId }], user: { active: true } }, select: { userId: true } });
  return [...new Set(grants.map((g) => g.userId))];
}

async function deciders(tx: Tx, requestId: string): Promise<string[]> {
  const rows = await tx.promotionDecision.findMany({ where: { requestId }, select: { userId: true } });
  return rows.map((d) => d.userId);
}

const without = (ids: readonly string[], ...drop: (string | null)[]) => [...new Set(ids)].filter((id) => !drop.includes(id));

/** `except`: people whose approval already counts; they cannot fill what is missing, so they are not asked again. */
export async function notifyApprovalNeeded(tx: Tx, o: { request: RequestRef; missing: readonly Requirement[]; event?: "approval.needed" | "approval.reminder"; except?: readonly string[] }): Promise<string[]> {
  const r = o.request;
  const userIds = without(await usersWithRoles(tx, o.missing.map((m) => m.role), r.model.teamId), r.requesterId, ...(o.except ?? []));
  const reminder = o.event === "approval.reminder";
  await notify(tx, {
    event: o.event ?? "approval.needed",
    userIds,
    title: `${reminder ? "Still waiting" : "Approval needed"}: #${r.number} ${what(r)}`,
    body: `Needed: ${o.missing.map((m) => `${m.count} ${m.role}`).join(", ")}. Justification: ${r.justification}`,
    link: link(r),
    requestId: r.id,
  });
  return userIds;
}

export async function notifyEscalated(tx: Tx, o: { request: RequestRef; missing: readonly Requirement[] }): Promise<void> {
  const r = o.request;
  const admins = await usersWithRoles(tx, ["admin"], r.model.teamId);
  await notify(tx, {
    event: "approval.escalated",
    userIds: without(admins, r.requesterId),
    title: `Escalated: #${r.number} ${what(r)} waits for approval`,
    body: `No one has given the ${o.missing.map((m) => `${m.count} ${m.role}`).join(", ")} approval it needs; please find an approver.`,
    link: link(r),
    requestId: r.id,
  });
}

export async function notifyDecision(tx: Tx, o: { request: RequestRef; decision: string; by: string; comment: string }): Promise<void> {
  const r = o.request;
  if (!r.requesterId) return;
  const changes = o.decision === "request-changes";
  const verb = o.decision === "approve" ? "approved" : o.decision === "reject" ? "rejected" : "asked for changes to";
  await notify(tx, {
    event: changes ? "changes.requested" : "decision.made",
    userIds: [r.requesterId],
    title: `${o.by} ${verb} #${r.number} ${what(r)}`,
    body: o.comment,
    link: link(r),
    requestId: r.id,
  });
}

export async function notifyExpired(tx: Tx, o: { request: RequestRef }): Promise<void> {
  const r = o.request;
  if (!r.requesterId) return;
  await notify(tx, {
    event: "decision.made",
    userIds: [r.requesterId],
    title: `Expired: #${r.number} ${what(r)}`,
    body: "The request was not decided in time; request again if the version should still move.",
    link: link(r),
    requestId: r.id,
  });
}

export async function notifyApplied(tx: Tx, o: { request: RequestRef; summary: string }): Promise<void> {
  const r = o.request;
  await notify(tx, {
    event: "promotion.applied",
    userIds: without([...(r.requesterId ? [r.requesterId] : []), ...(await deciders(tx, r.id))]),
    title: `Applied: #${r.number} ${what(r)}`,
    body: o.summary,
    link: link(r),
    requestId: r.id,
  });
}

export async function notifyReviewRequired(tx: Tx, o: { request: RequestRef }): Promise<void> {
  const r = o.request;
  await notify(tx, {
    event: "review.required",
    userIds: await usersWithRoles(tx, ["compliance-officer"], r.model.teamId),
    title: `Review required: emergency promotion #${r.number} ${what(r)}`,
    body: `Applied through the emergency path. Justification: ${r.justification}`,
    link: link(r),
    requestId: r.id,
  });
}

export async function notifyRolledBack(tx: Tx, o: { model: { name: string; teamId: string }; alias: string; from: number; to: number; by: string; comment: string; request: RequestRef | null }): Promise<void> {
  const watchers = await usersWithRoles(tx, ["ml-lead"], o.model.teamId);
  const involved = o.request ? [...(o.request.requesterId ? [o.request.requesterId] : []), ...(await deciders(tx, o.request.id))] : [];
  await notify(tx, {
    event: "alias.rolled_back",
    userIds: without([...watchers, ...involved]),
    title: `Rolled back: ${o.model.name}@${o.alias} from v${o.from} to v${o.to}`,
    body: `${o.by}: ${o.comment}`,
    link: o.request ? link(o.request) : `/models/${o.model.name}`,
    requestId: o.request?.id,
  });
}
