import "server-only";
import { randomUUID } from "node:crypto";
import { NextResponse } from "next/server";
import type { ZodType } from "zod";
import { fromDatabaseError } from "@/lib/api/db-errors";
import { AppError, isDatabaseUnavailable, refuseUnstorable, reportDatabaseUnavailable } from "@/lib/api/errors";
import { MAX_BODY_BYTES, readLimitedText, withApi } from "@/lib/api/with-api";
import type { Actor } from "@/lib/auth/permissions";
import { MlflowError, toMlflowError } from "./errors";

/**
 * The wrapper of every `/api/2.0/mlflow/` route: Gatehouse's authentication (session or Bearer token, as MLflow
 * clients send MLFLOW_TRACKING_TOKEN), rate limit and cross-site rule, with MLflow's input conventions and error format.
 */

/** Any error as MLflow reports it: `{ error_code, message }`, never a stack trace. */
export function mlflowErrorResponse(err: unknown): Response {
  const mapped = toMlflowError(fromDatabaseError(err) ?? err);
  if (mapped) return NextResponse.json(mapped.body, { status: mapped.status, headers: mapped.status === 503 ? { "retry-after": "5" } : {} });
  if (isDatabaseUnavailable(err)) {
    reportDatabaseUnavailable();
    return NextResponse.json({ error_code: "TEMPORARILY_UNAVAILABLE", message: "The database is unavailable; try again shortly." }, { status: 503, headers: { "retry-after": "5" } });
  }
  const requestId = randomUUID();
  console.error(`[gatehouse] unhandled error ${requestId} (MLflow API)`, err);
  return NextResponse.json({ error_code: "INTERNAL_ERROR", message: `Something went wrong on Gatehouse's side; request id ${requestId}.` }, { status: 500 });
}

/** GET: the query string, a repeated parameter as a list. Otherwise the JSON body (DELETE falls back to the query). */
async function readInput(request: Request): Promise<Record<string, unknown>> {
  const url = new URL(request.url);
  const fromQuery = () => {
    const out: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const all = url.searchParams.getAll(key);
      out[key] = all.length > 1 ? all : all[0];
    }
    return out;
  };
  if (request.method === "GET") return fromQuery();
  const text = await readLimitedText(request, MAX_BODY_BYTES);
  if (!text.trim()) return request.method === "DELETE" ? fromQuery() : {};
  if (!/^application\/json\b/i.test(request.headers.get("content-type") ?? "")) throw new AppError(415, "unsupported_media_type", "Content-Type must be application/json");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new MlflowError("BAD_REQUEST", `Malformed JSON in the request body: ${(e as Error).message}`);
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new MlflowError("BAD_REQUEST", "The request body must be a JSON object with the request's fields.");
  return body as Record<string, unknown>;
}

/** `export const POST = mlflowRoute(ZCreateRegisteredModel, (actor, input, request) => …)`. */
export function mlflowRoute<I>(schema: ZodType<I>, handler: (actor: Actor, input: I, request: Request) => Promise<unknown>) {
  return withApi(
    {},
    async ({ actor, request }) => {
      const input = schema.parse(refuseUnstorable(await readInput(request)));
      return NextResponse.json((await handler(actor, input, request)) ?? {});
    },
    mlflowErrorResponse,
  );
}

/** An endpoint Gatehouse knows but does not serve, with the reason and what to do instead. */
export function mlflowRefusal(code: "BAD_REQUEST" | "ENDPOINT_NOT_FOUND", message: string) {
  return withApi(
    {},
    async () => {
      throw new MlflowError(code, message);
    },
    mlflowErrorResponse,
  );
}
