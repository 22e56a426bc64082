/**
 * When a password sign-in may be tried: pure functions of the recorded failures and the time, so the policy is
 * table-tested and the database code (sign-in-limiter.ts) only stores what these return.
 *
 * Per account (the lower-cased email, whether or not such a user exists, so the answer never tells): the first 5
 * failures of a streak are free; after that each attempt waits an exponential backoff counted from the last
 * failure (30 s, 1 min, 2 min, 4 min, 8 min, then 15 min for every further one). A streak ends 15 minutes after
 * its last lockout (or failure) has run out, and when the right password gets in. The first 5 keep a person who
 * mistypes from ever noticing; at the 15-minute cap a guesser gets about 4 tries an hour.
 *
 * Per client IP (an IPv6 client's /64): at most 30 failures in a 15-minute window, whatever the accounts; the 30th
 * locks the address for 15 minutes. That stops one machine spraying passwords over many accounts, and is loose
 * enough for an office behind one NAT address. A success does not clear it (or a guesser with one account of
 * their own could reset it at will).
 */
export type Throttle = { failures: number; firstFailureAt: Date; lastFailureAt: Date };
export type ThrottleKind = "account" | "ip";

const MINUTE = 60_000;
export const SIGN_IN_POLICY = {
  accountFreeFailures: 5,
  accountFirstBackoffMs: 30_000,
  accountMaxBackoffMs: 15 * MINUTE,
  accountQuietMs: 15 * MINUTE,
  ipMaxFailures: 30,
  ipWindowMs: 15 * MINUTE,
  ipLockMs: 15 * MINUTE,
} as const;
const P = SIGN_IN_POLICY;

/** No row older than this (by its last failure) can matter any more: safe to delete. */
export const FORGET_AFTER_MS = Math.max(P.accountMaxBackoffMs + P.accountQuietMs, P.ipWindowMs, P.ipLockMs);

/** How long an account waits after its `failures`-th consecutive failure (0 while the free ones last). */
export function accountBackoffMs(failures: number): number {
  if (failures < P.accountFreeFailures) return 0;
  // 2 ** 40 is already far past the cap; the exponent is bounded so the number stays finite.
  return Math.min(P.accountFirstBackoffMs * 2 ** Math.min(failures - P.accountFreeFailures, 40), P.accountMaxBackoffMs);
}

/** The streak as it stands at `now`, or null once it is over (no row, or forgotten). */
function live(kind: ThrottleKind, t: Throttle | null, now: Date): Throttle | null {
  if (!t) return null;
  const at = now.getTime();
  const last = t.lastFailureAt.getTime();
  if (kind === "account") return at < last + accountBackoffMs(t.failures) + P.accountQuietMs ? t : null;
  if (t.failures >= P.ipMaxFailures) return at < last + P.ipLockMs ? t : null;
  return at < t.firstFailureAt.getTime() + P.ipWindowMs ? t : null;
}

/** When this account or address may try again, or null if it may now. */
export function retryAt(kind: ThrottleKind, t: Throttle | null, now: Date): Date | null {
  const current = live(kind, t, now);
  const wait = !current ? 0 : kind === "account" ? accountBackoffMs(current.failures) : current.failures >= P.ipMaxFailures ? P.ipLockMs : 0;
  // No wait means none even if the last failure looks later than now (another instance's clock running ahead).
  if (!current || wait === 0) return null;
  const until = current.lastFailureAt.getTime() + wait;
  return now.getTime() < until ? new Date(until) : null;
}

/** The row after one more failure at `now`: the streak (or window) goes on, or a new one starts. */
export function afterFailure(kind: ThrottleKind, t: Throttle | null, now: Date): Throttle {
  const current = live(kind, t, now);
  return current ? { failures: current.failures + 1, firstFailureAt: current.firstFailureAt, lastFailureAt: now } : { failures: 1, firstFailureAt: now, lastFailureAt: now };
}

/**
 * An attempt is counted as a failure before the password is checked (so parallel guesses cannot all slip through
 * one free slot); when it turns out right, the address's count takes it back. Null when nothing is left to keep.
 */
export function withoutAttempt(t: Throttle | null, reserved: Throttle): Throttle | null {
  // Only the window the attempt was counted in; a newer window never held it.
  if (!t || t.firstFailureAt.getTime() !== reserved.firstFailureAt.getTime()) return t;
  return t.failures <= 1 ? null : { ...t, failures: t.failures - 1 };
}

export type SignInDecision = { allowed: true } | { allowed: false; retryAt: Date };

/** Whether an attempt may go ahead: both the account and the address must allow it; the later wait wins. */
export function decideSignIn(o: { account: Throttle | null; ip: Throttle | null; now: Date }): SignInDecision {
  const waits = [retryAt("account", o.account, o.now), retryAt("ip", o.ip, o.now)].filter((d): d is Date => d !== null);
  if (waits.length === 0) return { allowed: true };
  return { allowed: false, retryAt: new Date(Math.max(...waits.map((d) => d.getTime()))) };
}

/** True when this failure is the one that starts an account's first lockout of the streak (worth an audit event). */
export function startsLockout(t: Throttle): boolean {
  return t.failures === P.accountFreeFailures;
}
