import { afterAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/verify";
import type { Actor } from "@/lib/auth/permissions";
import { createTeam } from "@/lib/auth/teams";
import { db } from "@/lib/db";
import { createModel } from "@/lib/registry/models";
import { getModelPolicy, putModelPolicy } from "./policies";

// Against the real PostgreSQL of `npm test`: a policy save is one new version plus its audit event, or nothing.
const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);
const ci: Actor = { kind: "service", tokenId: "t-policy-test", label: "token:policy-test", scopes: ["policies:write", "registry:write", "registry:read"] };
const suffix = Date.now().toString(36);
const text = (min: number) => `stages:\n  production:\n    gates:\n      - id: auc\n        type: metric\n        metric: auc\n        min: ${min}\n`;

describe.skipIf(!hasDb)("policy versions in PostgreSQL", () => {
  afterAll(async () => {
    expect((await verifyAuditChain()).ok).toBe(true);
    await db.$disconnect();
  });

  it("each save is a whole new version with its audit event; an invalid one writes nothing", async () => {
    await createTeam({ actor: { kind: "system", label: "test" }, input: { slug: `pol-${suffix}`, name: "Policy test" } });
    const model = await createModel({ actor: ci, input: { name: `p-${suffix}`, team: `pol-${suffix}` } });
    const saved = await putModelPolicy({ actor: ci, model: model.name, input: { document: text(0.9), comment: "first bar" } });
    expect(saved).toMatchObject({ version: 1, author: "token:policy-test", comment: "first bar" });
    expect(await db.auditEvent.findFirstOrThrow({ orderBy: { id: "desc" } })).toMatchObject({ action: "policy.update", targetType: "policy", targetId: model.name, before: { version: 0 }, after: { version: 1 }, reason: "first bar" });

    const events = await db.auditEvent.count();
    await expect(putModelPolicy({ actor: ci, model: model.name, input: { document: "stages:\n  production:\n    gates:\n      - id: x\n        type: magic\n", comment: "broken" } })).rejects.toMatchObject({ status: 422 });
    expect(await db.auditEvent.count()).toBe(events);
    expect((await getModelPolicy({ actor: ci, model: model.name })).version).toBe(1);
  });

  it("concurrent saves get consecutive versions, never the same one", async () => {
    const model = await createModel({ actor: ci, input: { name: `q-${suffix}`, team: `pol-${suffix}` } });
    const results = await Promise.all([0.8, 0.85, 0.9, 0.95].map((min) => putModelPolicy({ actor: ci, model: model.name, input: { document: text(min), comment: `bar ${min}` } })));
    expect(results.map((r) => r.version).sort()).toEqual([1, 2, 3, 4]);
    const rows = await db.policyVersion.findMany({ where: { scope: (await db.registeredModel.findUniqueOrThrow({ where: { name: model.name } })).id } });
    expect(rows).toHaveLength(4);
    await expect(db.$executeRaw`UPDATE policy_versions SET comment = 'rewritten' WHERE id = ${rows[0].id}`).rejects.toThrow(/append-only/);
  });
});
