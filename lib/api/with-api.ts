import "server-only";
import { randomUUID } from "node:crypto";
import { NextResponse } from "next/server";
import { ZodError, type ZodType } from "zod";
import { authenticatePrincipal, type Principal } from "@/lib/auth/actor";
import { requirePermission } from "@/lib/auth/require";
import type { Actor, Permission } from "@/lib/auth/permissions";
import { apiRateLimitFor, checkApiRateLimit, rateLimitHeaders } from "@/lib/ratelimit/api-limiter";
import { fromDatabaseError } from "./db-errors";
import { AppError, badRequest, type ErrorDetail, forbidden, isDatabaseUnavailable, refuseUnstorable, reportDatabaseUnavailable, unauthorized, unavailable } from "./errors";

export type ErrorBody = { error: { code: string; message: string; details?: ErrorDetail[]; requestId?: string } };

export function zodDetails(err: ZodError): { path: string; message: string }[] {
  const at = (path: PropertyKey[]) => path.map(String).join(".") || "(body)";
  // An unknown field is named by its own path, not its parent's.
  return err.issues.flatMap((i) => (i.code === "unrecognized_keys" ? i.keys.map((k) => ({ path: at([...i.path, k]), message: i.message })) : [{ path: at(i.path), message: i.message }]));
}

/** Turns any thrown value into the JSON error users get: never a stack trace, never a bare 500 for bad input. */
export function errorResponse(err: unknown): NextResponse<ErrorBody> {
  if (err instanceof ZodError) {
    const details = zodDetails(err);
    return NextResponse.json({ error: { code: "invalid_input", message: `Invalid input: ${details.map((d) => `${d.path}: ${d.message}`).join("; ")}`, details } }, { status: 400 });
  }
  const fromDb = fromDatabaseError(err);
  if (fromDb) err = fromDb;
  if (err instanceof AppError) {
    return NextResponse.json({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } }, { status: err.status });
  }
  if (isDatabaseUnavailable(err)) {
    reportDatabaseUnavailable();
    const e = unavailable();
    return NextResponse.json({ error: { code: e.code, message: e.message } }, { status: 503, headers: { "retry-after": "5" } });
  }
  const requestId = randomUUID();
  console.error(`[gatehouse] unhandled error ${requestId}`, err);
  return NextResponse.json({ error: { code: "internal_error", message: "Something went wrong on our side; the request id helps us find it.", requestId } }, { status: 500 });
}

export const MAX_BODY_BYTES = 1024 * 1024;

/** Reads at most `limit` bytes (MAX_BODY_BYTES unless the route says), whatever Content-Length claims, and refuses more with a 413. */
export async function readLimitedText(request: Request, limit: number): Promise<string> {
  const tooLarge = () => new AppError(413, "payload_too_large", `The body is larger than ${limit / 1024 / 1024} MB; split it into several requests`);
  if (Number(request.headers.get("content-length") ?? 0) > limit) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function readBody(request: Request, limit: number): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  const text = await readLimitedText(request, limit);
  if (!text.trim()) return {};
  // Requiring JSON also keeps cross-site HTML forms (which cannot send it without CORS) away from cookie sessions.
  if (!/^application\/json\b/i.test(type)) throw new AppError(415, "unsupported_media_type", "Send the body as JSON with Content-Type: application/json");
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`The body is not valid JSON: ${(e as Error).message}`, [{ path: "(body)", message: "Malformed JSON" }]);
  }
}

type Params = Record<string, string | string[] | undefined>;
type Handler<B, Q, A> = (ctx: { actor: A; body: B; query: Q; params: Record<string, string>; request: Request }) => Promise<unknown>;
type Options<B, Q> = {
  /** Checked up front for "anywhere"; use cases check again against the team of what they touch. */
  permission?: Permission;
  body?: ZodType<B>;
  query?: ZodType<Q>;
  /** A larger body limit than MAX_BODY_BYTES, for bulk ingest only. */
  maxBodyBytes?: number;
};

/** A JSON response with a chosen status; return it from a handler instead of plain data. */
export class Reply {
  constructor(
    readonly data: unknown,
    readonly status = 200,
    readonly headers: Record<string, string> = {},
  ) {}
}

/** Response headers gathered before the handler runs (the rate limit's), added to whatever the request gets. */
type Extra = { headers: Record<string, string> };

