import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { recordAuditEvent } from "./record";
import { verifyAuditChain } from "./verify";

// The parallel verifier: the chain cut into ranges, each checked in a worker thread on its own connection, then
// linked. Tampering is committed (the workers cannot see another connection's transaction) and undone after each
// case, so the chain other tests see is the same.
const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);
const actor: Actor = { kind: "system", label: "verify-test" };
const TRIGGER = "audit_events_no_update_or_delete";

async function behindTheTrigger(sql: string, ...args: unknown[]) {
  await db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`ALTER TABLE audit_events DISABLE TRIGGER ${TRIGGER}`);
    await tx.$executeRawUnsafe(sql, ...args);
    await tx.$executeRawUnsafe(`ALTER TABLE audit_events ENABLE TRIGGER ${TRIGGER}`);
  });
}

describe.skipIf(!hasDb)("verifying the audit chain in ranges", () => {
  let total = 0;
  beforeAll(async () => {
    for (let i = 0; i < 12; i++) await db.$transaction((tx) => recordAuditEvent(tx, { actor, action: "test.verify", target: { type: "test", id: String(i) }, after: { i, nested: { b: [1, { z: null, a: "é" }], a: true } } }));
    // Text that COPY's format and JSON both escape: the verifier must decode it back exactly.
    await db.$transaction((tx) =>
      recordAuditEvent(tx, { actor: { kind: "system", label: 'label with "quotes", a \\ and 𝒜' }, action: "test.verify", target: { type: "test", id: "tab\there" }, before: { "\\N": "\\N" }, after: { s: "\u0001 ctrl\nline\r\tend \b\f\v", "é": ["\t", 1.5e-7, -0, 1e21] }, reason: "first\nsecond\tthird \\ back" }),
    );
    total = await db.auditEvent.count();
  });
  afterAll(() => db.$disconnect());

  it.each([1, 2, 3, 7])("gives the same answer in %i part(s) as inside a transaction", async (parts) => {
    const inTx = await db.$transaction((tx) => verifyAuditChain(tx));
    expect(inTx).toEqual({ ok: true, checked: total, firstBrokenId: null });
    expect(await verifyAuditChain(undefined, { parts })).toEqual(inTx);
  });

  // With 3 parts of ceil(total / 3): where each kind of tampering is caught, by its own range or by the linking.
  const size = () => Math.ceil(total / 3);
  it.each<[string, () => number]>([
    ["the first event", () => 1],
    ["inside the first range", () => 2],
    ["the last event of a range", () => size()],
    ["the first event of the next range", () => size() + 1],
    ["the newest event", () => total],
  ])("an edited reason on %s is the first broken event, in one part and in three", async (_where, at) => {
    const id = at();
    const row = await db.auditEvent.findUniqueOrThrow({ where: { id: BigInt(id) } });
    await behindTheTrigger(`UPDATE audit_events SET reason = 'quietly rewritten' WHERE id = $1`, BigInt(id));
    try {
      for (const parts of [1, 3]) expect(await verifyAuditChain(undefined, { parts }), `${parts} part(s)`).toEqual({ ok: false, checked: id - 1, firstBrokenId: String(id) });
      expect(await db.$transaction((tx) => verifyAuditChain(tx))).toEqual({ ok: false, checked: id - 1, firstBrokenId: String(id) });
    } finally {
      await behindTheTrigger(`UPDATE audit_events SET reason = $2 WHERE id = $1`, BigInt(id), row.reason);
    }
    expect((await verifyAuditChain(undefined, { parts: 3 })).ok).toBe(true);
  });

  it.each<[string, () => number]>([
    ["inside a range", () => 2],
    ["at the end of a range", () => size()],
    ["at the start of a range", () => size() + 1],
  ])("a removed event %s breaks the chain at the event after it", async (_where, at) => {
    const id = at();
    const row = (await db.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM audit_events WHERE id = $1`, BigInt(id)))[0];
    await behindTheTrigger(`DELETE FROM audit_events WHERE id = $1`, BigInt(id));
    try {
      for (const parts of [1, 3]) {
        const result = await verifyAuditChain(undefined, { parts });
        expect(result, `${parts} part(s)`).toMatchObject({ ok: false, firstBrokenId: String(id + 1) });
      }
    } finally {
      const cols = Object.keys(row);
      await behindTheTrigger(`INSERT INTO audit_events (${cols.map((c) => `"${c}"`).join(", ")}) SELECT * FROM json_populate_record(NULL::audit_events, $1::json)`, JSON.stringify(row, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
    }
    expect(await verifyAuditChain(undefined, { parts: 3 })).toEqual({ ok: true, checked: total, firstBrokenId: null });
  });

  it("an event slipped in below id 1 is caught, in any split and inside a transaction", async () => {
    // The table lets anyone with INSERT add a row; no writer gives an id below 1, so such a row is a forgery.
    await db.$executeRawUnsafe(`INSERT INTO audit_events (id, occurred_at, actor_type, actor_label, action, target_type, target_id, prev_hash, hash)
      VALUES (0, '2020-01-01T00:00:00Z', 'system', 'backdated', 'test.forged', 'test', 'x', $1, $2)`, "0".repeat(64), "e".repeat(64));
    try {
      for (const parts of [1, 3]) expect(await verifyAuditChain(undefined, { parts }), `${parts} part(s)`).toEqual({ ok: false, checked: 0, firstBrokenId: "0" });
      expect(await db.$transaction((tx) => verifyAuditChain(tx))).toEqual({ ok: false, checked: 0, firstBrokenId: "0" });
    } finally {
      await behindTheTrigger(`DELETE FROM audit_events WHERE id = $1`, 0n);
    }
    expect((await verifyAuditChain(undefined, { parts: 3 })).ok).toBe(true);
  });

  it("never starts more than 8 threads, however many parts are asked for", async () => {
    expect(await verifyAuditChain(undefined, { parts: 10_000 })).toEqual({ ok: true, checked: total, firstBrokenId: null });
  });

  it("the first event must link to the genesis hash, in any split", async () => {
    const first = await db.auditEvent.findUniqueOrThrow({ where: { id: 1n } });
    await behindTheTrigger(`UPDATE audit_events SET prev_hash = $1 WHERE id = 1`, "f".repeat(64));
    try {
      for (const parts of [1, 3]) expect(await verifyAuditChain(undefined, { parts })).toMatchObject({ ok: false, firstBrokenId: "1" });
    } finally {
      await behindTheTrigger(`UPDATE audit_events SET prev_hash = $1 WHERE id = 1`, first.prevHash);
    }
  });
});
