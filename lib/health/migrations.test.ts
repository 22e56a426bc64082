import { describe, expect, it } from "vitest";
import { migrationStatus } from "./migrations";

describe("migrationStatus", () => {
  it.each([
    ["all applied", ["001_a", "002_b"], ["002_b", "001_a"], { current: true, pending: [], unknown: [] }],
    ["one pending", ["001_a", "002_b"], ["001_a"], { current: false, pending: ["002_b"], unknown: [] }],
    ["database ahead of this build", ["001_a"], ["001_a", "002_b"], { current: true, pending: [], unknown: ["002_b"] }],
    ["empty database", ["001_a"], [], { current: false, pending: ["001_a"], unknown: [] }],
  ])("%s", (_name, expected, applied, out) => {
    expect(migrationStatus(expected, applied)).toMatchObject(out);
  });
});
