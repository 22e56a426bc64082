import { STORABLE_MESSAGE, storable } from "@/lib/text";

/** Where a problem is: a field path, and for documents such as policies the line and column too. */
export type ErrorDetail = { path: string; message: string; line?: number; column?: number };

/** An error a user can act on: it carries the HTTP status, a stable code and, for bad input, where it is. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const badRequest = (message: string, details?: { path: string; message: string }[]) =>
  new AppError(400, "invalid_input", message, details);
export const unauthorized = (message = "Sign in or send a valid API token (Authorization: Bearer <token>).") =>
  new AppError(401, "unauthenticated", message);
export const forbidden = (message: string) => new AppError(403, "forbidden", message);
export const notFound = (message: string, details?: { path: string; message: string }[]) => new AppError(404, "not_found", message, details);
export const conflict = (message: string, details?: { path: string; message: string }[]) =>
  new AppError(409, "conflict", message, details);
/** A well-formed request whose document says something invalid (a policy with errors): every problem listed. */
export const unprocessable = (message: string, details: ErrorDetail[]) => new AppError(422, "invalid_document", message, details);
export const unavailable = (message = "The database is unavailable; try again shortly.") =>
  new AppError(503, "unavailable", message);

/** Prisma and pg errors that mean "the database cannot be reached right now", as opposed to a bug. */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  const e = err as { code?: string; message?: string; cause?: unknown; meta?: { driverAdapterError?: unknown } } | null;
  if (!e || typeof e !== "object" || depth > 5) return false;
  // Connection failures, and PostgreSQL's SQLSTATE class 57 shutdowns (57P01 admin, 57P02 crash, 57P03 cannot connect now).
  const codes = ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "P1001", "P1002", "P1017", "57P01", "57P02", "57P03"];
  if (e.code && codes.includes(e.code)) return true;
  if (typeof e.message === "string" && UNAVAILABLE_MESSAGE.test(e.message)) return true;
  // Prisma wraps driver adapter errors (a raw query's P2010) with the driver's own error in meta.
  return [e.cause, e.meta?.driverAdapterError].some((inner) => inner !== undefined && inner !== err && isDatabaseUnavailable(inner, depth + 1));
}

const UNAVAILABLE_MESSAGE =
  /ECONNREFUSED|Connection terminated|connect ETIMEDOUT|database system is (starting|shutting) up|DatabaseNotReachable|timeout exceeded when trying to connect|terminating connection due to administrator command|Can't reach database server|server closed the connection unexpectedly|Code: `57P0[123]`|not queryable/i;

/**
 * Tells the server process the database seems gone (scripts/lib/database-watch.mjs): it checks, and while the
 * database stays unreachable answers 503 at once instead of letting every request time out. No-op under Vitest
 * or `next dev`, which run without that server.
 */
export function reportDatabaseUnavailable(): void {
  (globalThis as { [k: symbol]: { report?: () => void } | undefined })[Symbol.for("gatehouse.database")]?.report?.();
}

/**
 * Refuses, with its path, the first string or object key in a parsed body or query that PostgreSQL cannot store
 * (NUL bytes, lone UTF-16 surrogates): one rule for every field of every endpoint, before any schema sees the input,
 * so no field can forget it and reach the database. Returns the input. Iterative: bodies may nest thousands deep.
 */
export function refuseUnstorable<T>(input: T): T {
  type At = { key: string | number; parent: At | null } | null;
  const pathOf = (at: At) => {
    const keys: (string | number)[] = [];
    for (let a = at; a; a = a.parent) keys.unshift(a.key);
    return keys.map((k) => (k === "" ? '""' : String(k))).join(".") || "(body)";
  };
  const refuse = (at: At) => {
    const path = pathOf(at);
    return badRequest(`Invalid input: ${path}: ${STORABLE_MESSAGE}`, [{ path, message: STORABLE_MESSAGE }]);
  };
  const stack: [unknown, At][] = [[input, null]];
  while (stack.length) {
    const [value, at] = stack.pop()!;
    if (typeof value === "string") {
      if (!storable(value)) throw refuse(at);
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], { key: i, parent: at }]);
    } else if (value !== null && typeof value === "object") {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const here = { key: entries[i][0], parent: at };
        if (!storable(entries[i][0])) throw refuse(here);
        stack.push([entries[i][1], here]);
      }
    }
  }
  return input;
}
