/**
 * The life of a promotion request, as data. Every status change goes through `settle` or one of the explicit
 * transitions below, and each one is recorded as an audit event by the caller.
 */
export const STATUSES = [
  "blocked",
  "awaiting-approval",
  "changes-requested",
  "approved",
  "rolling-out",
  "applied",
  "rolled-back",
  "rejected",
  "cancelled",
  "expired",
  "superseded",
] as const;
export type Status = (typeof STATUSES)[number];

/** Waiting on gates, approvers or the requester: may still be decided, cancelled, superseded or expire. */
export const OPEN_STATUSES: readonly Status[] = ["blocked", "awaiting-approval", "changes-requested", "approved"];
/** Finished: nothing changes a request in these any more (an applied one can still be rolled back). */
export const CLOSED_STATUSES: readonly Status[] = ["applied", "rolled-back", "rejected", "cancelled", "expired", "superseded"];

export const STATUS_LABELS: Record<Status, string> = {
  blocked: "Blocked",
  "awaiting-approval": "Awaiting approval",
  "changes-requested": "Changes requested",
  approved: "Approved",
  "rolling-out": "Rolling out",
  applied: "Applied",
  "rolled-back": "Rolled back",
  rejected: "Rejected",
  cancelled: "Cancelled",
  expired: "Expired",
  superseded: "Superseded",
};

export const isOpen = (s: string): boolean => (OPEN_STATUSES as readonly string[]).includes(s);
export const isStatus = (s: string): s is Status => (STATUSES as readonly string[]).includes(s);

/** Which status may follow which. Anything else is a bug, and `assertTransition` says so. */
export const TRANSITIONS: Record<Status, readonly Status[]> = {
  blocked: ["awaiting-approval", "approved", "changes-requested", "rejected", "cancelled", "expired", "superseded"],
  "awaiting-approval": ["blocked", "approved", "changes-requested", "rejected", "cancelled", "expired", "superseded"],
  "changes-requested": ["blocked", "awaiting-approval", "approved", "cancelled", "expired", "superseded"],
  approved: ["applied", "rolling-out", "blocked", "awaiting-approval", "cancelled", "expired", "superseded"],
  // Until the rollout engine drives it: cancelled by its requester or an admin, or superseded by a newer request.
  "rolling-out": ["applied", "rolled-back", "cancelled", "superseded"],
  applied: ["rolled-back"],
  "rolled-back": [],
  rejected: [],
  cancelled: [],
  expired: [],
  superseded: [],
};

export function canTransition(from: Status, to: Status): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(from: Status, to: Status): void {
  if (!canTransition(from, to)) throw new Error(`A promotion request cannot go from ${from} to ${to}`);
}

export type SettleInput = {
  status: Status;
  /** Every gate passes or warns. */
  gatesPassed: boolean;
  /** A freeze window applies (already ignored by the caller for emergency requests). */
  frozen: boolean;
  quorumMet: boolean;
  strategy: string;
  /** A member of a coordinated release: it waits, approved, until the release applies every member together. */
  held?: boolean;
};

/**
 * Where an open request goes after its gates or approvals changed: the statuses it passes through, in order
 * (each one an audit event). Empty when nothing changes. Requests sent back for changes stay with their requester
 * until resubmitted; closed and rolling-out requests are never moved here.
 */
export function settle(input: SettleInput): Status[] {
  const { status } = input;
  if (!isOpen(status) || status === "changes-requested") return [];
  if (!input.gatesPassed || input.frozen) return status === "blocked" ? [] : ["blocked"];
  if (!input.quorumMet) return status === "awaiting-approval" ? [] : ["awaiting-approval"];
  if (input.held) return status === "approved" ? [] : ["approved"];
  const last: Status = input.strategy === "direct" ? "applied" : "rolling-out";
  return status === "approved" ? [last] : ["approved", last];
}
