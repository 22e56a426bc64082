/**
 * The life of a coordinated release, as pure functions: what a release does given its members' statuses, and how its
 * members' rollouts move together. The I/O that carries these out is in sync.ts and lib/rollouts/tick.ts.
 */
import { LIVE_STATUSES, type Decision, type RolloutStatus } from "@/lib/rollouts/machine";

export const RELEASE_STATUSES = ["open", "rolling-out", "applied", "rolled-back", "rejected", "cancelled", "expired", "superseded"] as const;
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number];

export const RELEASE_STATUS_LABELS: Record<ReleaseStatus, string> = {
  open: "Open",
  "rolling-out": "Rolling out",
  applied: "Applied",
  "rolled-back": "Rolled back",
  rejected: "Rejected",
  cancelled: "Cancelled",
  expired: "Expired",
  superseded: "Superseded",
};

export const isReleaseStatus = (s: string): s is ReleaseStatus => (RELEASE_STATUSES as readonly string[]).includes(s);
/** Ended: nothing changes the release any more, except that an applied one can be rolled back. */
export const ENDED_RELEASE_STATUSES: readonly ReleaseStatus[] = ["applied", "rolled-back", "rejected", "cancelled", "expired", "superseded"];

/** How many members a release may have. */
export const MIN_MEMBERS = 2;
export const MAX_MEMBERS = 20;

export type MemberState = { number: number; model: string; version: number; status: string; statusReason: string | null };

export type Reconciliation =
  | { action: "none"; reason: string | null }
  /** A member closed without applying: the release ends the same way, and its other members are cancelled. */
  | { action: "end"; status: Extract<ReleaseStatus, "rejected" | "cancelled" | "expired" | "superseded">; reason: string; cause: number }
  /** Every member is approved: apply them all together. */
  | { action: "apply" }
  /** A member was rolled back (automatically or by hand): the rest go back too. */
  | { action: "roll-back-rest"; reason: string; cause: number }
  /** A rolling-out member was cancelled or superseded (its rollout aborted): the others stop too. */
  | { action: "cancel-rest"; reason: string; cause: number }
  /** Every member applied. */
  | { action: "finish" };

const ENDINGS = ["rejected", "cancelled", "expired", "superseded"] as const;
const what = (m: MemberState) => `#${m.number} (${m.model} v${m.version})`;
const lower = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** What a release should do now, from its status and its members'. Pure. */
export function reconcile(status: ReleaseStatus, members: readonly MemberState[]): Reconciliation {
  if (!members.length) return { action: "none", reason: null };
  if (status === "open") {
    const ended = members.find((m) => (ENDINGS as readonly string[]).includes(m.status));
    if (ended) {
      const s = ended.status as (typeof ENDINGS)[number];
      return { action: "end", status: s, cause: ended.number, reason: `Member ${what(ended)} was ${s}${ended.statusReason ? `: ${lower(ended.statusReason)}` : "."}` };
    }
    if (members.every((m) => m.status === "approved")) return { action: "apply" };
    const waiting = members.filter((m) => m.status !== "approved");
    const label: Record<string, string> = { blocked: "blocked", "awaiting-approval": "awaiting approval", "changes-requested": "back with its requester for changes" };
    return { action: "none", reason: `Waiting for ${waiting.map((m) => `${what(m)}, ${label[m.status] ?? m.status}`).join("; ")}.` };
  }
  if (status === "rolling-out" || status === "applied") {
    const back = members.find((m) => m.status === "rolled-back");
    if (back && members.some((m) => m.status === "rolling-out" || m.status === "applied")) {
      return { action: "roll-back-rest", cause: back.number, reason: `Member ${what(back)} was rolled back${back.statusReason ? `: ${lower(back.statusReason)}` : "."}` };
    }
    if (back) return { action: "finish" };
    const stopped = status === "rolling-out" ? members.find((m) => m.status === "cancelled" || m.status === "superseded") : undefined;
    if (stopped) {
      const reason = `Member ${what(stopped)} was ${stopped.status}${stopped.statusReason ? `: ${lower(stopped.statusReason)}` : "."}`;
      // Whatever already moved goes back: a stopped release leaves no member applied.
      if (members.some((m) => m.status === "applied")) return { action: "roll-back-rest", cause: stopped.number, reason };
      return { action: "cancel-rest", cause: stopped.number, reason };
    }
    if (status === "rolling-out" && members.every((m) => m.status === "applied")) return { action: "finish" };
  }
  return { action: "none", reason: null };
}

/** The release's status once every member has reached the one `reconcile` said "finish" for. */
export function finishedStatus(members: readonly MemberState[]): Extract<ReleaseStatus, "applied" | "rolled-back"> {
  return members.some((m) => m.status === "rolled-back") ? "rolled-back" : "applied";
}

// ---------------------------------------------------------------------------------------------------------------
// Rollouts that move together

export type MemberDecision = { key: string; label: string; status: RolloutStatus; decision: Decision };

/**
 * The members' rollouts of one release move together. Given what each active member rollout's state machine decided
 * on its own, returns what each one does:
 * - a breach (or a watch-window breach) in any member rolls every member back; a rejected checkpoint or an abort
 *   in any member aborts them all;
 * - a member ready to move on (advance or complete) holds until every live member is ready; then those advancing
 *   advance, and when all are ready to complete they complete together (one transaction, every alias at once);
 * - waiting for a checkpoint, holding and ending a watch window are a member's own business.
 */
export function together(members: readonly MemberDecision[]): MemberDecision[] {
  const breach = members.find((m) => m.decision.action === "rollback" || m.decision.action === "watch-rollback");
  if (breach) {
    const reason = `Rolled back with its release: ${breach.label}: ${breach.decision.reason}`;
    return members.map((m): MemberDecision => {
      if (m.decision.action === "rollback" || m.decision.action === "watch-rollback") return m;
      return { ...m, decision: m.status === "watching" ? { action: "watch-rollback", breaches: [], reason } : { action: "rollback", breaches: [], reason } };
    });
  }
  const abort = members.find((m) => m.decision.action === "abort");
  if (abort) {
    const reason = `Aborted with its release: ${abort.label}: ${abort.decision.reason}`;
    return members.map((m): MemberDecision => (m === abort || m.status === "watching" ? m : { ...m, decision: { action: "abort", reason } }));
  }
  const ready = (d: Decision) => d.action === "advance" || d.action === "complete";
  const live = members.filter((m) => (LIVE_STATUSES as readonly string[]).includes(m.status));
  const allReady = live.length > 0 && live.every((m) => ready(m.decision));
  const allComplete = allReady && live.every((m) => m.decision.action === "complete");
  return members.map((m): MemberDecision => {
    const d = m.decision;
    if (!ready(d) || allComplete || (allReady && d.action === "advance")) return m;
    const others = live.filter((o) => o !== m && !(allReady ? o.decision.action === "complete" : ready(o.decision)));
    const reason = allReady
      ? `Ready to complete; waiting for ${others.map((o) => o.label).join(", ")} to reach the end of ${others.length === 1 ? "its" : "their"} rollout (the release completes together).`
      : `Ready to move on; waiting for ${others.map((o) => o.label).join(", ")} (the release moves together). ${d.reason}`;
    return { ...m, decision: { action: "hold", reason } };
  });
}
