import "server-only";
import { badRequest, conflict, notFound } from "@/lib/api/errors";
import { recordAuditEvent } from "@/lib/audit/record";
import { db, transaction, type Tx } from "@/lib/db";
import { toPage, pageArgs, type Page } from "@/lib/pagination";
import { requirePermission } from "./require";
import type { Actor, Role } from "./permissions";
import { issueInvitation, type IssuedInvitation } from "./invitations";
import { hashPassword } from "./secrets";
import {
  ZCreateUserInput,
  ZEmail,
  ZResetPasswordInput,
  ZReason,
  ZRoleGrantInput,
  ZSetUserActiveInput,
  type TCreateUserInput,
  type TResetPasswordInput,
  type TRoleGrantInput,
  type TSetUserActiveInput,
} from "./schemas";

export type GrantView = { id: string; role: Role; team: { id: string; slug: string } | null; source: string };
export type UserView = {
  id: string;
  email: string;
  name: string;
  active: boolean;
  /** Invited and not yet signed up: no password and no single sign-on. */
  invited: boolean;
  sso: boolean;
  lastSignInAt: string | null;
  createdAt: string;
  grants: GrantView[];
};

const userInclude = { grants: { include: { team: true }, orderBy: { createdAt: "asc" as const } } };
type UserRow = NonNullable<Awaited<ReturnType<typeof db.user.findFirst<{ include: typeof userInclude }>>>>;

function toView(u: UserRow): UserView {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    active: u.active,
    invited: u.passwordHash === null && u.oidcSubject === null,
    sso: u.oidcSubject !== null,
    lastSignInAt: u.lastSignInAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
    grants: u.grants.map((g) => ({ id: g.id, role: g.role as Role, team: g.team && { id: g.team.id, slug: g.team.slug }, source: g.source })),
  };
}

const grantLabel = (g: { role: string; team: { slug: string } | null }) => (g.team ? `${g.role}@${g.team.slug}` : g.role);

export async function listUsers(opts: { actor: Actor | null; q?: string; cursor?: string; limit: number }): Promise<Page<UserView>> {
  requirePermission(opts.actor, "users.manage");
  const q = opts.q?.trim();
  const rows = await db.user.findMany({
    where: q ? { OR: [{ email: { contains: q, mode: "insensitive" } }, { name: { contains: q, mode: "insensitive" } }] } : {},
    orderBy: { email: "asc" },
    include: userInclude,
    ...pageArgs("email", opts.cursor, opts.limit),
  });
  return toPage(rows.map(toView), opts.limit, (u) => u.email);
}

export async function getUserByEmail(opts: { actor: Actor | null; email: string }): Promise<UserView> {
  requirePermission(opts.actor, "users.manage");
  const email = ZEmail.parse(opts.email);
  const user = await db.user.findUnique({ where: { email }, include: userInclude });
  if (!user) throw notFound(`No user with email ${email}`);
  return toView(user);
}

export async function getUser(opts: { actor: Actor | null; id: string }): Promise<UserView> {
  requirePermission(opts.actor, "users.manage");
  const user = await db.user.findUnique({ where: { id: opts.id }, include: userInclude });
  if (!user) throw notFound(`No user with id "${opts.id}"`);
  return toView(user);
}

async function teamIdFor(tx: Tx, slug: string | null | undefined, path: string): Promise<string | null> {
  if (!slug) return null;
  const team = await tx.team.findUnique({ where: { slug } });
  if (!team) throw badRequest(`No team "${slug}"`, [{ path, message: `No team "${slug}"` }]);
  return team.id;
}

/** Creates a user with a password, or without one and with an invitation link for them to set their own. */
export async function createUser(opts: { actor: Actor | null; input: TCreateUserInput }): Promise<UserView & { invitation: IssuedInvitation | null }> {
  const actor = requirePermission(opts.actor, "users.manage");
  const input = ZCreateUserInput.parse(opts.input);
  if (input.roles.length) requirePermission(actor, "roles.manage");
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email: input.email } })) {
      throw conflict(`A user with email ${input.email} already exists`, [{ path: "email", message: "Already taken" }]);
    }
    const grants = [];
    for (const [i, r] of input.roles.entries()) grants.push({ role: r.role, teamId: await teamIdFor(tx, r.team, `roles.${i}.team`) });
    const user = await tx.user.create({
      data: { email: input.email, name: input.name, passwordHash, grants: { create: grants } },
      include: userInclude,
    });
    const view = toView(user);
    const invitation = passwordHash ? null : await issueInvitation(tx, user.id);
    await recordAuditEvent(tx, {
      actor,
      action: "user.create",
      target: { type: "user", id: user.id },
      after: { email: view.email, name: view.name, active: true, roles: view.grants.map(grantLabel), invited: invitation !== null },
      reason: input.reason,
    });
    return { ...view, invitation };
  });
}

