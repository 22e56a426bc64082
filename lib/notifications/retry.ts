/**
 * When an outbox message is tried again, and what is kept of a failure. Pure, so the schedule is tested as a table.
 */
export const MAX_ATTEMPTS = 8;
export const BASE_DELAY_MS = 30_000;
export const MAX_DELAY_MS = 60 * 60_000;

/** The wait after the `failures`-th failed attempt: 30 s, 1 min, 2 min, … doubling, at most 1 h. */
export function retryDelayMs(failures: number): number {
  if (failures < 1) return 0;
  return Math.min(BASE_DELAY_MS * 2 ** (failures - 1), MAX_DELAY_MS);
}

export type FailureOutcome = { attempts: number; nextAttemptAt: Date; failedAt: Date | null };

/** After a failed attempt: try again later, or give up once MAX_ATTEMPTS attempts have failed. */
export function afterFailure(previousAttempts: number, now: Date): FailureOutcome {
  const attempts = previousAttempts + 1;
  if (attempts >= MAX_ATTEMPTS) return { attempts, nextAttemptAt: now, failedAt: now };
  return { attempts, nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)), failedAt: null };
}

const MAX_ERROR_CHARS = 300;

/**
 * A failure as one short line for `last_error`: what went wrong and the receiver's own answer, never a
 * credential. `secrets` are the configured values that must not appear (the SMTP URL, its password, the webhook).
 */
export function shortError(err: unknown, secrets: readonly (string | null | undefined)[] = []): string {
  const e = (typeof err === "object" && err !== null ? err : { message: String(err) }) as { message?: unknown; code?: unknown; responseCode?: unknown; response?: unknown };
  const parts = [typeof e.code === "string" ? e.code : null, typeof e.message === "string" ? e.message : String(err)];
  // SMTP servers explain refusals in their reply ("550 5.1.1 mailbox unavailable"); keep it when the message does not.
  if (typeof e.response === "string" && !parts[1]?.includes(e.response)) parts.push(e.response);
  let text = parts.filter(Boolean).join(": ");
  for (const secret of secrets) {
    if (secret && secret.length >= 4) text = text.split(secret).join("[redacted]");
  }
  // Credentials in any URL, whatever produced the message.
  text = text.replace(/\/\/[^/\s@]+@/g, "//[redacted]@").replace(/\s+/g, " ").trim();
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS - 1)}…` : text || "Unknown error";
}
