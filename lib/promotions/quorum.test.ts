import { describe, expect, it } from "vitest";
import { ZPolicyDocument } from "@/lib/policy/schema";
import { EMERGENCY_QUORUM, evaluateQuorum, requirementsFor, signatureRequired, type DecisionInput, type DecisionKind, type DecisionState, type QuorumInput, type Requirement } from "./quorum";

const HASH = "hash-now";
const NOW = new Date("2026-03-20T12:00:00Z");
const HOUR = 3_600_000;
const TTL = 7 * 24 * HOUR;

/** A decision `hoursAgo` before NOW; ids are unique per call. */
let seq = 0;
const d = (userId: string, roles: string[], o: { decision?: DecisionKind; hoursAgo?: number; hash?: string; round?: number; id?: string } = {}): DecisionInput => ({
  id: o.id ?? `d${++seq}`,
  userId,
  userLabel: userId.toUpperCase(),
  decision: o.decision ?? "approve",
  roles,
  evidenceHash: o.hash ?? HASH,
  round: o.round ?? 2,
  createdAt: new Date(NOW.getTime() - (o.hoursAgo ?? 1) * HOUR),
});
const evaluate = (requirements: readonly Requirement[], decisions: DecisionInput[], o: Partial<QuorumInput> = {}) =>
  evaluateQuorum({ requirements, decisions, round: 2, evidenceHash: HASH, now: NOW, ttlMs: TTL, expiryPaused: false, ...o });
const states = (r: ReturnType<typeof evaluate>) => r.decisions.map((x) => x.state);
const filled = (r: ReturnType<typeof evaluate>) => Object.fromEntries(r.slots.map((s) => [s.role, s.filledBy.map((f) => f.userId).sort()]));

const ML = ["ml-lead"];
const CO = ["compliance-officer"];
const BOTH = ["ml-lead", "compliance-officer"];
const ML_AND_CO: Requirement[] = [
  { role: "ml-lead", count: 1 },
  { role: "compliance-officer", count: 1 },
];

describe("requirementsFor", () => {
  /** A quorum as the policy schema reads it (count defaults to 1). */
  const approvals = (quorum: object[]) => ZPolicyDocument.parse({ stages: { production: { approvals: { quorum } } } }).stages!.production.approvals!;
  type Row = [name: string, quorum: object[], riskTier: string, expected: Requirement[]];
  it.each<Row>([
    ["no quorum", [], "standard", []],
    ["count defaults to one", [{ role: "ml-lead" }], "standard", [{ role: "ml-lead", count: 1 }]],
    ["an unconditional entry applies to every tier", [{ role: "ml-lead", count: 2 }], "regulated", [{ role: "ml-lead", count: 2 }]],
    ["a regulated-only entry skips standard models", [{ role: "ml-lead" }, { role: "compliance-officer", when: { riskTier: "regulated" } }], "standard", [{ role: "ml-lead", count: 1 }]],
    ["a regulated-only entry applies to regulated models", [{ role: "ml-lead" }, { role: "compliance-officer", when: { riskTier: "regulated" } }], "regulated", ML_AND_CO],
    ["a standard-only entry skips regulated models", [{ role: "admin", when: { riskTier: "standard" } }], "regulated", []],
    ["two entries of one role add up", [{ role: "ml-lead" }, { role: "ml-lead", count: 2 }], "standard", [{ role: "ml-lead", count: 3 }]],
    [
      "a conditional entry adds to an unconditional one only where it applies",
      [{ role: "ml-lead" }, { role: "compliance-officer" }, { role: "ml-lead", when: { riskTier: "regulated" } }],
      "regulated",
      [{ role: "ml-lead", count: 2 }, { role: "compliance-officer", count: 1 }],
    ],
    [
      "the same, for a standard model",
      [{ role: "ml-lead" }, { role: "compliance-officer" }, { role: "ml-lead", when: { riskTier: "regulated" } }],
      "standard",
      ML_AND_CO,
    ],
  ])("%s", (_name, quorum, riskTier, expected) => expect(requirementsFor(approvals(quorum), riskTier)).toEqual(expected));

  it.each(["standard", "regulated"])("an emergency on a %s model needs an ML Lead and an admin, whatever the policy says", (tier) => {
    const policy = approvals([{ role: "compliance-officer", count: 3 }]);
    expect(requirementsFor(policy, tier, true)).toEqual([
      { role: "ml-lead", count: 1 },
      { role: "admin", count: 1 },
    ]);
  });

  it("hands out copies, so a caller cannot change the emergency quorum", () => {
    const mine = requirementsFor({ quorum: [] }, "standard", true);
    mine[0].count = 5;
    expect(EMERGENCY_QUORUM[0].count).toBe(1);
    expect(requirementsFor({ quorum: [] }, "standard", true)[0].count).toBe(1);
  });
});

