import "server-only";
import { db, transaction, type Tx } from "@/lib/db";
import { ipLimitKey } from "./client-ip.mjs";
import { afterFailure, decideSignIn, FORGET_AFTER_MS, startsLockout, withoutAttempt, type Throttle, type ThrottleKind } from "./sign-in-policy";

/**
 * The sign-in limits' state in PostgreSQL (sign_in_throttles), so every instance sees the same counts and a restart
 * forgets nothing. The policy itself is sign-in-policy.ts.
 */

// The two-key advisory lock space (apart from the single-key locks elsewhere): one lock per account or address.
const LOCK_SPACE = 72_540_101;

type Keys = { account: string | null; ip: string | null };
type Reserved = { account: Throttle | null; ip: Throttle | null };

export type SignInAttempt =
  | { allowed: false; retryAt: Date }
  | { allowed: true; keys: Keys; reserved: Reserved; lockoutStarts: boolean };

async function lock(tx: Tx, kind: ThrottleKind, key: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK_SPACE}::int, hashtext(${`${kind}:${key}`}))`;
}

async function read(tx: Tx, kind: ThrottleKind, key: string | null): Promise<Throttle | null> {
  if (key === null) return null;
  await lock(tx, kind, key);
  return tx.signInThrottle.findUnique({ where: { kind_key: { kind, key } }, select: { failures: true, firstFailureAt: true, lastFailureAt: true } });
}

async function write(tx: Tx, kind: ThrottleKind, key: string, t: Throttle | null) {
  if (t === null) await tx.signInThrottle.deleteMany({ where: { kind, key } });
  else await tx.signInThrottle.upsert({ where: { kind_key: { kind, key } }, create: { kind, key, ...t }, update: t });
}

/**
 * Asks whether a password may be tried for `email` (lower-cased; null when it is not an email at all) from `ip` (no
 * per-address limit when unknown). When it may, the attempt is already counted as a failure: parallel guesses each
 * take a slot of their own. Call `signInSucceeded` in the sign-in's transaction when the password turns out right.
 */
export async function reserveSignInAttempt(o: { email: string | null; ip: string | null | undefined; now: Date }): Promise<SignInAttempt> {
  const keys: Keys = { account: o.email, ip: ipLimitKey(o.ip) };
  return transaction(
    async (tx) => {
      // Always the account before the address, so two attempts never wait on each other's second lock.
      const account = await read(tx, "account", keys.account);
      const ip = await read(tx, "ip", keys.ip);
      const decision = decideSignIn({ account, ip, now: o.now });
      if (!decision.allowed) return decision;
      const reserved: Reserved = {
        account: keys.account === null ? null : afterFailure("account", account, o.now),
        ip: keys.ip === null ? null : afterFailure("ip", ip, o.now),
      };
      if (keys.account !== null) await write(tx, "account", keys.account, reserved.account);
      if (keys.ip !== null) await write(tx, "ip", keys.ip, reserved.ip);
      return { allowed: true as const, keys, reserved, lockoutStarts: reserved.account !== null && startsLockout(reserved.account) };
    },
    // Throttle rows cannot change what the serving layer answers.
    { changesServing: () => false },
  );
}

/** The right password: the account's streak is over, and the address's count takes this attempt back. */
export async function signInSucceeded(tx: Tx, attempt: Extract<SignInAttempt, { allowed: true }>): Promise<void> {
  const { keys, reserved } = attempt;
  if (keys.account !== null) {
    await lock(tx, "account", keys.account);
    await write(tx, "account", keys.account, null);
  }
  if (keys.ip !== null && reserved.ip !== null) {
    const ip = await read(tx, "ip", keys.ip);
    await write(tx, "ip", keys.ip, withoutAttempt(ip, reserved.ip));
  }
}

/**
 * Deletes rows the policy no longer looks at (last failure FORGET_AFTER_MS ago), so failed attempts cannot fill the
 * table: it holds at most the accounts and addresses that failed in the last half hour. Run once a minute.
 */
export async function pruneSignInThrottles(o: { now?: Date } = {}): Promise<number> {
  const before = new Date((o.now ?? new Date()).getTime() - FORGET_AFTER_MS);
  const { count } = await db.signInThrottle.deleteMany({ where: { lastFailureAt: { lt: before } } });
  return count;
}