async function loadForChange(tx: Tx, id: string): Promise<UserRow> {
  const user = await tx.user.findUnique({ where: { id }, include: userInclude });
  if (!user) throw notFound(`No user with id "${id}"`);
  return user;
}

/**
 * Deactivating ends the user's sessions at once and revokes their user-bound tokens (reactivation does not bring
 * those back); reactivating lets them sign in again.
 */
export async function setUserActive(opts: { actor: Actor | null; id: string; input: TSetUserActiveInput }): Promise<UserView> {
  const actor = requirePermission(opts.actor, "users.manage");
  const input = ZSetUserActiveInput.parse(opts.input);
  if (!input.active && actor.kind === "user" && actor.userId === opts.id) {
    throw badRequest("You cannot deactivate yourself; ask another admin", [{ path: "active", message: "Cannot deactivate yourself" }]);
  }
  return transaction(async (tx) => {
    const before = await loadForChange(tx, opts.id);
    if (before.active === input.active) return toView(before);
    const user = await tx.user.update({
      where: { id: opts.id },
      data: { active: input.active, sessionVersion: { increment: 1 } },
      include: userInclude,
    });
    const revoked = input.active ? { count: 0 } : await tx.apiToken.updateMany({ where: { userId: opts.id, revokedAt: null }, data: { revokedAt: new Date() } });
    await recordAuditEvent(tx, {
      actor,
      action: input.active ? "user.reactivate" : "user.deactivate",
      target: { type: "user", id: user.id },
      before: { active: before.active },
      after: { active: user.active, ...(input.active ? {} : { tokensRevoked: revoked.count }) },
      reason: input.reason,
    });
    return toView(user);
  });
}

/** Sets a new password chosen by an admin and signs the user out everywhere. */
export async function resetPassword(opts: { actor: Actor | null; id: string; input: TResetPasswordInput }): Promise<UserView> {
  const actor = requirePermission(opts.actor, "users.manage");
  const input = ZResetPasswordInput.parse(opts.input);
  const passwordHash = await hashPassword(input.password);
  return transaction(async (tx) => {
    await loadForChange(tx, opts.id);
    const user = await tx.user.update({
      where: { id: opts.id },
      data: { passwordHash, sessionVersion: { increment: 1 } },
      include: userInclude,
    });
    // A password set by an admin supersedes any invitation link still open.
    await tx.invitation.updateMany({ where: { userId: opts.id, closedAt: null }, data: { closedAt: new Date() } });
    await recordAuditEvent(tx, {
      actor,
      action: "user.reset-password",
      target: { type: "user", id: user.id },
      reason: input.reason,
    });
    return toView(user);
  });
}

export async function grantRole(opts: { actor: Actor | null; id: string; input: TRoleGrantInput }): Promise<UserView> {
  const actor = requirePermission(opts.actor, "roles.manage");
  const input = ZRoleGrantInput.parse(opts.input);
  return transaction(async (tx) => {
    // Concurrent grants to one user queue here, so the duplicate check below cannot be raced.
    await tx.$executeRaw`SELECT 1 FROM users WHERE id = ${opts.id} FOR UPDATE`;
    const before = await loadForChange(tx, opts.id);
    const teamId = await teamIdFor(tx, input.team, "team");
    if (before.grants.some((g) => g.role === input.role && g.teamId === teamId)) {
      throw conflict(`${before.email} already holds ${grantLabel({ role: input.role, team: input.team ? { slug: input.team } : null })}`);
    }
    await tx.roleGrant.create({ data: { userId: opts.id, role: input.role, teamId } });
    const user = await loadForChange(tx, opts.id);
    await recordAuditEvent(tx, {
      actor,
      action: "role.grant",
      target: { type: "user", id: user.id, teamId },
      before: { roles: before.grants.map(grantLabel) },
      after: { roles: user.grants.map(grantLabel) },
      reason: input.reason,
    });
    return toView(user);
  });
}

export async function revokeRole(opts: { actor: Actor | null; id: string; grantId: string; reason?: string }): Promise<UserView> {
  const actor = requirePermission(opts.actor, "roles.manage");
  const reason = ZReason.parse(opts.reason);
  return transaction(async (tx) => {
    const before = await loadForChange(tx, opts.id);
    const grant = before.grants.find((g) => g.id === opts.grantId);
    if (!grant) throw notFound(`${before.email} has no role grant "${opts.grantId}"`);
    if (grant.role === "admin" && grant.teamId === null && actor.kind === "user" && actor.userId === opts.id) {
      throw badRequest("You cannot revoke your own admin role; ask another admin");
    }
    await tx.roleGrant.delete({ where: { id: grant.id } });
    const user = await loadForChange(tx, opts.id);
    await recordAuditEvent(tx, {
      actor,
      action: "role.revoke",
      target: { type: "user", id: user.id, teamId: grant.teamId },
      before: { roles: before.grants.map(grantLabel) },
      after: { roles: user.grants.map(grantLabel) },
      reason,
    });
    return toView(user);
  });
}