/** Renders a thrown error as the response; `errorResponse` unless the route speaks another API's error format (MLflow's). */
export type ErrorRenderer = (err: unknown) => Response;

function wrap<B, Q, A>(opts: Options<B, Q>, authenticate: (r: Request, extra: Extra) => Promise<A>, handler: Handler<B, Q, A>, renderError: ErrorRenderer = errorResponse) {
  return async (request: Request, context: { params: Promise<Params> }): Promise<Response> => {
    const extra: Extra = { headers: {} };
    let response: Response;
    try {
      const actor = await authenticate(request, extra);
      const rawParams = (await context?.params) ?? {};
      const params = refuseUnstorable(Object.fromEntries(Object.entries(rawParams).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : (v ?? "")])));
      const query = opts.query ? opts.query.parse(refuseUnstorable(Object.fromEntries(new URL(request.url).searchParams))) : (undefined as Q);
      const body = opts.body ? opts.body.parse(refuseUnstorable(await readBody(request, opts.maxBodyBytes ?? MAX_BODY_BYTES))) : (undefined as B);
      const result = await handler({ actor, body, query, params, request });
      if (result instanceof Response) response = result;
      else if (result instanceof Reply) response = NextResponse.json(result.data, { status: result.status, headers: result.headers });
      else response = NextResponse.json(result);
    } catch (err) {
      response = renderError(err);
    }
    for (const [name, value] of Object.entries(extra.headers)) {
      try {
        response.headers.set(name, value);
      } catch {
        // A handler's own Response may carry immutable headers; the limit still held, only its headers are missing.
      }
    }
    return response;
  };
}

/**
 * Counts the request against its caller's rate limit (lib/ratelimit/api-limiter.ts): the token's own, else
 * GATEHOUSE_API_RATE_LIMIT; browser sessions count per user. Refused with 429 and Retry-After when over it.
 */
function applyRateLimit(principal: Principal, extra: Extra) {
  const { actor } = principal;
  const key = actor.kind === "user" ? (actor.tokenId ? `token:${actor.tokenId}` : `user:${actor.userId}`) : actor.kind === "service" ? `token:${actor.tokenId}` : null;
  const perMinute = key === null ? null : apiRateLimitFor(principal.rateLimitPerMinute);
  if (key === null || perMinute === null) return;
  const check = checkApiRateLimit({ key, perMinute });
  extra.headers = rateLimitHeaders(check);
  if (!check.allowed) {
    const who = actor.kind === "user" && !actor.tokenId ? "this user" : "this token";
    throw new AppError(429, "rate_limited", `Too many requests: ${who} may make ${perMinute.toLocaleString("en-US")} a minute; try again in ${check.retryAfterSeconds} s.`);
  }
}

/**
 * Browser sessions ride on a cookie, so a change made with one must come from Gatehouse's own pages: refuse
 * cross-site requests (by Sec-Fetch-Site, or an Origin that is not this host). Bearer-token calls are exempt.
 */
function refuseCrossSite(request: Request) {
  if (request.method === "GET" || request.method === "HEAD" || request.headers.has("authorization")) return;
  const site = request.headers.get("sec-fetch-site");
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  const originHost = origin === null ? null : URL.canParse(origin) ? new URL(origin).host : "";
  const crossSite = (site !== null && site !== "same-origin" && site !== "none") || (originHost !== null && originHost !== host);
  if (crossSite) throw forbidden("Cross-site requests may not change anything with a browser session; use an API token.");
}

/** A route that needs a signed-in user or an API token (and `permission`, if given). */
export function withApi<B = undefined, Q = undefined>(opts: Options<B, Q>, handler: Handler<B, Q, Actor>, renderError?: ErrorRenderer) {
  return wrap(
    opts,
    async (request, extra) => {
      refuseCrossSite(request);
      const principal = await authenticatePrincipal(request);
      if (!principal) throw unauthorized();
      // Before the permission check: a caller hammering routes it may not use is still counted.
      applyRateLimit(principal, extra);
      return opts.permission ? requirePermission(principal.actor, opts.permission) : principal.actor;
    },
    handler,
    renderError,
  );
}

/** A route anyone may call (health). */
export function withPublicApi<B = undefined, Q = undefined>(opts: Options<B, Q>, handler: Handler<B, Q, null>) {
  return wrap(opts, async () => null, handler);
}
