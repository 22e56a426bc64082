import "server-only";
import { recordAuditEvent } from "@/lib/audit/record";
import { db, transaction } from "@/lib/db";
import { rolesFromGroups, type RoleMapping } from "./oidc-roles";
import type { Actor } from "./permissions";
import { ZEmail } from "./schemas";
import { checkPassword } from "./secrets";

type SignedIn = { id: string; email: string; name: string; sessionVersion: number };

/** Checks an email and password; records the sign-in. Null for a wrong pair or a deactivated user. */
export async function signInWithPassword(opts: { email: string; password: string }): Promise<SignedIn | null> {
  const parsed = ZEmail.safeParse(opts.email);
  if (!parsed.success || opts.password.length > 1_000) return null;
  const email = parsed.data;
  const user = await db.user.findUnique({ where: { email } });
  const ok = await checkPassword(opts.password, user?.passwordHash ?? null);
  if (!user || !ok || !user.active) return null;
  await transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
    await recordAuditEvent(tx, {
      actor: { kind: "user", userId: user.id, label: user.email, name: user.name, grants: [] },
      action: "user.sign-in",
      target: { type: "user", id: user.id },
      after: { method: "password" },
    });
  });
  return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
}

/**
 * Creates or updates the user behind an OIDC sign-in and mirrors the provider's groups onto roles through
 * OIDC_ROLE_MAP: grants with source "oidc" are replaced at every sign-in, grants made in Gatehouse are kept.
 *
 * A provider account is bound to one Gatehouse user by its subject. A Gatehouse user that exists already (created
 * or invited by an admin) is bound by email only when the provider says the email is verified and the user is
 * not bound to another subject: otherwise anyone able to claim an email at the provider could take the account.
 * Null (sign-in refused) for a deactivated user or a refused binding.
 */
export async function signInWithOidc(opts: {
  subject: string;
  email: string;
  emailVerified: boolean;
  name: string;
  groups: unknown;
  roleMap: readonly RoleMapping[];
}): Promise<SignedIn | null> {
  const parsed = ZEmail.safeParse(opts.email);
  if (!parsed.success) return null;
  const email = parsed.data;
  const wanted = rolesFromGroups(opts.groups, opts.roleMap);
  return transaction(async (tx) => {
    let existing = await tx.user.findUnique({ where: { oidcSubject: opts.subject } });
    if (!existing) {
      const byEmail = await tx.user.findUnique({ where: { email } });
      if (byEmail && (!opts.emailVerified || byEmail.oidcSubject !== null)) return null;
      existing = byEmail;
    }
    if (existing && !existing.active) return null;
    const user = existing
      ? await tx.user.update({ where: { id: existing.id }, data: { oidcSubject: opts.subject, lastSignInAt: new Date() } })
      : await tx.user.create({ data: { email, name: opts.name || email, oidcSubject: opts.subject, lastSignInAt: new Date() } });
    const teams = await tx.team.findMany({ where: { slug: { in: wanted.flatMap((w) => (w.teamSlug ? [w.teamSlug] : [])) } } });
    const teamId = new Map(teams.map((t) => [t.slug, t.id]));
    // A mapping to a team that does not exist (yet) grants nothing rather than a global role.
    const grants = wanted.flatMap((w): { role: string; teamId: string | null }[] => {
      if (w.teamSlug === null) return [{ role: w.role, teamId: null }];
      const id = teamId.get(w.teamSlug);
      return id ? [{ role: w.role, teamId: id }] : [];
    });
    const before = await tx.roleGrant.findMany({ where: { userId: user.id, source: "oidc" }, select: { role: true, teamId: true } });
    await tx.roleGrant.deleteMany({ where: { userId: user.id, source: "oidc" } });
    await tx.roleGrant.createMany({ data: grants.map((g) => ({ ...g, userId: user.id, source: "oidc" })) });
    await recordAuditEvent(tx, {
      actor: { kind: "user", userId: user.id, label: user.email, name: user.name, grants: [] },
      action: existing ? "user.sign-in" : "user.create",
      target: { type: "user", id: user.id },
      before: existing ? { oidcRoles: before } : null,
      after: { method: "oidc", oidcRoles: grants },
    });
    return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
  });
}

export async function findOidcUser(subject: string): Promise<SignedIn | null> {
  const user = await db.user.findUnique({ where: { oidcSubject: subject } });
  return user && user.active ? { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion } : null;
}

export async function signOutUser(actor: Actor): Promise<void> {
  if (actor.kind !== "user") return;
  await transaction((tx) => recordAuditEvent(tx, { actor, action: "user.sign-out", target: { type: "user", id: actor.userId } }));
}