describe("signatureRequired", () => {
  it.each([
    ["always", "standard", true],
    ["always", "regulated", true],
    ["regulated", "standard", false],
    ["regulated", "regulated", true],
    ["never", "standard", false],
    ["never", "regulated", false],
  ] as const)("%s on a %s model → %s", (setting, tier, required) => expect(signatureRequired(setting, tier)).toBe(required));
});

describe("evaluateQuorum: who fills which place", () => {
  type Row = [name: string, requirements: Requirement[], decisions: DecisionInput[], met: boolean, filled: Record<string, string[]>, states: DecisionState[]];
  it.each<Row>([
    ["an empty quorum is met with no decisions", [], [], true, {}, []],
    ["an empty quorum is met, and approvals are not needed", [], [d("ann", ML)], true, {}, ["not-needed"]],
    ["nobody yet", ML_AND_CO, [], false, { "ml-lead": [], "compliance-officer": [] }, []],
    ["one person with both roles counts once", ML_AND_CO, [d("ann", BOTH)], false, { "ml-lead": ["ann"], "compliance-officer": [] }, ["counted"]],
    ["two people, one role each", ML_AND_CO, [d("ann", ML), d("bob", CO)], true, { "ml-lead": ["ann"], "compliance-officer": ["bob"] }, ["counted", "counted"]],
    [
      "both roles approved first, then an ML Lead: the first moves to compliance",
      ML_AND_CO,
      [d("ann", BOTH, { hoursAgo: 3 }), d("bob", ML, { hoursAgo: 2 })],
      true,
      { "ml-lead": ["bob"], "compliance-officer": ["ann"] },
      ["counted", "counted"],
    ],
    [
      "an ML Lead approved first, then someone with both roles",
      ML_AND_CO,
      [d("bob", ML, { hoursAgo: 3 }), d("ann", BOTH, { hoursAgo: 2 })],
      true,
      { "ml-lead": ["bob"], "compliance-officer": ["ann"] },
      ["counted", "counted"],
    ],
    [
      "the same, listed out of time order",
      ML_AND_CO,
      [d("ann", BOTH, { hoursAgo: 2 }), d("bob", ML, { hoursAgo: 3 })],
      true,
      { "ml-lead": ["bob"], "compliance-officer": ["ann"] },
      ["counted", "counted"],
    ],
    ["a second ML Lead is not needed", ML_AND_CO, [d("bob", ML, { hoursAgo: 3 }), d("cat", ML, { hoursAgo: 2 })], false, { "ml-lead": ["bob"], "compliance-officer": [] }, ["counted", "not-needed"]],
    ["a role the policy did not ask for fills nothing", ML_AND_CO, [d("dan", ["admin"])], false, { "ml-lead": [], "compliance-officer": [] }, ["not-needed"]],
    ["no asked-for role at all", [{ role: "ml-lead", count: 1 }], [d("eve", [])], false, { "ml-lead": [] }, ["not-needed"]],
    ["two ML Leads fill a place for two", [{ role: "ml-lead", count: 2 }], [d("bob", ML), d("cat", ML)], true, { "ml-lead": ["bob", "cat"] }, ["counted", "counted"]],
    ["one person never fills two places of one role", [{ role: "ml-lead", count: 2 }], [d("bob", ML), d("bob", ML)], false, { "ml-lead": ["bob"] }, ["replaced", "counted"]],
    [
      "three places, three people, the two-role person goes where only they can stand",
      [{ role: "ml-lead", count: 2 }, { role: "compliance-officer", count: 1 }],
      [d("ann", BOTH, { hoursAgo: 5 }), d("bob", ML, { hoursAgo: 4 }), d("cat", ML, { hoursAgo: 3 })],
      true,
      { "ml-lead": ["bob", "cat"], "compliance-officer": ["ann"] },
      ["counted", "counted", "counted"],
    ],
    [
      "a chain of moves: each earlier approver steps aside for the next",
      [{ role: "a", count: 1 }, { role: "b", count: 1 }, { role: "c", count: 1 }],
      [d("p", ["a", "b"], { hoursAgo: 5 }), d("q", ["b", "c"], { hoursAgo: 4 }), d("r", ["a"], { hoursAgo: 3 })],
      true,
      { a: ["r"], b: ["p"], c: ["q"] },
      ["counted", "counted", "counted"],
    ],
    [
      "emergency: an ML Lead and an admin",
      [...EMERGENCY_QUORUM],
      [d("bob", ML), d("ada", ["admin"])],
      true,
      { "ml-lead": ["bob"], admin: ["ada"] },
      ["counted", "counted"],
    ],
    ["emergency: an ML Lead who is also admin is not enough alone", [...EMERGENCY_QUORUM], [d("bob", ["ml-lead", "admin"])], false, { "ml-lead": ["bob"], admin: [] }, ["counted"]],
  ])("%s", (_name, requirements, decisions, met, expectedFilled, expectedStates) => {
    const r = evaluate(requirements, decisions);
    expect(r.met).toBe(met);
    expect(filled(r)).toEqual(expectedFilled);
    expect(states(r)).toEqual(expectedStates);
    const places = requirements.reduce((n, q) => n + q.count, 0);
    const counted = r.decisions.filter((x) => x.state === "counted").length;
    expect(r.missing.reduce((n, m) => n + m.count, 0)).toBe(places - counted);
    for (const x of r.decisions) expect(x.countedAs !== null).toBe(x.state === "counted");
  });

  it("whoever approves first, two people holding ML Lead (one also compliance) meet an ML Lead + compliance quorum", () => {
    for (const [first, second] of [
      [d("ann", BOTH, { hoursAgo: 3 }), d("bob", ML, { hoursAgo: 2 })],
      [d("bob", ML, { hoursAgo: 3 }), d("ann", BOTH, { hoursAgo: 2 })],
    ]) {
      for (const decisions of [[first, second], [second, first]]) {
        const r = evaluate(ML_AND_CO, decisions);
        expect(r.met).toBe(true);
        expect(r.missing).toEqual([]);
        expect(Object.fromEntries(r.decisions.map((x) => [x.id, x.countedAs]))).toEqual({
          [decisions.find((x) => x.userId === "ann")!.id]: "compliance-officer",
          [decisions.find((x) => x.userId === "bob")!.id]: "ml-lead",
        });
      }
    }
  });

  it("says what is missing, by role", () => {
    const r = evaluate([{ role: "ml-lead", count: 2 }, { role: "compliance-officer", count: 1 }, { role: "admin", count: 1 }], [d("bob", ML), d("ada", ["admin"])]);
    expect(r.met).toBe(false);
    expect(r.missing).toEqual([
      { role: "ml-lead", count: 1 },
      { role: "compliance-officer", count: 1 },
    ]);
    expect(r.slots).toEqual([
      { role: "ml-lead", count: 2, filledBy: [{ userId: "bob", userLabel: "BOB" }] },
      { role: "compliance-officer", count: 1, filledBy: [] },
      { role: "admin", count: 1, filledBy: [{ userId: "ada", userLabel: "ADA" }] },
    ]);
  });

  it("counts places, not roles, when the same role is asked for twice", () => {
    const twice = [
      { role: "ml-lead", count: 1 },
      { role: "ml-lead", count: 1 },
    ];
    const one = evaluate(twice, [d("bob", ML)]);
    expect(one.met).toBe(false);
    expect(one.missing).toEqual([{ role: "ml-lead", count: 1 }]);
    expect(evaluate(twice, [d("bob", ML), d("cat", ML)]).met).toBe(true);
  });
});

