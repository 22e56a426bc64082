/**
 * A token bucket: `perMinute` requests a minute on average, and up to `perMinute` at once after a quiet minute.
 * Pure: the bucket and the time in, the decision and the new bucket out (api-limiter.ts keeps the buckets).
 */
export type Bucket = { tokens: number; at: number; capacity: number };

export type Take = {
  allowed: boolean;
  bucket: Bucket;
  /** Whole requests left right now. */
  remaining: number;
  /** Seconds until the next request would be allowed: 0 when it is now, else at least 1. */
  retryAfterSeconds: number;
  /** Seconds until the bucket is full again (RateLimit-Reset). */
  resetSeconds: number;
};

/** The bucket's tokens at `now`, refilled since it was last touched (a clock that went back refills nothing). */
function level(bucket: Bucket | undefined, now: number, perMinute: number): number {
  if (!bucket) return perMinute;
  const refilled = bucket.tokens + (Math.max(0, now - bucket.at) * perMinute) / 60_000;
  // A limit lowered since the bucket filled holds at once.
  return Math.min(perMinute, refilled);
}

export function takeToken(bucket: Bucket | undefined, now: number, perMinute: number): Take {
  const tokens = level(bucket, now, perMinute);
  const allowed = tokens >= 1;
  const left = allowed ? tokens - 1 : tokens;
  const msPerToken = 60_000 / perMinute;
  return {
    allowed,
    bucket: { tokens: left, at: now, capacity: perMinute },
    remaining: Math.floor(left),
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(((1 - left) * msPerToken) / 1000)),
    resetSeconds: Math.ceil(((perMinute - left) * msPerToken) / 1000),
  };
}

/** A bucket that has refilled completely says nothing a missing one would not: it can be dropped. */
export function isFull(bucket: Bucket, now: number): boolean {
  return level(bucket, now, bucket.capacity) >= bucket.capacity;
}
