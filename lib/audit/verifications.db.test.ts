import { afterAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { lastVerification, verifyAndRecord } from "./verifications";

// Against the real PostgreSQL of `npm test`: verifications are kept, and a chain shortened at its end is caught.
const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);
const auditor: Actor = { kind: "user", userId: "u-auditor", label: "auditor@test.local", name: "Aud", grants: [{ role: "auditor", teamId: null }] };
const teamAuditor: Actor = { kind: "user", userId: "u-team-auditor", label: "team-auditor@test.local", name: "Tau", grants: [{ role: "auditor", teamId: "some-team" }] };

describe.skipIf(!hasDb)("recorded chain verifications", () => {
  afterAll(async () => {
    await db.$disconnect();
  });

  it("are kept with who and when, and need an organisation-wide role", async () => {
    const v = await verifyAndRecord({ actor: auditor });
    expect(v).toMatchObject({ ok: true, firstBrokenId: null, verifiedBy: "auditor@test.local" });
    expect(v.verifiedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(v.checked).toBe((await db.auditEvent.count()) - 1); // its own event comes after the check
    expect(await lastVerification({ actor: auditor })).toEqual(v);
    await expect(verifyAndRecord({ actor: teamAuditor })).rejects.toMatchObject({ status: 403 });
    expect(await lastVerification({ actor: teamAuditor })).toBeNull();
  });

  it("fail when the newest event an earlier verification saw is no longer what it was (events removed from the end)", async () => {
    const head = await db.auditEvent.findFirstOrThrow({ orderBy: { id: "desc" } });
    // As if an earlier verification had seen a different event at this id: the one there now is not it.
    await db.auditVerification.create({ data: { ok: true, checked: Number(head.id), firstBrokenId: null, headId: head.id, headHash: "f".repeat(64), actorLabel: "earlier" } });
    const v = await verifyAndRecord({ actor: auditor });
    expect(v).toMatchObject({ ok: false, firstBrokenId: head.id.toString() });
    // Put the record straight for the test files that verify after this one.
    await db.auditVerification.create({ data: { ok: true, checked: Number(head.id), firstBrokenId: null, headId: head.id, headHash: head.hash, actorLabel: "repair" } });
    expect((await verifyAndRecord({ actor: auditor })).ok).toBe(true);
  });
});