describe("evaluateQuorum: which decisions count", () => {
  const ONE_ML: Requirement[] = [{ role: "ml-lead", count: 1 }];
  type Row = [name: string, decisions: DecisionInput[], options: Partial<QuorumInput>, met: boolean, states: DecisionState[]];
  it.each<Row>([
    ["a current approval", [d("bob", ML)], {}, true, ["counted"]],
    ["an approval on older evidence is stale", [d("bob", ML, { hash: "hash-before" })], {}, false, ["stale"]],
    ["an approval just inside the time-to-live", [d("bob", ML, { hoursAgo: 7 * 24 - 0.001 })], {}, true, ["counted"]],
    ["an approval exactly the time-to-live old has expired", [d("bob", ML, { hoursAgo: 7 * 24 })], {}, false, ["expired"]],
    ["an approval older than the time-to-live has expired", [d("bob", ML, { hoursAgo: 8 * 24 })], {}, false, ["expired"]],
    ["an old approval still counts while expiry is paused (rolling out)", [d("bob", ML, { hoursAgo: 30 * 24 })], { expiryPaused: true }, true, ["counted"]],
    ["pausing expiry does not make a stale approval count", [d("bob", ML, { hoursAgo: 30 * 24, hash: "hash-before" })], { expiryPaused: true }, false, ["stale"]],
    ["stale and expired: stale is what needs doing", [d("bob", ML, { hoursAgo: 30 * 24, hash: "hash-before" })], {}, false, ["stale"]],
    ["a shorter time-to-live", [d("bob", ML, { hoursAgo: 2 })], { ttlMs: HOUR }, false, ["expired"]],
    ["a rejection never counts", [d("bob", ML, { decision: "reject" })], {}, false, ["not-an-approval"]],
    ["a request for changes never counts", [d("bob", ML, { decision: "request-changes" })], {}, false, ["not-an-approval"]],
    ["an earlier round", [d("bob", ML, { round: 1 })], {}, false, ["earlier-round"]],
    ["an earlier round, even on today's evidence and by the same person", [d("bob", ML, { round: 1, hoursAgo: 3 }), d("bob", ML, { decision: "reject", hoursAgo: 2 })], {}, false, ["earlier-round", "not-an-approval"]],
    ["an approval in round 2 after changes were requested in round 1", [d("bob", ML, { round: 1, decision: "request-changes", hoursAgo: 5 }), d("bob", ML, { hoursAgo: 1 })], {}, true, ["earlier-round", "counted"]],
    ["a later approval replaces a rejection", [d("bob", ML, { decision: "reject", hoursAgo: 3 }), d("bob", ML, { hoursAgo: 2 })], {}, true, ["replaced", "counted"]],
    ["a later rejection withdraws an approval", [d("bob", ML, { hoursAgo: 3 }), d("bob", ML, { decision: "reject", hoursAgo: 2 })], {}, false, ["replaced", "not-an-approval"]],
    ["a later approval on new evidence replaces a stale one", [d("bob", ML, { hoursAgo: 3, hash: "hash-before" }), d("bob", ML, { hoursAgo: 2 })], {}, true, ["replaced", "counted"]],
    ["the latest decision wins whatever order they are listed in", [d("bob", ML, { hoursAgo: 2 }), d("bob", ML, { decision: "reject", hoursAgo: 3 })], {}, true, ["counted", "replaced"]],
    ["three decisions by one person: only the last stands", [d("bob", ML, { hoursAgo: 4 }), d("bob", ML, { decision: "request-changes", hoursAgo: 3 }), d("bob", ML, { hoursAgo: 2 })], {}, true, ["replaced", "replaced", "counted"]],
    ["a stale re-approval replaces a current one", [d("bob", ML, { hoursAgo: 3 }), d("bob", ML, { hoursAgo: 2, hash: "hash-before" })], {}, false, ["replaced", "stale"]],
    ["one person's rejection does not undo another's approval", [d("bob", ML, { hoursAgo: 3 }), d("cat", ML, { decision: "reject", hoursAgo: 2 })], {}, true, ["counted", "not-an-approval"]],
    ["an expired approval leaves the place to a current one", [d("bob", ML, { hoursAgo: 10 * 24 }), d("cat", ML)], {}, true, ["expired", "counted"]],
    ["dates as ISO strings", [{ ...d("bob", ML), createdAt: new Date(NOW.getTime() - 8 * 24 * HOUR).toISOString() }, { ...d("cat", ML), createdAt: NOW.toISOString() }], {}, true, ["expired", "counted"]],
  ])("%s", (_name, decisions, options, met, expected) => {
    const r = evaluate(ONE_ML, decisions, options);
    expect(states(r)).toEqual(expected);
    expect(r.met).toBe(met);
    expect(r.decisions.map((x) => x.id)).toEqual(decisions.map((x) => x.id));
  });

  it("does not let an expired or stale approval fill the second place of a two-role quorum", () => {
    const r = evaluate(ML_AND_CO, [d("bob", ML), d("cy", CO, { hash: "hash-before" }), d("cal", CO, { hoursAgo: 8 * 24 })]);
    expect(r.met).toBe(false);
    expect(r.missing).toEqual([{ role: "compliance-officer", count: 1 }]);
    expect(states(r)).toEqual(["counted", "stale", "expired"]);
  });
});
