import "server-only";
import { ZodError } from "zod";
import { fromDatabaseError } from "./db-errors";
import { AppError, isDatabaseUnavailable, reportDatabaseUnavailable } from "./errors";

/**
 * What a server action hands back to its form: a message for the form and one per field, so the form can
 * show them inline next to the inputs (and keep what the user typed).
 */
export type ActionState<T = undefined> =
  | { status: "idle" }
  | { status: "ok"; message: string; data?: T }
  | { status: "error"; message: string; fieldErrors: Record<string, string> };

export function actionError(err: unknown): ActionState<never> {
  err = fromDatabaseError(err) ?? err;
  if (err instanceof ZodError) {
    const fieldErrors: Record<string, string> = {};
    for (const i of err.issues) fieldErrors[i.path.map(String).join(".")] ??= i.message;
    return { status: "error", message: "Check the highlighted fields.", fieldErrors };
  }
  if (err instanceof AppError) {
    const fieldErrors = Object.fromEntries((err.details ?? []).map((d) => [d.path, d.message]));
    return { status: "error", message: err.message, fieldErrors };
  }
  if (isDatabaseUnavailable(err)) {
    reportDatabaseUnavailable();
    return { status: "error", message: "The database is unavailable; try again shortly.", fieldErrors: {} };
  }
  console.error("[gatehouse] action failed", err);
  return { status: "error", message: "Something went wrong on our side. Nothing was changed.", fieldErrors: {} };
}
