import { afterAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { recordAuditEvent } from "./record";
import { verifyAuditChain } from "./verify";

// Runs against the real PostgreSQL that `npm test` starts (DATABASE_URL); no mocks.
// On CI a missing database fails these tests instead of skipping them.
const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);
const actor: Actor = { kind: "system", label: "audit-test" };

describe.skipIf(!hasDb)("the audit chain in PostgreSQL", () => {
  afterAll(() => db.$disconnect());

  it("stays one unbroken chain under concurrent writers", async () => {
    const before = await db.auditEvent.count();
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        db.$transaction(async (tx) => {
          await recordAuditEvent(tx, { actor, action: "test.concurrent", target: { type: "test", id: String(i) }, after: { i } });
        }),
      ),
    );
    const ids = (await db.auditEvent.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((r) => Number(r.id));
    expect(ids).toHaveLength(before + 40);
    expect(ids).toEqual(ids.map((_, i) => i + 1));
    expect(await verifyAuditChain()).toEqual({ ok: true, checked: before + 40, firstBrokenId: null });
  });

  it("writes nothing when the change it records rolls back", async () => {
    const before = await db.auditEvent.count();
    await expect(
      db.$transaction(async (tx) => {
        await recordAuditEvent(tx, { actor, action: "test.rolled-back", target: { type: "test", id: "x" } });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await db.auditEvent.count()).toBe(before);
    expect((await verifyAuditChain()).ok).toBe(true);
  });

  it("stores before/after so the hash recomputes from what the database returns", async () => {
    await db.$transaction((tx) =>
      recordAuditEvent(tx, {
        actor,
        action: "test.json",
        target: { type: "test", id: "json" },
        before: { z: 1, a: [1, 2.5, "x"], nested: { when: new Date("2026-01-01T00:00:00Z") } },
        after: { unicode: "café ✓", empty: {}, nil: null },
        reason: "  trimmed  ",
      }),
    );
    const last = await db.auditEvent.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(last.reason).toBe("trimmed");
    expect((await verifyAuditChain()).ok).toBe(true);
  });

  it("reports the first altered event when a row is changed behind the trigger's back", async () => {
    const target = await db.auditEvent.findFirstOrThrow({ orderBy: { id: "asc" }, skip: 1 });
    // Only a superuser can disable the trigger; everything happens in a transaction that is rolled back.
    const outcome = await db
      .$transaction(async (tx) => {
        await tx.$executeRawUnsafe(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_or_delete`);
        await tx.$executeRaw`UPDATE audit_events SET reason = 'quietly rewritten' WHERE id = ${target.id}`;
        const result = await verifyAuditChain(tx);
        throw Object.assign(new Error("roll back"), { result });
      })
      .catch((e: { result?: unknown }) => e.result);
    expect(outcome).toMatchObject({ ok: false, firstBrokenId: target.id.toString() });
    expect((await verifyAuditChain()).ok).toBe(true);
  });

  it.each([
    ["UPDATE", `UPDATE audit_events SET reason = 'rewritten'`],
    ["DELETE", `DELETE FROM audit_events`],
    ["TRUNCATE", `TRUNCATE audit_events`],
  ])("rejects %s on the audit table", async (op, sql) => {
    await expect(db.$executeRawUnsafe(sql)).rejects.toThrow(new RegExp(`append-only: ${op} is not allowed`));
    expect((await verifyAuditChain()).ok).toBe(true);
  });
});
