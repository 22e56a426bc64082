import "server-only";
import { syncsForRequest, type SyncView } from "@/lib/mlflow/sync-view";
import { can, type Actor } from "@/lib/auth/permissions";
import { db, type Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { StageReadiness } from "@/lib/policy/gates";
import { effectivePolicyFor } from "@/lib/policy/policies";
import { durationSeconds } from "@/lib/policy/duration";
import { decodeCursor, encodeCursor, type Page } from "@/lib/pagination";
import { readableTeamIds } from "@/lib/registry/access";
import { requirePermission } from "@/lib/auth/require";
import { badRequest } from "@/lib/api/errors";
import { evaluateQuorum, requirementsFor, signatureRequired, type DecisionInput, type DecisionState, type QuorumResult, type Requirement } from "./quorum";
import { decisionInputs, withCurrentRoles } from "./settle";
import type { Signature } from "./signature";
import { OPEN_STATUSES, STATUS_LABELS, type Status } from "./state";
import { findReadableRequest } from "./request";
import { ZListPromotionsQuery } from "./schemas";

/** What the API and the screens show of a promotion request. */
export type DecisionView = {
  id: string;
  user: string;
  userId: string;
  roles: string[];
  decision: "approve" | "reject" | "request-changes";
  comment: string;
  at: string;
  round: number;
  state: DecisionState;
  countedAs: string | null;
  viaToken: boolean;
  signature: Signature | null;
};
export type PromotionSummary = {
  id: string;
  number: number;
  model: string;
  team: string;
  version: number;
  stage: string;
  alias: string;
  status: Status;
  statusLabel: string;
  statusReason: string | null;
  emergency: boolean;
  requester: string;
  requesterId: string | null;
  gatesPassed: boolean;
  missing: Requirement[];
  reviewDue: boolean;
  /**
   * The coordinated release the request belongs to: it applies only with the release. `readable` is false when the
   * release spans teams the reader cannot see (its page would be a 404); its name is then left out.
   */
  release: { id: string; number: number; name: string; status: string; readable: boolean } | null;
  createdAt: string;
  updatedAt: string;
};
export type PromotionView = PromotionSummary & {
  justification: string;
  strategy: string;
  policy: { defaultVersion: number; modelVersion: number };
  gates: StageReadiness;
  evaluatedAt: string;
  evidenceHash: string;
  move: { alias: string; from: number | null; to: number; sentence: string };
  approvals: { required: Requirement[]; slots: QuorumResult["slots"]; met: boolean; electronicSignature: boolean; ttl: string; round: number; automatic: boolean; lastStage: boolean };
  decisions: DecisionView[];
  supersededBy: { id: string; number: number } | null;
  autoApplied: boolean;
  review: { required: boolean; reviewedAt: string | null; reviewedBy: string | null; comment: string | null };
  closedAt: string | null;
  expiresAt: string;
  registeredById: string | null;
  teamId: string;
  /** The alias moves this request made, as sent to MLflow by the model's connector (issue 13); on single reads. */
  mlflow?: MlflowOutcome[];
};
export type MlflowOutcome = SyncView & { mlflow: string };

const include = {
  model: { include: { team: { select: { slug: true } } } },
  version: { select: { version: true, registeredById: true } },
  decisions: { orderBy: { createdAt: "asc" as const } },
  release: { select: { id: true, number: true, name: true, status: true, teamIds: true } },
} satisfies Prisma.PromotionRequestInclude;
type Row = Prisma.PromotionRequestGetPayload<{ include: typeof include }>;

type StageApprovals = { requirements: Requirement[]; signature: boolean; ttl: string; ttlMs: number; lastStage: boolean };

/** The approvals a request's stage asks for now (policies are read once per model per call). */
function approvalsReader(client: Tx) {
  const cache = new Map<string, Promise<Awaited<ReturnType<typeof effectivePolicyFor>>>>();
  return async (r: Row): Promise<StageApprovals> => {
    if (!cache.has(r.modelId)) cache.set(r.modelId, effectivePolicyFor(client, r.modelId));
    const { policy } = await cache.get(r.modelId)!;
    const stage = policy.stages.find((s) => s.name === r.stage);
    if (!stage) return { requirements: [], signature: false, ttl: "7d", ttlMs: 7 * 86_400_000, lastStage: false };
    return {
      requirements: requirementsFor(stage.approvals, r.model.riskTier, r.emergency),
      signature: signatureRequired(stage.approvals.electronicSignature, r.model.riskTier),
      ttl: stage.approvals.ttl,
      ttlMs: (durationSeconds(stage.approvals.ttl) ?? 7 * 86_400) * 1000,
      lastStage: policy.stages.at(-1)?.name === stage.name,
    };
  };
}

function quorumOf(r: Row, a: StageApprovals, now: Date, decisions: DecisionInput[] = decisionInputs(r.decisions)): QuorumResult {
  return evaluateQuorum({ requirements: a.requirements, decisions, round: r.round, evidenceHash: r.evidenceHash, now, ttlMs: a.ttlMs, expiryPaused: r.status === "rolling-out" });
}

function summary(r: Row, q: QuorumResult): PromotionSummary {
  const status = r.status as Status;
  return {
    id: r.id,
    number: r.number,
    model: r.model.name,
    team: r.model.team.slug,
    version: r.version.version,
    stage: r.stage,
    alias: r.alias,
    status,
    statusLabel: STATUS_LABELS[status] ?? r.status,
    statusReason: r.statusReason,
    emergency: r.emergency,
    requester: r.requesterLabel,
    requesterId: r.requesterId,
    gatesPassed: r.gatesPassed,
    missing: (OPEN_STATUSES as readonly string[]).includes(status) ? q.missing : [],
    reviewDue: r.reviewRequired && !r.reviewedAt,
    release: r.release ? { id: r.release.id, number: r.release.number, name: r.release.name, status: r.release.status, readable: true } : null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

async function toView(client: Tx, r: Row, now: Date): Promise<PromotionView> {
  const a = await approvalsReader(client)(r);
  // As settling counts them: with the roles their makers still hold.
  const q = quorumOf(r, a, now, await withCurrentRoles(client, decisionInputs(r.decisions), r.model.teamId));
  const states = new Map(q.decisions.map((d) => [d.id, d]));
  const open = (OPEN_STATUSES as readonly string[]).includes(r.status);
  const holder = open ? await client.modelAlias.findUnique({ where: { modelId_name: { modelId: r.modelId, name: r.alias } }, include: { version: { select: { version: true } } } }) : null;
  const from = open ? (holder?.version.version ?? null) : r.fromVersion;
  const alias = `${r.model.name}@${r.alias}`;
  const superseder = r.supersededById ? await client.promotionRequest.findUnique({ where: { id: r.supersededById }, select: { id: true, number: true } }) : null;
  const sentence = r.status === "applied" || r.status === "rolled-back" ? `${alias} moved from ${from === null ? "nothing" : `v${from}`} to v${r.version.version}` : `${alias} moves from ${from === null ? "nothing (it is created)" : `v${from}`} to v${r.version.version}`;
  return {
    ...summary(r, q),
    justification: r.justification,
    strategy: r.strategy,
    policy: { defaultVersion: r.policyDefaultVersion, modelVersion: r.policyModelVersion },
    gates: r.gates as unknown as StageReadiness,
    evaluatedAt: r.evaluatedAt.toISOString(),
    evidenceHash: r.evidenceHash,
    move: { alias, from, to: r.version.version, sentence },
    approvals: { required: a.requirements, slots: q.slots, met: q.met, electronicSignature: a.signature, ttl: a.ttl, round: r.round, automatic: a.requirements.length === 0, lastStage: a.lastStage },
    decisions: r.decisions.map((d) => ({
      id: d.id,
      user: d.userLabel,
      userId: d.userId,
      roles: d.roles,
      decision: d.decision as DecisionView["decision"],
      comment: d.comment,
      at: d.createdAt.toISOString(),
      round: d.round,
      state: states.get(d.id)?.state ?? "earlier-round",
      countedAs: states.get(d.id)?.countedAs ?? null,
      viaToken: d.tokenId !== null,
      signature: (d.signature as Signature | null) ?? null,
    })),
    supersededBy: superseder,
    autoApplied: r.autoApplied,
    review: { required: r.reviewRequired, reviewedAt: r.reviewedAt?.toISOString() ?? null, reviewedBy: r.reviewedBy, comment: r.reviewComment },
    closedAt: r.closedAt?.toISOString() ?? null,
    expiresAt: r.expiresAt.toISOString(),
    registeredById: r.version.registeredById,
    teamId: r.model.teamId,
  };
}

/** Hides the release of a request from a reader who cannot read every team the release spans. */
function forReader<T extends PromotionSummary>(actor: Actor, p: T, teamIds: readonly string[] | undefined): T {
  const teams = readableTeamIds(actor);
  if (!p.release || teams === null || (teamIds ?? []).every((t) => teams.includes(t))) return p;
  return { ...p, release: { ...p.release, name: "", readable: false } };
}

export async function getPromotion(opts: { actor: Actor | null; id: string; now?: Date }): Promise<PromotionView> {
  const found = await findReadableRequest(db, opts.actor, opts.id);
  const row = await db.promotionRequest.findUniqueOrThrow({ where: { id: found.id }, include });
  const view = forReader(opts.actor!, await toView(db, row, opts.now ?? new Date()), row.release?.teamIds);
  return { ...view, mlflow: await syncsForRequest(found.id) };
}

/** Several requests' full views (a release's members), in the order of `ids`; the caller has checked access. */
export async function promotionViews(ids: readonly string[], now = new Date()): Promise<PromotionView[]> {
  const rows = await db.promotionRequest.findMany({ where: { id: { in: [...ids] } }, include });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return Promise.all(ids.flatMap((id) => (byId.has(id) ? [toView(db, byId.get(id)!, now)] : [])));
}

/** Requests, newest first, filtered; cursor-paginated by request number. */
export async function listPromotions(opts: { actor: Actor | null; query: unknown; now?: Date }): Promise<Page<PromotionSummary>> {
  const actor = requirePermission(opts.actor, "registry.read");
  const q = ZListPromotionsQuery.parse(opts.query);
  const teams = readableTeamIds(actor);
  let requesterId: string | undefined;
  if (q.requester === "me") {
    if (actor.kind !== "user") throw badRequest('requester=me needs a signed-in user or a user token', [{ path: "requester", message: "No user" }]);
    requesterId = actor.userId;
  } else if (q.requester) {
    const user = await db.user.findUnique({ where: { email: q.requester.toLowerCase() }, select: { id: true } });
    requesterId = user?.id ?? "(none)";
  }
  const key = decodeCursor(q.cursor);
  const after = key === undefined ? undefined : Number(key);
  if (after !== undefined && !(Number.isInteger(after) && after >= 1 && after <= 2_147_483_647)) throw badRequest("The cursor is not one this list handed out", [{ path: "cursor", message: "Invalid cursor" }]);
  const where: Prisma.PromotionRequestWhereInput = {
    ...(teams === null ? {} : { model: { teamId: { in: teams } } }),
    ...(q.status ? { status: q.status } : q.open === "true" ? { status: { in: [...OPEN_STATUSES] } } : {}),
    ...(q.model ? { model: { name: q.model, ...(teams === null ? {} : { teamId: { in: teams } }) } } : {}),
    ...(q.stage ? { stage: q.stage } : {}),
    ...(requesterId ? { requesterId } : {}),
    ...(after !== undefined ? { number: { lt: after } } : {}),
  };
  const rows = await db.promotionRequest.findMany({ where, include, orderBy: { number: "desc" }, take: q.limit + 1 });
  const approvals = approvalsReader(db);
  const now = opts.now ?? new Date();
  const items = await Promise.all(rows.slice(0, q.limit).map(async (r) => forReader(actor, summary(r, quorumOf(r, await approvals(r), now)), r.release?.teamIds)));
  return { items, nextCursor: rows.length > q.limit ? encodeCursor(String(items.at(-1)!.number)) : null };
}

/** The approvals inbox: open requests this user could decide on now, oldest first, and emergency reviews due. */
export async function approvalsInbox(opts: { actor: Actor | null; now?: Date }): Promise<{ waiting: (PromotionSummary & { myRoles: string[] })[]; reviews: PromotionSummary[] }> {
  const actor = requirePermission(opts.actor, "registry.read");
  if (actor.kind !== "user") return { waiting: [], reviews: [] };
  const teams = readableTeamIds(actor);
  const scope = teams === null ? {} : { model: { teamId: { in: teams } } };
  const now = opts.now ?? new Date();
  const rows = await db.promotionRequest.findMany({ where: { ...scope, status: "awaiting-approval" }, include, orderBy: { createdAt: "asc" }, take: 500 });
  const approvals = approvalsReader(db);
  const waiting = [];
  for (const r of rows) {
    if (r.requesterId === actor.userId) continue;
    const q = quorumOf(r, await approvals(r), now);
    const myRoles = [...new Set(actor.grants.filter((g) => q.missing.some((m) => m.role === g.role) && (g.teamId === null || g.teamId === r.model.teamId)).map((g) => g.role))];
    const decided = q.decisions.some((d) => d.state === "counted" && r.decisions.find((x) => x.id === d.id)?.userId === actor.userId);
    // The registrant cannot approve their own version for the last stage; it is not waiting for them.
    const registrant = r.version.registeredById === actor.userId && (await approvals(r)).lastStage;
    if (myRoles.length && !decided && !registrant) waiting.push(forReader(actor, { ...summary(r, q), myRoles }, r.release?.teamIds));
  }
  const canReview = can(actor, "promotions.review");
  const reviewRows = canReview ? await db.promotionRequest.findMany({ where: { ...scope, reviewRequired: true, reviewedAt: null }, include, orderBy: { createdAt: "asc" }, take: 200 }) : [];
  const reviews = [];
  for (const r of reviewRows) {
    const involved = r.requesterId === actor.userId || r.decisions.some((d) => d.userId === actor.userId);
    if (can(actor, "promotions.review", r.model.teamId) && !involved) reviews.push(summary(r, quorumOf(r, await approvals(r), now)));
  }
  return { waiting, reviews };
}

/** The request's own audit events, oldest first: its timeline. */
export async function promotionTimeline(opts: { actor: Actor | null; id: string }) {
  const found = await findReadableRequest(db, opts.actor, opts.id);
  const events = await db.auditEvent.findMany({ where: { targetType: "promotion", targetId: found.id }, orderBy: { id: "asc" }, take: 500 });
  return events.map((e) => ({ id: e.id.toString(), at: e.occurredAt.toISOString(), actor: e.actorLabel, action: e.action, reason: e.reason, hash: e.hash }));
}
