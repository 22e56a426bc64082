/**
 * How a lockout travels from the credentials check to the sign-in form: next-auth passes the message of an error
 * thrown in `authorize` on as its `error` code, so the code carries the wait in seconds. Client-safe (no I/O).
 */
import { waitInWords } from "./words";

const PREFIX = "SignInLocked:";

export function lockedErrorCode(retryAfterSeconds: number): string {
  return `${PREFIX}${Math.max(1, Math.ceil(retryAfterSeconds))}`;
}

/**
 * The form's message for a lockout code, or null for any other error. The same words whether the account, the
 * address or both are locked, and whether or not the account exists.
 */
export function lockoutMessage(code: string | null | undefined): string | null {
  const m = code ? /^SignInLocked:(\d{1,6})$/.exec(code) : null;
  if (!m) return null;
  return `Too many failed sign-in attempts. Try again in ${waitInWords(Number(m[1]))}.`;
}
