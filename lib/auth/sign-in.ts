import "server-only";
import { recordAuditEvent } from "@/lib/audit/record";
import { db, transaction } from "@/lib/db";
import { reserveSignInAttempt, signInSucceeded } from "@/lib/ratelimit/sign-in-limiter";
import { accountBackoffMs, type Throttle } from "@/lib/ratelimit/sign-in-policy";
import { rolesFromGroups, type RoleMapping } from "./oidc-roles";
import type { Actor } from "./permissions";
import { ZEmail } from "./schemas";
import { checkPassword } from "./secrets";

type SignedIn = { id: string; email: string; name: string; sessionVersion: number };

export type PasswordSignIn = { ok: true; user: SignedIn } | { ok: false; retryAt?: Date };

// The sign-in limiter's lockout entries are written by no one in particular: the attempt is anonymous.
const limiter: Actor = { kind: "system", label: "sign-in limiter" };

/**
 * Checks an email and password under the sign-in limits (lib/ratelimit/sign-in-policy.ts) and records the sign-in.
 * Not ok for a wrong pair, an unknown email or a deactivated user alike, all counted as failures; with `retryAt`
 * when the account or the address `ip` must wait, in which case the password is not even checked.
 */
export async function signInWithPassword(opts: { email: string; password: string; ip?: string | null; now?: Date }): Promise<PasswordSignIn> {
  const now = opts.now ?? new Date();
  const parsed = ZEmail.safeParse(opts.email);
  if (opts.password.length > 1_000) return { ok: false };
  const email = parsed.success ? parsed.data : null;
  const attempt = await reserveSignInAttempt({ email, ip: opts.ip, now });
  if (!attempt.allowed) return { ok: false, retryAt: attempt.retryAt };
  const user = email === null ? null : await db.user.findUnique({ where: { email } });
  const ok = await checkPassword(opts.password, user?.passwordHash ?? null);
  if (!user || !ok || !user.active) {
    // Not awaited: the answer must take as long for an unknown email as for a real account.
    if (user && attempt.lockoutStarts) {
      const written = recordLockout(user, attempt.reserved.account!, opts.ip ?? null, now);
      lockoutsInFlight.add(written);
      void written.finally(() => lockoutsInFlight.delete(written));
    }
    return { ok: false };
  }
  await transaction(async (tx) => {
    await signInSucceeded(tx, attempt);
    await tx.user.update({ where: { id: user.id }, data: { lastSignInAt: now } });
    await recordAuditEvent(tx, {
      actor: { kind: "user", userId: user.id, label: user.email, name: user.name, grants: [] },
      action: "user.sign-in",
      target: { type: "user", id: user.id },
      after: { method: "password" },
    });
  });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion } };
}

const lockoutsInFlight = new Set<Promise<void>>();

/** Resolves once the lockout audit events already begun are written (tests wait for them). */
export async function lockoutAuditsWritten(): Promise<void> {
  await Promise.all([...lockoutsInFlight]);
}

/** An existing account's first lockout of a streak goes on the audit trail: someone may be guessing its password. */
async function recordLockout(user: { id: string; email: string }, streak: Throttle, ip: string | null, now: Date): Promise<void> {
  const until = new Date(now.getTime() + accountBackoffMs(streak.failures));
  try {
    await transaction(
      (tx) =>
        recordAuditEvent(tx, {
          actor: limiter,
          action: "user.sign-in-locked",
          target: { type: "user", id: user.id },
          after: { email: user.email, failures: streak.failures, lockedUntil: until.toISOString(), ip },
        }),
      { changesServing: () => false },
    );
  } catch (err) {
    console.error(`[gatehouse] could not audit the sign-in lockout of ${user.email}: ${err instanceof Error ? err.message : String(err)}`);
  }
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
