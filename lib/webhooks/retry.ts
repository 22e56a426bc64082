/**
 * The webhook retry policy, pure so it is tested as tables: which outcomes are tried again, and when.
 *
 * Network errors, 429 and 5xx are the receiver's temporary trouble and are retried; any other answer (4xx, a
 * redirect, which is never followed) will not change by asking again, and neither will an address Gatehouse
 * refuses to call. The wait doubles from 30 s to at most 1 h, with "equal jitter" (uniform in the upper half of
 * that), so deliveries queued while a receiver was down do not all come back at the same second, yet the wait
 * still grows. A Retry-After the receiver sends is honoured, up to the same hour.
 */
export const WEBHOOK_MAX_ATTEMPTS = 10;
export const WEBHOOK_BASE_DELAY_MS = 30_000;
export const WEBHOOK_MAX_DELAY_MS = 60 * 60_000;

/** The longest wait after the `failures`-th failed attempt: 30 s, 1 min, 2 min, … at most 1 h. */
export function backoffCeilingMs(failures: number): number {
  if (failures < 1) return 0;
  return Math.min(WEBHOOK_BASE_DELAY_MS * 2 ** (failures - 1), WEBHOOK_MAX_DELAY_MS);
}

/** The wait after the `failures`-th failure: between half the ceiling and the ceiling. `random` is in [0, 1). */
export function retryDelayMs(failures: number, random: () => number = Math.random): number {
  const ceiling = backoffCeilingMs(failures);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling / 2 + (ceiling / 2) * r);
}

/** A Retry-After header (delta seconds or an HTTP date) as milliseconds from `now`; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d{1,9}$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

export type AttemptResult =
  | { kind: "response"; status: number; retryAfter?: string | null; body?: string }
  | { kind: "network"; message: string }
  /** Gatehouse would not send it: a refused address, a disabled endpoint, an unreadable secret. */
  | { kind: "refused"; message: string };

export function isRetryable(result: AttemptResult): boolean {
  if (result.kind === "network") return true;
  if (result.kind === "refused") return false;
  return result.status === 429 || result.status >= 500;
}

export function isSuccess(result: AttemptResult): boolean {
  return result.kind === "response" && result.status >= 200 && result.status < 300;
}

export type AttemptOutcome = {
  status: "delivered" | "pending" | "failed";
  attempts: number;
  /** When to try again (pending only). */
  nextAttemptAt: Date | null;
};

/** Where a delivery stands after an attempt that came to `result`. */
export function afterAttempt(o: { previousAttempts: number; result: AttemptResult; now: Date; random?: () => number; maxAttempts?: number }): AttemptOutcome {
  const attempts = o.previousAttempts + 1;
  if (isSuccess(o.result)) return { status: "delivered", attempts, nextAttemptAt: null };
  if (!isRetryable(o.result) || attempts >= (o.maxAttempts ?? WEBHOOK_MAX_ATTEMPTS)) return { status: "failed", attempts, nextAttemptAt: null };
  let delay = retryDelayMs(attempts, o.random);
  const asked = o.result.kind === "response" ? parseRetryAfter(o.result.retryAfter, o.now) : null;
  if (asked !== null) delay = Math.min(Math.max(delay, asked), WEBHOOK_MAX_DELAY_MS);
  return { status: "pending", attempts, nextAttemptAt: new Date(o.now.getTime() + delay) };
}

const MAX_SNIPPET = 200;

/** One line for the delivery log: what the receiver answered, or what went wrong. */
export function describeResult(result: AttemptResult): string | null {
  if (isSuccess(result)) return null;
  if (result.kind !== "response") return result.message;
  const snippet = (result.body ?? "").replace(/\s+/g, " ").trim().slice(0, MAX_SNIPPET);
  const redirect = result.status >= 300 && result.status < 400 ? " (redirects are not followed)" : "";
  return `HTTP ${result.status}${redirect}${snippet ? `: ${snippet}` : ""}`;
}
