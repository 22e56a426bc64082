import { describe, expect, it } from "vitest";
import { isFull, takeToken, type Bucket } from "./token-bucket";

describe("token bucket", () => {
  const cases: { name: string; bucket: Bucket | undefined; now: number; perMinute: number; allowed: boolean; remaining: number; retryAfter: number; reset: number }[] = [
    { name: "a first request: a full bucket less one", bucket: undefined, now: 0, perMinute: 60, allowed: true, remaining: 59, retryAfter: 0, reset: 1 },
    { name: "the last token", bucket: { tokens: 1, at: 0, capacity: 60 }, now: 0, perMinute: 60, allowed: true, remaining: 0, retryAfter: 0, reset: 60 },
    { name: "empty: refused, one token a second comes back", bucket: { tokens: 0, at: 0, capacity: 60 }, now: 0, perMinute: 60, allowed: false, remaining: 0, retryAfter: 1, reset: 60 },
    { name: "empty at 3 a minute: 20 s until the next", bucket: { tokens: 0, at: 0, capacity: 3 }, now: 0, perMinute: 3, allowed: false, remaining: 0, retryAfter: 20, reset: 60 },
    { name: "half a token back: the rest of the wait, rounded up", bucket: { tokens: 0, at: 0, capacity: 3 }, now: 10_000, perMinute: 3, allowed: false, remaining: 0, retryAfter: 10, reset: 50 },
    { name: "a token refilled in 20 s", bucket: { tokens: 0, at: 0, capacity: 3 }, now: 20_000, perMinute: 3, allowed: true, remaining: 0, retryAfter: 0, reset: 60 },
    { name: "refills stop at the burst", bucket: { tokens: 0, at: 0, capacity: 1_200 }, now: 3_600_000, perMinute: 1_200, allowed: true, remaining: 1_199, retryAfter: 0, reset: 1 },
    { name: "a lower limit holds at once", bucket: { tokens: 1_000, at: 0, capacity: 1_200 }, now: 0, perMinute: 10, allowed: true, remaining: 9, retryAfter: 0, reset: 6 },
    { name: "a clock that went back refills nothing", bucket: { tokens: 0, at: 50_000, capacity: 60 }, now: 0, perMinute: 60, allowed: false, remaining: 0, retryAfter: 1, reset: 60 },
  ];
  it.each(cases)("$name", (c) => {
    const t = takeToken(c.bucket, c.now, c.perMinute);
    expect({ allowed: t.allowed, remaining: t.remaining, retryAfter: t.retryAfterSeconds, reset: t.resetSeconds }).toEqual({ allowed: c.allowed, remaining: c.remaining, retryAfter: c.retryAfter, reset: c.reset });
  });

  it("lets a full minute's worth through at once, then one per refill interval", () => {
    let bucket: Bucket | undefined;
    const results: boolean[] = [];
    for (let i = 0; i < 12; i++) {
      const t = takeToken(bucket, 0, 10);
      bucket = t.bucket;
      results.push(t.allowed);
    }
    expect(results).toEqual([...Array(10).fill(true), false, false]);
    expect(takeToken(bucket, 5_999, 10).allowed).toBe(false);
    expect(takeToken(bucket, 6_000, 10).allowed).toBe(true);
  });

  it("a bucket is full again, and can be forgotten, once its minute has refilled it", () => {
    const used = takeToken(undefined, 0, 60).bucket;
    expect(isFull(used, 999)).toBe(false);
    expect(isFull(used, 1_000)).toBe(true);
  });
});
