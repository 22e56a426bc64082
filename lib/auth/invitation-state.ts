/** How long an invitation link stays usable. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export type InvitationState = "open" | "expired" | "closed" | "unknown";

/** Whether an invitation link can still be used at `now`. Pure: the time is an argument. */
export function invitationState(inv: { expiresAt: Date; closedAt: Date | null } | null, now: Date): InvitationState {
  if (!inv) return "unknown";
  if (inv.closedAt) return "closed";
  return inv.expiresAt.getTime() > now.getTime() ? "open" : "expired";
}

export const INVITATION_PROBLEMS: Record<Exclude<InvitationState, "open">, string> = {
  unknown: "This invitation link is not valid. Check that you copied all of it, or ask an admin for a new one.",
  expired: "This invitation link has expired. Ask a Gatehouse admin for a new one.",
  closed: "This invitation link has already been used or replaced by a newer one. Sign in, or ask an admin for a new link.",
};
