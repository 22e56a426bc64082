import { z } from "zod";

/** Text PostgreSQL can store: no NUL bytes, no lone UTF-16 surrogates. */
export const storable = (s: string) => !s.includes("\0") && s.isWellFormed();
export const STORABLE_MESSAGE = "Contains characters that cannot be stored (NUL bytes or broken Unicode)";

/** Optional free text up to `max` characters that PostgreSQL can store. */
export const optionalText = (max: number) => z.string().trim().max(max, `Use at most ${max} characters`).refine(storable, STORABLE_MESSAGE).optional();

/** The optional "why" recorded with a change (audit comments, alias history). */
export const ZReason = optionalText(2_000);

/** Required free text: the same message whether it was left out or left empty. */
export const requiredText = (message: string, max: number) =>
  z.string({ error: message }).trim().min(1, message).max(max, `Use at most ${max} characters`).refine(storable, STORABLE_MESSAGE);
