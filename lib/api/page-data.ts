import "server-only";
import { notFound } from "next/navigation";
import { AppError } from "./errors";

/**
 * For pages: a lookup that says "no such thing" (404, or 400 for an id that cannot exist) shows the not-found page
 * instead of the error page.
 */
export async function orNotFound<T>(lookup: Promise<T>): Promise<T> {
  try {
    return await lookup;
  } catch (e) {
    if (e instanceof AppError && (e.status === 404 || e.status === 400)) notFound();
    throw e;
  }
}
