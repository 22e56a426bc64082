import { describe, expect, it } from "vitest";
import { GENESIS_HASH, canonicalJson, chainEvent, eventBody, hashEvent, rowBody, verifyChain, type AuditContent, type ChainedEvent } from "./chain";

describe("canonicalJson", () => {
  it.each([
    ["sorts keys at every depth", { b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }, '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}'],
    ["drops undefined members", { a: undefined, b: "x" }, '{"b":"x"}'],
    ["encodes dates as ISO 8601 UTC", { t: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)) }, '{"t":"2026-01-02T03:04:05.006Z"}'],
    ["encodes bigints as strings", { id: 12n }, '{"id":"12"}'],
    ["escapes strings as JSON does", { s: 'quote " and \n' }, '{"s":"quote \\" and \\n"}'],
    ["orders keys by code unit, not locale", { B: 1, a: 2, _: 3 }, '{"B":1,"_":3,"a":2}'],
    ["null and undefined at the top", null, "null"],
    ["undefined inside an array is null, as JSON.stringify writes it", [1, undefined, "x"], '[1,null,"x"]'],
    ["empty object and array", { a: {}, b: [] }, '{"a":{},"b":[]}'],
    ["orders non-ASCII keys by UTF-16 code unit (an astral character's surrogates sort below U+FFFF)", { "\uffff": 1, "𝒜": 2, é: 3, z: 4 }, '{"z":4,"é":3,"𝒜":2,"\uffff":1}'],
    ["booleans and negative zero", { t: true, f: false, z: -0 }, '{"f":false,"t":true,"z":0}'],
  ])("%s", (_name, input, expected) => {
    expect(canonicalJson(input)).toBe(expected);
  });

  it("refuses non-finite numbers and what JSON cannot hold", () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/finite/);
    expect(() => canonicalJson({ x: Number.POSITIVE_INFINITY })).toThrow(/finite/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/cannot encode function/);
  });
});

const content = (id: number, over: Partial<AuditContent> = {}): AuditContent => ({
  id: String(id),
  occurredAt: `2026-11-22T10:00:0${id % 10}.000Z`,
  actorType: "user",
  actorId: "u1",
  actorLabel: "ada@example.com",
  action: "team.create",
  targetType: "team",
  targetId: `t${id}`,
  teamId: null,
  before: null,
  after: { slug: `team-${id}` },
  reason: null,
  ...over,
});

function buildChain(n: number): ChainedEvent[] {
  const out: ChainedEvent[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const e = chainEvent(content(i), prev);
    out.push(e);
    prev = e.hash;
  }
  return out;
}

describe("eventBody", () => {
  // The hash is defined as sha256(canonicalJson({ ...content, prevHash })); eventBody writes that out with the keys
  // in their fixed order, for speed. Both must give the same text for every shape of event.
  it.each([
    ["a plain event", content(1)],
    ["null actor, team and reason", content(2, { actorId: null, teamId: null, reason: null, actorType: "system" })],
    ["before and after with unsorted, nested keys", content(3, { before: { z: [{ b: 1, a: 2 }], a: null }, after: { "é": "ü", B: true, a: 1.5e-7 } })],
    ["strings that need escaping", content(4, { actorLabel: 'quote " back \\ slash', reason: "line\nbreak\ttab \u0001", targetId: "𝒜\u2028" })],
    ["a JSON array as after", content(5, { after: [3, "x", { k: "v" }], before: "just a string" })],
  ])("%s", (_name, c) => {
    const prev = "a".repeat(64);
    expect(eventBody(c, prev)).toBe(canonicalJson({ ...c, prevHash: prev }));
    // The verifier's row form (verify-range.mjs) writes the same text.
    const row = [c.id, c.occurredAt, c.actorType, c.actorId, c.actorLabel, c.action, c.targetType, c.targetId, c.teamId, c.before, c.after, c.reason, prev, "h"];
    expect(rowBody(row, prev)).toBe(eventBody(c, prev));
  });
});

describe("hashEvent", () => {
  it("is a SHA-256 hex digest that depends on content and on the previous hash", () => {
    const h = hashEvent(content(1), GENESIS_HASH);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(hashEvent(content(1), GENESIS_HASH)).toBe(h);
    expect(hashEvent(content(1, { reason: "because" }), GENESIS_HASH)).not.toBe(h);
    expect(hashEvent(content(1), "f".repeat(64))).not.toBe(h);
  });

  it("does not depend on key order in before/after", () => {
    const a = hashEvent(content(1, { after: { x: 1, y: 2 } }), GENESIS_HASH);
    const b = hashEvent(content(1, { after: { y: 2, x: 1 } }), GENESIS_HASH);
    expect(a).toBe(b);
  });

  it("matches a known vector, so the encoding cannot drift unnoticed", () => {
    // Recomputed independently: sha256 of the canonical JSON of content(1) with prevHash = 64 zeros.
    expect(hashEvent(content(1), GENESIS_HASH)).toBe(KNOWN_VECTOR);
  });
});

const KNOWN_VECTOR = "3c66ace7e7b1197b337ceb8dbba2b7f137dd166e1b80f6b6a29a818bd0253c68";

describe("verifyChain", () => {
  const chain = buildChain(5);
  const tamper = (i: number, patch: Partial<ChainedEvent>) => chain.map((e, j) => (j === i ? { ...e, ...patch } : e));

  it.each<[string, ChainedEvent[], { ok: boolean; checked: number; firstBrokenId: string | null }]>([
    ["an empty chain", [], { ok: true, checked: 0, firstBrokenId: null }],
    ["an intact chain", chain, { ok: true, checked: 5, firstBrokenId: null }],
    ["an edited comment", tamper(2, { reason: "edited later" }), { ok: false, checked: 2, firstBrokenId: "3" }],
    ["an edited after-value", tamper(0, { after: { slug: "other" } }), { ok: false, checked: 0, firstBrokenId: "1" }],
    ["a removed event", [...chain.slice(0, 2), ...chain.slice(3)], { ok: false, checked: 2, firstBrokenId: "4" }],
    ["a re-hashed forgery that keeps the next link", tamper(1, { ...chainEvent(content(2, { actorLabel: "mallory" }), chain[0].hash) }), { ok: false, checked: 2, firstBrokenId: "3" }],
    ["swapped events", [chain[0], chain[2], chain[1], chain[3]], { ok: false, checked: 1, firstBrokenId: "3" }],
  ])("%s", (_name, events, expected) => {
    const result = verifyChain(events);
    expect({ ok: result.ok, checked: result.checked, firstBrokenId: result.firstBrokenId }).toEqual(expected);
  });

  it("verifies page by page with the state carried over", () => {
    const first = verifyChain(chain.slice(0, 3));
    const second = verifyChain(chain.slice(3), { prevHash: first.lastHash, prevId: first.prevId, checked: first.checked });
    expect(second).toMatchObject({ ok: true, checked: 5, lastHash: chain[4].hash });
  });
});
