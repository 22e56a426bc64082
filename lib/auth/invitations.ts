import "server-only";
import { randomBytes } from "node:crypto";
import { badRequest, notFound } from "@/lib/api/errors";
import { recordAuditEvent } from "@/lib/audit/record";
import { db, transaction, type Tx } from "@/lib/db";
import { INVITATION_PROBLEMS, INVITATION_TTL_MS, invitationState } from "./invitation-state";
import type { Actor } from "./permissions";
import { requirePermission } from "./require";
import { ZAcceptInvitationInput, type TAcceptInvitationInput } from "./schemas";
import { hashPassword, hashToken } from "./secrets";

export type IssuedInvitation = { token: string; path: string; expiresAt: string };

/** Opens a new invitation for the user, closing any earlier open one: only the newest link works. */
export async function issueInvitation(tx: Tx, userId: string, now = new Date()): Promise<IssuedInvitation> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  await tx.invitation.updateMany({ where: { userId, closedAt: null }, data: { closedAt: now } });
  await tx.invitation.create({ data: { userId, tokenHash: hashToken(token), expiresAt } });
  return { token, path: `/invite/${token}`, expiresAt: expiresAt.toISOString() };
}

/** A new invitation link for a user who has not set a password yet (the old link stops working). */
export async function reissueInvitation(opts: { actor: Actor | null; id: string; reason?: string }): Promise<IssuedInvitation> {
  const actor = requirePermission(opts.actor, "users.manage");
  return transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: opts.id } });
    if (!user) throw notFound(`No user with id "${opts.id}"`);
    if (user.passwordHash || user.oidcSubject) throw badRequest(`${user.email} has already set up their sign-in; reset their password instead`);
    if (!user.active) throw badRequest(`${user.email} is deactivated; reactivate them first`);
    const invitation = await issueInvitation(tx, user.id);
    await recordAuditEvent(tx, { actor, action: "user.invite", target: { type: "user", id: user.id }, after: { expiresAt: invitation.expiresAt }, reason: opts.reason });
    return invitation;
  });
}

async function findInvitation(client: Tx, token: string) {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  return client.invitation.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
}

/** What the invitation page shows: who is invited, or why the link cannot be used. */
export async function describeInvitation(token: string, now = new Date()) {
  const inv = await findInvitation(db, token);
  const state = invitationState(inv, now);
  if (state !== "open" || !inv || !inv.user.active) return { ok: false as const, message: INVITATION_PROBLEMS[state === "open" ? "closed" : state] };
  return { ok: true as const, email: inv.user.email, name: inv.user.name, expiresAt: inv.expiresAt.toISOString() };
}

/** The invited user sets their password; the link is used up. */
export async function acceptInvitation(opts: { token: string; input: TAcceptInvitationInput; now?: Date }): Promise<{ email: string }> {
  const input = ZAcceptInvitationInput.parse(opts.input);
  const now = opts.now ?? new Date();
  // Check the link before spending a bcrypt hash on it: this endpoint is public.
  const first = await describeInvitation(opts.token, now);
  if (!first.ok) throw badRequest(first.message);
  const passwordHash = await hashPassword(input.password);
  return transaction(async (tx) => {
    const inv = await findInvitation(tx, opts.token);
    const state = invitationState(inv, now);
    if (state !== "open" || !inv || !inv.user.active) throw badRequest(INVITATION_PROBLEMS[state === "open" ? "closed" : state]);
    // Closing only if still open makes a double submission of the same link fail instead of setting the password twice.
    const closed = await tx.invitation.updateMany({ where: { id: inv.id, closedAt: null }, data: { closedAt: now } });
    if (closed.count !== 1) throw badRequest(INVITATION_PROBLEMS.closed);
    await tx.user.update({ where: { id: inv.userId }, data: { passwordHash, sessionVersion: { increment: 1 } } });
    await recordAuditEvent(tx, {
      actor: { kind: "user", userId: inv.user.id, label: inv.user.email, name: inv.user.name, grants: [] },
      action: "user.accept-invitation",
      target: { type: "user", id: inv.user.id },
    });
    return { email: inv.user.email };
  });
}
