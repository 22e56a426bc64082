import "server-only";
import { env } from "@/lib/env";
import { isFull, takeToken, type Bucket } from "./token-bucket";

/**
 * The REST API's rate limit, per API token (and per user for browser sessions), in this process's memory. With N
 * instances behind a load balancer a caller gets up to N times the limit: the price of not writing to PostgreSQL on
 * every request. Keys are authenticated principals only, so strangers cannot grow the map; full (idle) buckets are
 * dropped as they are met, and a ceiling keeps even a huge number of live principals bounded.
 */
const SWEEP_EVERY_MS = 60_000;
const MAX_BUCKETS = 100_000;

type State = { buckets: Map<string, Bucket>; sweptAt: number };

// On globalThis: Next.js bundles routes separately, and every route must count against the same buckets.
function state(): State {
  const g = globalThis as { gatehouseApiBuckets?: State };
  return (g.gatehouseApiBuckets ??= { buckets: new Map(), sweptAt: 0 });
}

/** Requests a minute for a caller: its token's own limit, else GATEHOUSE_API_RATE_LIMIT; null means unlimited. */
export function apiRateLimitFor(tokenLimit: number | null | undefined): number | null {
  if (tokenLimit) return tokenLimit;
  return env().GATEHOUSE_API_RATE_LIMIT || null;
}

/** The default, for pages that show each token's limit. */
export function defaultApiRateLimit(): number | null {
  return env().GATEHOUSE_API_RATE_LIMIT || null;
}

export type RateCheck = { allowed: boolean; limit: number; remaining: number; retryAfterSeconds: number; resetSeconds: number };

/** Counts one request by `key` against `perMinute`. */
export function checkApiRateLimit(o: { key: string; perMinute: number; now?: number }): RateCheck {
  const now = o.now ?? Date.now();
  const s = state();
  sweep(s, now);
  const taken = takeToken(s.buckets.get(o.key), now, o.perMinute);
  // Re-inserted at the end, so the Map's order is least recently used first.
  s.buckets.delete(o.key);
  s.buckets.set(o.key, taken.bucket);
  return { allowed: taken.allowed, limit: o.perMinute, remaining: taken.remaining, retryAfterSeconds: taken.retryAfterSeconds, resetSeconds: taken.resetSeconds };
}

function sweep(s: State, now: number) {
  if (now - s.sweptAt >= SWEEP_EVERY_MS || s.buckets.size >= MAX_BUCKETS) {
    s.sweptAt = now;
    for (const [key, bucket] of s.buckets) if (isFull(bucket, now)) s.buckets.delete(key);
  }
  // Still at the ceiling: forget the least recently used (they get a fresh, full bucket: lenient, never stricter).
  for (const key of s.buckets.keys()) {
    if (s.buckets.size < MAX_BUCKETS) break;
    s.buckets.delete(key);
  }
}

/** How many buckets are held (for tests of the memory bound). */
export function bucketCount(): number {
  return state().buckets.size;
}

/** IETF RateLimit fields and, when refused, Retry-After. */
export function rateLimitHeaders(c: RateCheck): Record<string, string> {
  return {
    "ratelimit-limit": String(c.limit),
    "ratelimit-remaining": String(c.remaining),
    "ratelimit-reset": String(c.resetSeconds),
    ...(c.allowed ? {} : { "retry-after": String(c.retryAfterSeconds) }),
  };
}
