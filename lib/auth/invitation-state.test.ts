import { describe, expect, it } from "vitest";
import { INVITATION_TTL_MS, invitationState } from "./invitation-state";

const now = new Date("2026-11-22T12:00:00Z");
const at = (ms: number) => new Date(now.getTime() + ms);

describe("invitationState", () => {
  it.each([
    ["no such invitation", null, "unknown"],
    ["fresh", { expiresAt: at(INVITATION_TTL_MS), closedAt: null }, "open"],
    ["one millisecond left", { expiresAt: at(1), closedAt: null }, "open"],
    ["expiring this instant", { expiresAt: at(0), closedAt: null }, "expired"],
    ["expired yesterday", { expiresAt: at(-86_400_000), closedAt: null }, "expired"],
    ["used (closed) before expiry", { expiresAt: at(INVITATION_TTL_MS), closedAt: at(-1000) }, "closed"],
    ["closed and expired", { expiresAt: at(-1), closedAt: at(-1000) }, "closed"],
  ] as const)("%s → %s", (_name, inv, expected) => {
    expect(invitationState(inv, now)).toBe(expected);
  });
});
