import "server-only";
import { badRequest } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/require";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { decodeCursor, encodeCursor, type Page } from "@/lib/pagination";
import { readableTeamIds } from "@/lib/registry/access";
import type { Assessment } from "./assess";
import { findReadableRollout } from "./lifecycle";
import { planOf } from "./lifecycle";
import { ACTIVE_STATUSES, STATUS_LABELS, heldMs, type RolloutStatus } from "./machine";
import { describeCheckpoint, describeStep, type RolloutPlan } from "./plan";
import { ZRolloutsQuery } from "./schemas";
import { stateOf } from "./tick";

const include = { model: { select: { name: true, teamId: true } }, request: { select: { id: true, number: true, stage: true, status: true, justification: true, release: { select: { id: true, number: true, name: true } } } } } satisfies Prisma.RolloutInclude;
type Row = Prisma.RolloutGetPayload<{ include: typeof include }>;

export type RolloutSummary = {
  id: string;
  number: number;
  model: string;
  alias: string;
  champion: number | null;
  challenger: number;
  strategy: string;
  status: RolloutStatus;
  statusLabel: string;
  statusReason: string | null;
  mode: string;
  trafficPercent: number;
  step: { index: number; of: number; label: string; heldMs: number; holdMs: number } | null;
  waitingFor: string | null;
  /** The checkpoint waited for: its key and the roles that may decide there. */
  checkpoint: { key: string; roles: string[] } | null;
  verdict: { outcome: string; score: number | null; explanation: string } | null;
  request: { id: string; number: number; stage: string; status: string };
  /** The release the rollout belongs to: its members move together. */
  release: { id: string; number: number; name: string } | null;
  startedAt: string;
  completedAt: string | null;
  watchUntil: string | null;
  endedAt: string | null;
};

export type RolloutView = RolloutSummary & {
  plan: RolloutPlan;
  steps: { index: number; phase: string; percent: number; holdMs: number; stableDays: number; state: "done" | "current" | "next" | "stopped" | "not-reached"; checkpoints: string[] }[];
  judgement: Assessment["record"] | null;
  judgedAt: string | null;
  events: { kind: string; step: number; mode: string; trafficPercent: number; status: string; actor: string; reason: string; at: string }[];
  checkpointDecisions: { checkpoint: string; user: string; decision: string; comment: string; roles: string[]; signed: boolean; at: string }[];
  incidents: { id: string; number: number; status: string; title: string; openedAt: string }[];
};

function summary(r: Row, now: Date): RolloutSummary {
  const plan = planOf(r);
  const step = plan.steps[r.stepIndex];
  const live = ["running", "paused", "waiting"].includes(r.status);
  const record = r.verdict as Assessment["record"] | null;
  return {
    id: r.id,
    number: r.number,
    model: r.model.name,
    alias: r.alias,
    champion: r.championVersion,
    challenger: r.challengerVersion,
    strategy: r.strategy,
    status: r.status as RolloutStatus,
    statusLabel: STATUS_LABELS[r.status as RolloutStatus] ?? r.status,
    statusReason: r.statusReason,
    mode: r.mode,
    trafficPercent: r.trafficPercent,
    step: live && step ? { index: r.stepIndex, of: plan.steps.length, label: describeStep(plan, r.stepIndex), heldMs: heldMs(stateOf(r), now), holdMs: step.holdMs } : null,
    waitingFor: r.waitingFor ? plan.checkpoints.filter((c) => c.key === r.waitingFor).map(describeCheckpoint).join(" and ") : null,
    checkpoint: r.waitingFor ? { key: r.waitingFor, roles: plan.checkpoints.filter((c) => c.key === r.waitingFor).map((c) => c.role) } : null,
    verdict: record ? { outcome: record.verdict.outcome, score: record.verdict.score, explanation: record.verdict.explanation } : null,
    request: { id: r.request.id, number: r.request.number, stage: r.request.stage, status: r.request.status },
    release: r.request.release,
    startedAt: r.startedAt.toISOString(),
    completedAt: r.completedAt?.toISOString() ?? null,
    watchUntil: r.watchUntil?.toISOString() ?? null,
    endedAt: r.endedAt?.toISOString() ?? null,
  };
}

