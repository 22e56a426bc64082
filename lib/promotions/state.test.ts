import { describe, expect, it } from "vitest";
import { CLOSED_STATUSES, OPEN_STATUSES, STATUSES, STATUS_LABELS, TRANSITIONS, assertTransition, canTransition, isOpen, isStatus, settle, type SettleInput, type Status } from "./state";

const settled = (status: Status, o: Partial<Omit<SettleInput, "status">> = {}) =>
  settle({ status, gatesPassed: true, frozen: false, quorumMet: true, strategy: "direct", ...o });

describe("statuses", () => {
  it("every status is open, closed or rolling out, and never two of these", () => {
    for (const s of STATUSES) {
      const kinds = [OPEN_STATUSES.includes(s), CLOSED_STATUSES.includes(s), s === "rolling-out"].filter(Boolean);
      expect(kinds, s).toHaveLength(1);
    }
  });
  it.each(STATUSES)("%s has a label and is recognised", (s) => {
    expect(STATUS_LABELS[s]).toMatch(/^[A-Z]/);
    expect(isStatus(s)).toBe(true);
  });
  it.each(["", "Approved", "done", "pending"])("%j is not a status", (s) => expect(isStatus(s)).toBe(false));
  it.each([
    ["blocked", true],
    ["awaiting-approval", true],
    ["changes-requested", true],
    ["approved", true],
    ["rolling-out", false],
    ["applied", false],
    ["rolled-back", false],
    ["rejected", false],
    ["cancelled", false],
    ["expired", false],
    ["superseded", false],
    ["nonsense", false],
  ] as const)("isOpen(%s) → %s", (s, open) => expect(isOpen(s)).toBe(open));
});

describe("transitions", () => {
  it("name only known statuses and never stay in place", () => {
    for (const [from, tos] of Object.entries(TRANSITIONS)) {
      expect(isStatus(from)).toBe(true);
      for (const to of tos) {
        expect(isStatus(to)).toBe(true);
        expect(to).not.toBe(from);
      }
    }
  });
  it.each(["rolled-back", "rejected", "cancelled", "expired", "superseded"] as const)("%s is final", (s) => expect(TRANSITIONS[s]).toEqual([]));
  it.each([
    ["blocked", "awaiting-approval", true],
    ["awaiting-approval", "approved", true],
    ["approved", "applied", true],
    ["approved", "rolling-out", true],
    ["rolling-out", "applied", true],
    ["rolling-out", "rolled-back", true],
    ["applied", "rolled-back", true],
    ["changes-requested", "awaiting-approval", true],
    ["changes-requested", "rejected", false],
    ["blocked", "applied", false],
    ["awaiting-approval", "rolling-out", false],
    ["applied", "approved", false],
    ["rejected", "awaiting-approval", false],
    ["cancelled", "blocked", false],
    ["rolled-back", "applied", false],
  ] as const)("%s → %s allowed: %s", (from, to, ok) => {
    expect(canTransition(from, to)).toBe(ok);
    if (ok) expect(() => assertTransition(from, to)).not.toThrow();
    else expect(() => assertTransition(from, to)).toThrow(`cannot go from ${from} to ${to}`);
  });
});

describe("settle", () => {
  type Row = [status: Status, input: Partial<Omit<SettleInput, "status">>, expected: Status[]];
  it.each<Row>([
    // Gates failing or a freeze block an open request, whatever the approvals say.
    ["awaiting-approval", { gatesPassed: false }, ["blocked"]],
    ["awaiting-approval", { frozen: true }, ["blocked"]],
    ["approved", { gatesPassed: false }, ["blocked"]],
    ["approved", { frozen: true, strategy: "canary" }, ["blocked"]],
    ["blocked", { gatesPassed: false }, []],
    ["blocked", { frozen: true, quorumMet: false }, []],
    // Gates pass but approvals are missing: wait for them.
    ["blocked", { quorumMet: false }, ["awaiting-approval"]],
    ["awaiting-approval", { quorumMet: false }, []],
    ["approved", { quorumMet: false }, ["awaiting-approval"]],
    // Everything in place: approve and apply (direct) or start the rollout (anything else).
    ["blocked", {}, ["approved", "applied"]],
    ["awaiting-approval", {}, ["approved", "applied"]],
    ["awaiting-approval", { strategy: "canary" }, ["approved", "rolling-out"]],
    ["awaiting-approval", { strategy: "blue-green" }, ["approved", "rolling-out"]],
    ["approved", {}, ["applied"]],
    ["approved", { strategy: "canary" }, ["rolling-out"]],
    // Sent back for changes: stays with the requester until resubmitted.
    ["changes-requested", {}, []],
    ["changes-requested", { gatesPassed: false }, []],
  ])("%s with %o → %j", (status, o, expected) => expect(settled(status, o)).toEqual(expected));

  const all = OPEN_STATUSES.flatMap((status) =>
    [true, false].flatMap((gatesPassed) =>
      [true, false].flatMap((frozen) =>
        [true, false].flatMap((quorumMet) => (["direct", "canary"] as const).map((strategy) => ({ status, gatesPassed, frozen, quorumMet, strategy }))),
      ),
    ),
  );

  describe.each(all)("$status, gates passed $gatesPassed, frozen $frozen, quorum met $quorumMet, $strategy", (input) => {
    const path = settle(input);
    it("only takes legal steps, and never repeats the status it is in", () => {
      let from = input.status;
      for (const to of path) {
        expect(canTransition(from, to), `${from} → ${to}`).toBe(true);
        from = to;
      }
    });
    it("ends where the gates, the freeze and the approvals say", () => {
      const end = path.at(-1) ?? input.status;
      if (input.status === "changes-requested") expect(path).toEqual([]);
      else if (!input.gatesPassed || input.frozen) expect(end).toBe("blocked");
      else if (!input.quorumMet) expect(end).toBe("awaiting-approval");
      else expect(end).toBe(input.strategy === "direct" ? "applied" : "rolling-out");
    });
    it("is settled afterwards: settling again changes nothing", () => {
      const end = path.at(-1) ?? input.status;
      if (isOpen(end)) expect(settle({ ...input, status: end })).toEqual([]);
    });
  });

  describe.each([...CLOSED_STATUSES, "rolling-out" as const])("%s is never moved", (status) => {
    it.each([
      [true, false, true],
      [false, false, true],
      [true, true, true],
      [true, false, false],
    ])("gates passed %s, frozen %s, quorum met %s", (gatesPassed, frozen, quorumMet) => {
      for (const strategy of ["direct", "canary"]) expect(settle({ status, gatesPassed, frozen, quorumMet, strategy })).toEqual([]);
    });
  });
});
