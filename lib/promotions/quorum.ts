import type { Approvals } from "@/lib/policy/schema";

/**
 * Whose approvals a request needs and whether it has them. Pure: the request's decisions, the policy's quorum and
 * the time in; which decisions count, which are stale or expired, and what is still missing out.
 */
export type Requirement = { role: string; count: number };
export type DecisionKind = "approve" | "reject" | "request-changes";
export type DecisionInput = {
  id: string;
  userId: string;
  userLabel: string;
  decision: DecisionKind;
  /** The roles the policy asked for that the person held when deciding. */
  roles: readonly string[];
  evidenceHash: string;
  round: number;
  createdAt: Date | string;
};
export type DecisionState =
  /** Fills a place in the quorum. */
  | "counted"
  /** Valid, but every place this person's roles could fill is taken (or the person already counts once). */
  | "not-needed"
  /** Given on evidence that has since changed: must be given again. */
  | "stale"
  /** Older than the policy's time-to-live. */
  | "expired"
  /** From before the request was sent back for changes. */
  | "earlier-round"
  /** The same person decided again later. */
  | "replaced"
  /** A rejection or a request for changes: recorded, never counted. */
  | "not-an-approval";

export type QuorumInput = {
  requirements: readonly Requirement[];
  decisions: readonly DecisionInput[];
  round: number;
  evidenceHash: string;
  now: Date;
  ttlMs: number;
  /** While a rollout runs, approvals do not expire. */
  expiryPaused: boolean;
};
export type Slot = { role: string; count: number; filledBy: { userId: string; userLabel: string }[] };
export type QuorumResult = {
  met: boolean;
  slots: Slot[];
  missing: Requirement[];
  decisions: { id: string; state: DecisionState; countedAs: string | null }[];
};

/** Emergency requests need an ML Lead and an admin instead of the policy's quorum (and a compliance review after). */
export const EMERGENCY_QUORUM: readonly Requirement[] = [
  { role: "ml-lead", count: 1 },
  { role: "admin", count: 1 },
];

/** The policy's quorum for a model of `riskTier`, entries of one role added together. */
export function requirementsFor(approvals: Pick<Approvals, "quorum">, riskTier: string, emergency = false): Requirement[] {
  if (emergency) return EMERGENCY_QUORUM.map((r) => ({ ...r }));
  const out: Requirement[] = [];
  for (const entry of approvals.quorum) {
    if (entry.when?.riskTier && entry.when.riskTier !== riskTier) continue;
    const same = out.find((r) => r.role === entry.role);
    if (same) same.count += entry.count;
    else out.push({ role: entry.role, count: entry.count });
  }
  return out;
}

export function signatureRequired(setting: Approvals["electronicSignature"], riskTier: string): boolean {
  return setting === "always" || (setting === "regulated" && riskTier === "regulated");
}

const time = (d: Date | string) => (d instanceof Date ? d.getTime() : Date.parse(d));

export function evaluateQuorum(input: QuorumInput): QuorumResult {
  const states = new Map<string, DecisionState>();
  const latest = new Map<string, DecisionInput>();
  const ordered = [...input.decisions].sort((a, b) => time(a.createdAt) - time(b.createdAt));
  for (const d of ordered) {
    if (d.round !== input.round) {
      states.set(d.id, "earlier-round");
      continue;
    }
    const previous = latest.get(d.userId);
    if (previous) states.set(previous.id, "replaced");
    latest.set(d.userId, d);
  }
  const candidates: DecisionInput[] = [];
  for (const d of latest.values()) {
    if (d.decision !== "approve") states.set(d.id, "not-an-approval");
    else if (d.evidenceHash !== input.evidenceHash) states.set(d.id, "stale");
    else if (!input.expiryPaused && time(d.createdAt) + input.ttlMs <= input.now.getTime()) states.set(d.id, "expired");
    else candidates.push(d);
  }

  // One place per approval asked for; each person fills at most one (bipartite matching, Kuhn's algorithm), so a
  // person holding two asked roles is never counted twice, and is placed where no one else could stand in.
  const placeOf = input.requirements.flatMap((r, slot) => Array.from({ length: r.count }, () => slot));
  const places = placeOf.map((slot) => input.requirements[slot].role);
  const holder: (number | null)[] = places.map(() => null);
  const tryPlace = (c: number, seen: boolean[]): boolean => {
    for (let p = 0; p < places.length; p++) {
      if (seen[p] || !candidates[c].roles.includes(places[p])) continue;
      seen[p] = true;
      if (holder[p] === null || tryPlace(holder[p]!, seen)) {
        holder[p] = c;
        return true;
      }
    }
    return false;
  };
  candidates.forEach((_, c) => tryPlace(c, places.map(() => false)));

  const countedAs = new Map<string, string>();
  holder.forEach((c, p) => {
    if (c !== null) countedAs.set(candidates[c].id, places[p]);
  });
  for (const c of candidates) states.set(c.id, countedAs.has(c.id) ? "counted" : "not-needed");

  const slots: Slot[] = input.requirements.map((r, slot) => ({
    role: r.role,
    count: r.count,
    // By place, not by role: a role asked for in two requirements must not show one person in both.
    filledBy: holder.flatMap((c, p) => (c !== null && placeOf[p] === slot ? [{ userId: candidates[c].userId, userLabel: candidates[c].userLabel }] : [])),
  }));
  const missing = slots.filter((s) => s.filledBy.length < s.count).map((s) => ({ role: s.role, count: s.count - s.filledBy.length }));
  return {
    met: missing.length === 0,
    slots,
    missing,
    decisions: input.decisions.map((d) => ({ id: d.id, state: states.get(d.id)!, countedAs: countedAs.get(d.id) ?? null })),
  };
}
