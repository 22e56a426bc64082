import { z } from "zod";
import { badRequest } from "@/lib/api/errors";

/** The query every keyset-paginated list takes. */
export const ZPageQuery = z.object({ cursor: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });

/**
 * Keyset pagination shared by API lists and screens: a list is ordered by a unique key, the cursor is that key
 * of the last row shown (opaque to clients), and one extra row is read to know whether another page exists.
 */
export type Page<T> = { items: T[]; nextCursor: string | null };

export function encodeCursor(key: string): string {
  return Buffer.from(JSON.stringify({ k: key }), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string | undefined | null): string | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { k?: unknown };
    if (typeof parsed.k === "string") return parsed.k;
  } catch {
    // fall through to the error below
  }
  throw badRequest("The cursor is not one this list handed out", [{ path: "cursor", message: "Invalid cursor" }]);
}

/** Arguments for Prisma's findMany: the page after `cursor` by the unique field `field`. */
export function pageArgs<F extends string>(field: F, cursor: string | undefined, limit: number) {
  const key = decodeCursor(cursor);
  return {
    take: limit + 1,
    ...(key === undefined ? {} : { cursor: { [field]: key } as Record<F, string>, skip: 1 }),
  };
}

export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? encodeCursor(keyOf(items[items.length - 1])) : null };
}
