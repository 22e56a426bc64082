import { afterEach, describe, expect, it, vi } from "vitest";

// GATEHOUSE_METRICS_RETENTION_DAYS, read once in lib/env.ts: how long raw metric points are kept.
const base = { DATABASE_URL: "postgresql://u:p@127.0.0.1:5432/db", NEXTAUTH_SECRET: "x".repeat(32) };
const saved = { ...process.env };

async function load(value: string | undefined) {
  delete process.env.GATEHOUSE_METRICS_RETENTION_DAYS;
  Object.assign(process.env, base, value === undefined ? {} : { GATEHOUSE_METRICS_RETENTION_DAYS: value });
  vi.resetModules();
  return (await import("@/lib/env")).env;
}

describe("the metrics retention setting", () => {
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  it.each([
    [undefined, 30],
    ["", 30],
    ["7", 7],
    ["365", 365],
  ])("%j keeps raw points %i days", async (value, days) => {
    expect((await load(value))().GATEHOUSE_METRICS_RETENTION_DAYS).toBe(days);
  });

  it.each([
    ["0", "at least 1"],
    ["1.5", "whole number"],
    ["a month", "number of days"],
  ])("refuses %j", async (value, message) => {
    const env = await load(value);
    expect(() => env()).toThrow(`GATEHOUSE_METRICS_RETENTION_DAYS: GATEHOUSE_METRICS_RETENTION_DAYS must be`);
    expect(() => env()).toThrow(message);
  });
});
