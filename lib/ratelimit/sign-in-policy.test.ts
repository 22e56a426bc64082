import { describe, expect, it } from "vitest";
import { accountBackoffMs, afterFailure, decideSignIn, FORGET_AFTER_MS, retryAt, startsLockout, withoutAttempt, type Throttle, type ThrottleKind } from "./sign-in-policy";

const T0 = new Date("2026-11-24T09:00:00Z").getTime();
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const row = (failures: number, firstSeconds: number, lastSeconds: number): Throttle => ({ failures, firstFailureAt: at(firstSeconds), lastFailureAt: at(lastSeconds) });

describe("account backoff", () => {
  it.each([
    [1, 0],
    [4, 0],
    [5, 30],
    [6, 60],
    [7, 120],
    [8, 240],
    [9, 480],
    [10, 900],
    [11, 900],
    [1_000, 900],
  ])("after %i consecutive failures an account waits %i s", (failures, seconds) => {
    expect(accountBackoffMs(failures)).toBe(seconds * 1000);
  });
});

describe("when an account or address may try again", () => {
  const cases: { name: string; kind: ThrottleKind; row: Throttle | null; now: number; retry: number | null }[] = [
    { name: "no failures", kind: "account", row: null, now: 0, retry: null },
    { name: "four failures: still free", kind: "account", row: row(4, 0, 10), now: 11, retry: null },
    { name: "the fifth failure: 30 s from it", kind: "account", row: row(5, 0, 10), now: 11, retry: 40 },
    { name: "the fifth, the wait just over", kind: "account", row: row(5, 0, 10), now: 40, retry: null },
    { name: "the sixth: 1 min", kind: "account", row: row(6, 0, 100), now: 120, retry: 160 },
    { name: "the tenth: 15 min", kind: "account", row: row(10, 0, 1_000), now: 1_001, retry: 1_900 },
    { name: "the fiftieth: still 15 min", kind: "account", row: row(50, 0, 5_000), now: 5_001, retry: 5_900 },
    { name: "a forgotten streak locks nothing", kind: "account", row: row(10, 0, 1_000), now: 1_000 + 1_800, retry: null },
    { name: "free failures recorded by an instance whose clock runs ahead lock nothing", kind: "account", row: row(3, 0, 10), now: 5, retry: null },
    { name: "29 failures from an address: free", kind: "ip", row: row(29, 0, 800), now: 801, retry: null },
    { name: "29, the last one stamped ahead of this clock: still free", kind: "ip", row: row(29, 0, 800), now: 790, retry: null },
    { name: "the 30th locks the address 15 min", kind: "ip", row: row(30, 0, 800), now: 801, retry: 1_700 },
    { name: "the address lock runs out", kind: "ip", row: row(30, 0, 800), now: 1_700, retry: null },
    { name: "30 in a window that has closed cannot happen; 31 counted by a race still lock", kind: "ip", row: row(31, 0, 850), now: 900, retry: 1_750 },
  ];
  it.each(cases)("$name", (c) => {
    expect(retryAt(c.kind, c.row, at(c.now))).toEqual(c.retry === null ? null : at(c.retry));
  });
});

describe("recording a failure", () => {
  const cases: { name: string; kind: ThrottleKind; row: Throttle | null; now: number; want: Throttle }[] = [
    { name: "the first one starts a streak", kind: "account", row: null, now: 5, want: row(1, 5, 5) },
    { name: "another within 15 min adds to it", kind: "account", row: row(2, 0, 100), now: 100 + 899, want: row(3, 0, 999) },
    { name: "15 quiet minutes end a streak of free failures", kind: "account", row: row(4, 0, 100), now: 100 + 900, want: row(1, 1_000, 1_000) },
    { name: "after a lockout, 15 quiet minutes are counted from its end", kind: "account", row: row(10, 0, 1_000), now: 1_000 + 900 + 899, want: row(11, 0, 2_799) },
    { name: "and a streak is over once they have passed", kind: "account", row: row(10, 0, 1_000), now: 1_000 + 900 + 900, want: row(1, 2_800, 2_800) },
    { name: "an address counts within its 15-minute window", kind: "ip", row: row(12, 0, 500), now: 899, want: row(13, 0, 899) },
    { name: "a new window starts after 15 minutes, however recent the last failure", kind: "ip", row: row(12, 0, 890), now: 900, want: row(1, 900, 900) },
    { name: "after an address lock a new window starts", kind: "ip", row: row(30, 0, 800), now: 1_700, want: row(1, 1_700, 1_700) },
  ];
  it.each(cases)("$name", (c) => {
    expect(afterFailure(c.kind, c.row, at(c.now))).toEqual(c.want);
  });

  it("five failures in a row lock the account on the fifth, and the wait doubles from there", () => {
    let t: Throttle | null = null;
    const waits: (number | null)[] = [];
    let now = 0;
    for (let i = 0; i < 8; i++) {
      t = afterFailure("account", t, at(now));
      const r = retryAt("account", t, at(now));
      waits.push(r && (r.getTime() - at(now).getTime()) / 1000);
      now = r ? (r.getTime() - T0) / 1000 : now + 1;
    }
    expect(waits).toEqual([null, null, null, null, 30, 60, 120, 240]);
    expect(startsLockout(row(5, 0, 0))).toBe(true);
    expect([4, 6].map((n) => startsLockout(row(n, 0, 0)))).toEqual([false, false]);
  });
});

describe("deciding an attempt", () => {
  it.each([
    { name: "nothing recorded", account: null, ip: null, retry: null },
    { name: "the account is locked", account: row(5, 0, 0), ip: null, retry: 30 },
    { name: "the address is locked", account: null, ip: row(30, 0, 0), retry: 900 },
    { name: "both: the later wait wins", account: row(5, 0, 0), ip: row(30, 0, 0), retry: 900 },
    { name: "free failures on both", account: row(3, 0, 0), ip: row(20, 0, 0), retry: null },
  ])("$name", ({ account, ip, retry }) => {
    const d = decideSignIn({ account, ip, now: at(1) });
    expect(d).toEqual(retry === null ? { allowed: true } : { allowed: false, retryAt: at(retry) });
  });
});

describe("taking a right password's attempt back from its address", () => {
  it.each([
    { name: "one less in the same window", now: row(7, 0, 50), reserved: row(7, 0, 50), want: row(6, 0, 50) },
    { name: "the only one: nothing left", now: row(1, 0, 0), reserved: row(1, 0, 0), want: null },
    { name: "a window that started since keeps its count", now: row(2, 900, 901), reserved: row(9, 0, 899), want: row(2, 900, 901) },
    { name: "a row already pruned stays gone", now: null, reserved: row(3, 0, 0), want: null },
  ])("$name", (c) => {
    expect(withoutAttempt(c.now, c.reserved)).toEqual(c.want);
  });
});

it("rows are kept exactly as long as some rule can still read them", () => {
  expect(FORGET_AFTER_MS).toBe(30 * 60_000);
  const oldest = row(10, 0, 0);
  expect(afterFailure("account", oldest, new Date(T0 + FORGET_AFTER_MS - 1))).toMatchObject({ failures: 11 });
  expect(afterFailure("account", oldest, new Date(T0 + FORGET_AFTER_MS))).toMatchObject({ failures: 1 });
});
