import { describe, expect, it } from "vitest";
import { MAX_ATTEMPTS, afterFailure, retryDelayMs, shortError } from "./retry";

describe("retry schedule", () => {
  it.each([
    [1, 30_000],
    [2, 60_000],
    [3, 120_000],
    [4, 240_000],
    [5, 480_000],
    [6, 960_000],
    [7, 1_920_000],
    [8, 3_600_000],
    [20, 3_600_000],
  ])("after failure %i waits %i ms", (failures, ms) => {
    expect(retryDelayMs(failures)).toBe(ms);
  });

  const now = new Date("2026-11-22T12:00:00.000Z");
  it.each([
    { previous: 0, attempts: 1, next: "2026-11-22T12:00:30.000Z", failed: false },
    { previous: 1, attempts: 2, next: "2026-11-22T12:01:00.000Z", failed: false },
    { previous: 6, attempts: 7, next: "2026-11-22T12:32:00.000Z", failed: false },
    { previous: MAX_ATTEMPTS - 1, attempts: MAX_ATTEMPTS, next: "2026-11-22T12:00:00.000Z", failed: true },
  ])("attempt $attempts failing: next try $next, given up: $failed", ({ previous, attempts, next, failed }) => {
    const outcome = afterFailure(previous, now);
    expect(outcome.attempts).toBe(attempts);
    expect(outcome.nextAttemptAt.toISOString()).toBe(next);
    expect(outcome.failedAt).toEqual(failed ? now : null);
  });
});

describe("shortError", () => {
  const smtp = "smtps://mailer:s3cr%40t-pass@smtp.example.com:465";
  const hook = "https://hooks.slack.com/services/T000/B000/XXXXSECRET";
  it.each([
    { name: "a plain message", err: new Error("Connection refused"), secrets: [], want: "Connection refused" },
    { name: "an SMTP refusal keeps the server's reply", err: Object.assign(new Error("Message failed"), { code: "EMESSAGE", responseCode: 550, response: "550 5.1.1 mailbox unavailable" }), secrets: [], want: "EMESSAGE: Message failed: 550 5.1.1 mailbox unavailable" },
    { name: "the reply is not repeated", err: Object.assign(new Error("Message failed: 451 try later"), { response: "451 try later" }), secrets: [], want: "Message failed: 451 try later" },
    { name: "the webhook URL is redacted", err: new Error(`request to ${hook} failed`), secrets: [hook], want: "request to [redacted] failed" },
    { name: "the SMTP password is redacted", err: new Error("Invalid login for s3cr@t-pass"), secrets: [smtp, "s3cr@t-pass"], want: "Invalid login for [redacted]" },
    { name: "credentials in any URL are redacted", err: new Error("connect to smtp://user:pw@host failed"), secrets: [], want: "connect to smtp://[redacted]@host failed" },
    { name: "whitespace collapses to one line", err: new Error("line one\n  line two"), secrets: [], want: "line one line two" },
    { name: "not an Error", err: "timeout", secrets: [], want: "timeout" },
  ])("$name", ({ err, secrets, want }) => {
    expect(shortError(err, secrets)).toBe(want);
  });

  it("is at most 300 characters", () => {
    expect(shortError(new Error("x".repeat(1_000)))).toHaveLength(300);
  });
});
