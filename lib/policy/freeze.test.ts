import { describe, expect, it } from "vitest";
import { freezeStatus, isFrozen } from "./freeze";
import { ZPolicyDocument, type FreezeWindow } from "./schema";

/** A window as the schema reads it (timezone defaults to UTC). */
const win = (o: object): FreezeWindow => ZPolicyDocument.parse({ freeze: [o] }).freeze![0];
const weekly = (days: string[], from: string, to: string, timezone?: string) => win({ name: "w", weekly: { days, from, to }, ...(timezone ? { timezone } : {}) });
type Row = [instant: string, frozen: boolean];
const table = (window: FreezeWindow, rows: Row[]) => it.each(rows)("%s → %s", (instant, frozen) => expect(isFrozen(window, new Date(instant))).toBe(frozen));

// 2026-03-13 is a Friday; 2026-01-12 and 2026-07-13 are Mondays. Berlin is UTC+1 in winter, UTC+2 from 2026-03-29 01:00Z.

describe("dated window: start inclusive, end exclusive", () => {
  table(win({ name: "Year-end", start: "2026-12-20T00:00:00Z", end: "2027-01-04T00:00:00Z" }), [
    ["2026-12-19T23:59:59.999Z", false],
    ["2026-12-20T00:00:00.000Z", true],
    ["2026-12-31T12:00:00Z", true],
    ["2027-01-03T23:59:59.999Z", true],
    ["2027-01-04T00:00:00.000Z", false],
  ]);
  describe("with an offset", () => {
    table(win({ name: "Launch", start: "2026-12-20T00:00:00+01:00", end: "2026-12-21T00:00:00+01:00" }), [
      ["2026-12-19T22:59:59Z", false],
      ["2026-12-19T23:00:00Z", true],
      ["2026-12-20T22:59:59Z", true],
      ["2026-12-20T23:00:00Z", false],
    ]);
  });
});

describe("weekly window, same day, UTC by default", () => {
  const w = weekly(["mon", "wed"], "09:00", "17:00");
  it("defaults its time zone to UTC", () => expect(w).toMatchObject({ timezone: "UTC" }));
  table(w, [
    ["2026-03-16T08:59:00Z", false],
    ["2026-03-16T09:00:00Z", true],
    ["2026-03-16T16:59:00Z", true],
    ["2026-03-16T17:00:00Z", false],
    ["2026-03-17T12:00:00Z", false],
    ["2026-03-18T12:00:00Z", true],
  ]);
});

describe("weekly window overnight: Friday 16:00 until Saturday 09:00", () => {
  table(weekly(["fri"], "16:00", "09:00"), [
    ["2026-03-13T15:59:00Z", false],
    ["2026-03-13T16:00:00Z", true],
    ["2026-03-13T23:59:00Z", true],
    ["2026-03-14T00:00:00Z", true],
    ["2026-03-14T08:59:00Z", true],
    ["2026-03-14T09:00:00Z", false],
    ["2026-03-14T16:00:00Z", false],
    ["2026-03-12T20:00:00Z", false],
    ["2026-03-13T08:00:00Z", false],
  ]);
  describe("Sunday night into Monday wraps the week", () => {
    table(weekly(["sun"], "22:00", "02:00"), [
      ["2026-03-15T22:30:00Z", true],
      ["2026-03-16T01:59:00Z", true],
      ["2026-03-16T02:00:00Z", false],
      ["2026-03-14T23:00:00Z", false],
    ]);
  });
  describe("from equal to to: a full day from the start", () => {
    table(weekly(["fri"], "09:00", "09:00"), [
      ["2026-03-13T08:59:00Z", false],
      ["2026-03-13T09:00:00Z", true],
      ["2026-03-14T08:59:00Z", true],
      ["2026-03-14T09:00:00Z", false],
    ]);
  });
});

describe("weekly window in Europe/Berlin: weekdays 09:00–17:00 local time", () => {
  table(weekly(["mon", "tue", "wed", "thu", "fri"], "09:00", "17:00", "Europe/Berlin"), [
    ["2026-01-12T07:59:00Z", false], // 08:59 CET
    ["2026-01-12T08:00:00Z", true], // 09:00 CET
    ["2026-01-12T15:59:00Z", true], // 16:59 CET
    ["2026-01-12T16:00:00Z", false], // 17:00 CET
    ["2026-07-13T06:59:00Z", false], // 08:59 CEST
    ["2026-07-13T07:00:00Z", true], // 09:00 CEST: the same UTC time is outside the window in winter
    ["2026-07-13T14:59:00Z", true], // 16:59 CEST
    ["2026-07-13T15:00:00Z", false], // 17:00 CEST: inside the window if read as UTC
    ["2026-03-27T07:00:00Z", false], // Friday before the change: 08:00 CET
    ["2026-03-30T07:00:00Z", true], // Monday after the change: 09:00 CEST
    ["2026-01-17T08:00:00Z", false], // Saturday
  ]);
  describe("the local day, not the UTC day", () => {
    table(weekly(["sun"], "00:00", "06:00", "Europe/Berlin"), [
      ["2026-01-17T23:30:00Z", true], // Saturday in UTC, Sunday 00:30 in Berlin
      ["2026-01-18T04:59:00Z", true], // Sunday 05:59 CET
      ["2026-01-18T05:00:00Z", false], // Sunday 06:00 CET, still before 06:00 UTC
    ]);
  });
  describe("overnight across the spring-forward night", () => {
    table(weekly(["sat"], "22:00", "06:00", "Europe/Berlin"), [
      ["2026-03-28T20:59:00Z", false], // Saturday 21:59 CET
      ["2026-03-28T21:00:00Z", true], // Saturday 22:00 CET
      ["2026-03-29T03:59:00Z", true], // Sunday 05:59 CEST
      ["2026-03-29T04:00:00Z", false], // Sunday 06:00 CEST (05:00 CET would still be frozen)
    ]);
  });
});

describe("freezeStatus", () => {
  const yearEnd = win({ name: "Year-end", start: "2026-12-20T00:00:00Z", end: "2027-01-04T00:00:00Z" });
  const fridays = win({ name: "Friday deploys", weekly: { days: ["fri"], from: "16:00", to: "09:00" }, timezone: "Europe/Berlin" });
  it.each([
    ["no windows", [], "2026-12-25T12:00:00Z", { frozen: false }],
    ["no active window", [yearEnd, fridays], "2026-03-16T12:00:00Z", { frozen: false }],
    ["a dated window", [yearEnd, fridays], "2026-12-22T12:00:00Z", { frozen: true, window: "Year-end", summary: "Production promotions are frozen (Year-end, until 2027-01-04T00:00:00Z); only the emergency path can promote now." }],
    ["a weekly window", [yearEnd, fridays], "2026-03-13T20:00:00Z", { frozen: true, window: "Friday deploys", summary: "Production promotions are frozen (Friday deploys, fri 16:00–09:00 Europe/Berlin); only the emergency path can promote now." }],
    ["the first active window when several are", [yearEnd, fridays], "2026-12-25T20:00:00Z", { frozen: true, window: "Year-end" }],
    ["order decides", [fridays, yearEnd], "2026-12-25T20:00:00Z", { frozen: true, window: "Friday deploys" }],
  ] as [string, FreezeWindow[], string, object][])("%s", (_n, windows, at, expected) => {
    const s = freezeStatus(windows, new Date(at));
    expect(s).toMatchObject(expected);
    if (!s.frozen) expect(s).toEqual({ frozen: false });
  });
});
