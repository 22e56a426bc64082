import { beforeEach, describe, expect, it } from "vitest";
import { bucketCount, checkApiRateLimit, rateLimitHeaders } from "./api-limiter";

describe("the API rate limiter's buckets", () => {
  beforeEach(() => {
    delete (globalThis as { gatehouseApiBuckets?: unknown }).gatehouseApiBuckets;
  });

  it("counts each caller on its own", () => {
    const results = [1, 2, 3].map(() => checkApiRateLimit({ key: "token:a", perMinute: 2, now: 0 }).allowed);
    expect(results).toEqual([true, true, false]);
    expect(checkApiRateLimit({ key: "token:b", perMinute: 2, now: 0 }).allowed).toBe(true);
  });

  it("refusals carry Retry-After and the RateLimit fields", () => {
    checkApiRateLimit({ key: "token:a", perMinute: 1, now: 0 });
    const refused = checkApiRateLimit({ key: "token:a", perMinute: 1, now: 0 });
    expect(rateLimitHeaders(refused)).toEqual({ "ratelimit-limit": "1", "ratelimit-remaining": "0", "ratelimit-reset": "60", "retry-after": "60" });
    expect(rateLimitHeaders(checkApiRateLimit({ key: "token:b", perMinute: 1, now: 0 }))).not.toHaveProperty("retry-after");
  });

  it("forgets idle callers, so memory holds only those active in the last minute", () => {
    for (let i = 0; i < 500; i++) checkApiRateLimit({ key: `token:${i}`, perMinute: 60, now: 0 });
    expect(bucketCount()).toBe(500);
    checkApiRateLimit({ key: "token:late", perMinute: 60, now: 60_000 });
    expect(bucketCount()).toBe(1);
  });

  it("a forgotten caller starts again with a full bucket", () => {
    checkApiRateLimit({ key: "token:a", perMinute: 1, now: 0 });
    expect(checkApiRateLimit({ key: "token:a", perMinute: 1, now: 30_000 }).allowed).toBe(false);
    expect(checkApiRateLimit({ key: "token:a", perMinute: 1, now: 120_000 }).allowed).toBe(true);
  });
});
