import { describe, expect, it } from "vitest";
import { afterAttempt, backoffCeilingMs, describeResult, isRetryable, parseRetryAfter, retryDelayMs, WEBHOOK_MAX_ATTEMPTS, type AttemptResult } from "./retry";

const now = new Date("2026-11-22T19:00:00.000Z");
const at = (ms: number) => new Date(now.getTime() + ms);

describe("webhook retry policy", () => {
  it.each([
    [1, 30_000],
    [2, 60_000],
    [3, 120_000],
    [7, 1_920_000],
    [8, 3_600_000],
    [20, 3_600_000],
  ])("after failure %i the wait is at most %i ms, and at least half that", (failures, ceiling) => {
    expect(backoffCeilingMs(failures)).toBe(ceiling);
    expect(retryDelayMs(failures, () => 0)).toBe(ceiling / 2);
    expect(retryDelayMs(failures, () => 0.999999)).toBeLessThanOrEqual(ceiling);
    for (let i = 0; i < 200; i++) {
      const d = retryDelayMs(failures);
      expect(d).toBeGreaterThanOrEqual(ceiling / 2);
      expect(d).toBeLessThanOrEqual(ceiling);
    }
  });

  it("jitter spreads retries: two deliveries that failed together rarely come back together", () => {
    const waits = new Set(Array.from({ length: 50 }, () => retryDelayMs(3)));
    expect(waits.size).toBeGreaterThan(40);
  });

  it.each<[string, AttemptResult, boolean]>([
    ["a network error", { kind: "network", message: "ECONNREFUSED" }, true],
    ["429", { kind: "response", status: 429 }, true],
    ["500", { kind: "response", status: 500 }, true],
    ["503", { kind: "response", status: 503 }, true],
    ["400", { kind: "response", status: 400 }, false],
    ["401", { kind: "response", status: 401 }, false],
    ["404", { kind: "response", status: 404 }, false],
    ["410", { kind: "response", status: 410 }, false],
    ["a redirect", { kind: "response", status: 302 }, false],
    ["a refused address", { kind: "refused", message: "10.0.0.1 is a private address" }, false],
  ])("%s is retried: %s", (_n, result, want) => {
    expect(isRetryable(result)).toBe(want);
  });

  it.each<[string, { previousAttempts: number; result: AttemptResult }, { status: string; attempts: number; next: [number, number] | null }]>([
    ["2xx delivers", { previousAttempts: 0, result: { kind: "response", status: 204 } }, { status: "delivered", attempts: 1, next: null }],
    ["a first 500 waits 15-30 s", { previousAttempts: 0, result: { kind: "response", status: 500 } }, { status: "pending", attempts: 1, next: [15_000, 30_000] }],
    ["a third network error waits 1-2 min", { previousAttempts: 2, result: { kind: "network", message: "ETIMEDOUT" } }, { status: "pending", attempts: 3, next: [60_000, 120_000] }],
    ["a 404 fails at once", { previousAttempts: 0, result: { kind: "response", status: 404 } }, { status: "failed", attempts: 1, next: null }],
    ["the last attempt's 500 gives up", { previousAttempts: WEBHOOK_MAX_ATTEMPTS - 1, result: { kind: "response", status: 500 } }, { status: "failed", attempts: WEBHOOK_MAX_ATTEMPTS, next: null }],
    ["Retry-After longer than the backoff is honoured", { previousAttempts: 0, result: { kind: "response", status: 429, retryAfter: "120" } }, { status: "pending", attempts: 1, next: [120_000, 120_000] }],
    ["Retry-After shorter than the backoff is not", { previousAttempts: 0, result: { kind: "response", status: 503, retryAfter: "1" } }, { status: "pending", attempts: 1, next: [15_000, 30_000] }],
    ["Retry-After beyond an hour is capped", { previousAttempts: 0, result: { kind: "response", status: 429, retryAfter: "86400" } }, { status: "pending", attempts: 1, next: [3_600_000, 3_600_000] }],
  ])("%s", (_n, input, want) => {
    const o = afterAttempt({ ...input, now });
    expect(o.status).toBe(want.status);
    expect(o.attempts).toBe(want.attempts);
    if (want.next === null) expect(o.nextAttemptAt).toBeNull();
    else {
      expect(o.nextAttemptAt!.getTime()).toBeGreaterThanOrEqual(at(want.next[0]).getTime());
      expect(o.nextAttemptAt!.getTime()).toBeLessThanOrEqual(at(want.next[1]).getTime());
    }
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfter("30", now)).toBe(30_000);
    expect(parseRetryAfter(new Date(now.getTime() + 90_000).toUTCString(), now)).toBe(90_000);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it("describes what went wrong in one line for the log", () => {
    expect(describeResult({ kind: "response", status: 200 })).toBeNull();
    expect(describeResult({ kind: "response", status: 500, body: "  boom\n trace " })).toBe("HTTP 500: boom trace");
    expect(describeResult({ kind: "response", status: 301 })).toBe("HTTP 301 (redirects are not followed)");
    expect(describeResult({ kind: "network", message: "No answer within 10 s" })).toBe("No answer within 10 s");
  });
});
