import { AppError, badRequest, conflict, notFound } from "./errors";

function codesOf(err: unknown): { codes: string[]; messages: string[] } {
  const codes: string[] = [];
  const messages: string[] = [];
  let e = err as { code?: unknown; message?: unknown; cause?: unknown; meta?: { code?: unknown } } | undefined;
  for (let depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    if (typeof e.code === "string") codes.push(e.code);
    if (typeof e.meta?.code === "string") codes.push(e.meta.code);
    const original = (e.cause as { originalCode?: unknown } | undefined)?.originalCode;
    if (typeof original === "string") codes.push(original);
    if (typeof e.message === "string") messages.push(e.message);
    e = e.cause as typeof e;
  }
  return { codes, messages };
}

/**
 * Database errors that are the caller's doing, as the 4xx they deserve: text PostgreSQL cannot store (NUL bytes,
 * lone surrogates), a unique key already taken by a concurrent request, a row removed meanwhile.
 * Null for anything else.
 */
export function fromDatabaseError(err: unknown): AppError | null {
  const { codes, messages } = codesOf(err);
  const text = messages.join(" ");
  if (codes.some((c) => c === "22021" || c === "22P05") || /invalid byte sequence|unsupported Unicode escape|hex escape/i.test(text)) {
    return badRequest("The input contains characters that cannot be stored (such as NUL bytes or broken Unicode)");
  }
  if (codes.includes("P2002") || codes.includes("23505")) return conflict("That already exists (another request created it at the same moment)");
  if (codes.includes("P2025")) return notFound("What you referred to no longer exists");
  return null;
}