export async function getRollout(opts: { actor: Actor | null; id: string; now?: Date }): Promise<RolloutView> {
  const found = await findReadableRollout(db, opts.actor, opts.id);
  const [r, events, decisions, incidents] = await Promise.all([
    db.rollout.findUniqueOrThrow({ where: { id: found.id }, include }),
    db.rolloutEvent.findMany({ where: { rolloutId: found.id }, orderBy: { createdAt: "asc" }, take: 1_000 }),
    db.rolloutDecision.findMany({ where: { rolloutId: found.id }, orderBy: { createdAt: "asc" } }),
    db.incident.findMany({ where: { rolloutId: found.id }, orderBy: { openedAt: "asc" } }),
  ]);
  const plan = planOf(r);
  return {
    ...summary(r, opts.now ?? new Date()),
    plan,
    steps: plan.steps.map((s, index) => ({
      index,
      phase: s.phase,
      percent: s.percent,
      holdMs: s.holdMs,
      stableDays: s.stableDays,
      state: stepState(r.status, r.stepIndex, index),
      checkpoints: plan.checkpoints.filter((c) => c.afterStep === index).map(describeCheckpoint),
    })),
    judgement: (r.verdict as Assessment["record"] | null) ?? null,
    judgedAt: r.judgedAt?.toISOString() ?? null,
    events: events.map((e) => ({ kind: e.kind, step: e.stepIndex + 1, mode: e.mode, trafficPercent: e.trafficPercent, status: e.status, actor: e.actorLabel, reason: e.reason, at: e.createdAt.toISOString() })),
    checkpointDecisions: decisions.map((d) => ({ checkpoint: d.checkpoint, user: d.userLabel, decision: d.decision, comment: d.comment, roles: d.roles, signed: d.signature !== null, at: d.createdAt.toISOString() })),
    incidents: incidents.map((i) => ({ id: i.id, number: i.number, status: i.status, title: i.title, openedAt: i.openedAt.toISOString() })),
  };
}

/** How a step of the plan stands: passed, under way, to come, or where a rollback or abort stopped the rollout. */
function stepState(status: string, at: number, index: number): RolloutView["steps"][number]["state"] {
  const stopped = status === "rolled-back" || status === "aborted";
  if (!stopped && (status === "completed" || status === "watching")) return "done";
  if (index < at) return "done";
  if (index === at) return stopped ? "stopped" : "current";
  return stopped ? "not-reached" : "next";
}

/** Rollouts, newest first; `status=active` for those the scheduler still drives. Cursor-paginated by number. */
export async function listRollouts(opts: { actor: Actor | null; query: unknown; now?: Date }): Promise<Page<RolloutSummary>> {
  const actor = requirePermission(opts.actor, "registry.read");
  const q = ZRolloutsQuery.parse(opts.query);
  const teams = readableTeamIds(actor);
  const key = decodeCursor(q.cursor);
  const before = key === undefined ? undefined : Number(key);
  if (before !== undefined && !(Number.isInteger(before) && before >= 1 && before <= 2_147_483_647)) throw badRequest("The cursor is not one this list handed out", [{ path: "cursor", message: "Invalid cursor" }]);
  const where: Prisma.RolloutWhereInput = {
    ...(teams === null ? {} : { model: { teamId: { in: teams } } }),
    ...(q.model ? { model: { name: q.model, ...(teams === null ? {} : { teamId: { in: teams } }) } } : {}),
    ...(q.status === "active" ? { status: { in: [...ACTIVE_STATUSES] } } : q.status ? { status: q.status } : {}),
    ...(before !== undefined ? { number: { lt: before } } : {}),
  };
  const rows = await db.rollout.findMany({ where, include, orderBy: { number: "desc" }, take: q.limit + 1 });
  const now = opts.now ?? new Date();
  const items = rows.slice(0, q.limit).map((r) => summary(r, now));
  return { items, nextCursor: rows.length > q.limit ? encodeCursor(String(items.at(-1)!.number)) : null };
}

/** The rollout a promotion request started, if any (the request page shows it). */
export async function rolloutOfRequest(opts: { actor: Actor | null; requestId: string; now?: Date }): Promise<RolloutView | null> {
  const row = await db.rollout.findUnique({ where: { requestId: opts.requestId }, select: { id: true } });
  return row ? getRollout({ actor: opts.actor, id: row.id, now: opts.now }) : null;
}
