import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { Actor } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { requestPromotion } from "@/lib/promotions/request";
import { rollbackAlias } from "@/lib/promotions/rollback";
import { goodVersion, makeModel, makeTeam, makeUser } from "@/lib/promotions/test-fixtures";
import { aliasAt, deleteAlias, setAlias } from "./aliases";

// "Which version held the alias at time T?", against the real PostgreSQL of `npm test`.
const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);
type User = Actor & { kind: "user" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const justification = "Retrained on October data; offline AUC improved.";

describe.skipIf(!hasDb)("time travel: which version held the alias at T", () => {
  let team: { id: string; slug: string };
  let engineer: User, lead: User, viewer: User, otherEngineer: User, model: string;
  beforeAll(async () => {
    team = await makeTeam("travel");
    const other = await makeTeam("travel-other");
    engineer = await makeUser("eve-engineer", ["engineer"], team.id);
    lead = await makeUser("lee-lead", ["ml-lead"], team.id);
    viewer = await makeUser("vic-viewer", ["viewer"], null);
    otherEngineer = await makeUser("oli-engineer", ["engineer"], other.id);
    model = await makeModel({ team, engineer });
    await goodVersion(model, engineer);
  });
  afterAll(async () => {
    await db.$disconnect();
  });

  it("before the first set, between moves, after a deletion and a new set", async () => {
    const m = await makeModel({ team, engineer });
    for (let i = 0; i < 3; i++) await goodVersion(m, engineer);
    await expect(aliasAt({ actor: viewer, model: m, alias: "candidate" })).rejects.toMatchObject({ status: 404 });
    const times: Date[] = [];
    const mark = async () => {
      await sleep(15);
      times.push(new Date());
      await sleep(15);
    };
    await mark(); // 0: never set
    await setAlias({ actor: engineer, model: m, alias: "candidate", input: { version: 1, reason: "first candidate" } });
    await mark(); // 1: v1
    await setAlias({ actor: lead, model: m, alias: "candidate", input: { version: 2, reason: "better recall" } });
    await mark(); // 2: v2
    await deleteAlias({ actor: engineer, model: m, alias: "candidate", reason: "withdrawn for review" });
    await mark(); // 3: deleted
    await setAlias({ actor: engineer, model: m, alias: "candidate", input: { version: 3, reason: "back with v3" } });
    await mark(); // 4: v3

    const at = (i: number) => aliasAt({ actor: viewer, model: m, alias: "candidate", at: times[i] });
    expect(await at(0)).toMatchObject({ model: m, alias: "candidate", at: times[0].toISOString(), version: null, since: null });
    expect(await at(1)).toMatchObject({ version: 1, since: { fromVersion: null, toVersion: 1, actor: engineer.label, reason: "first candidate", via: "direct" } });
    expect(await at(2)).toMatchObject({ version: 2, since: { fromVersion: 1, toVersion: 2, actor: lead.label, reason: "better recall" } });
    expect(await at(3)).toMatchObject({ version: null, since: { fromVersion: 2, toVersion: null, reason: "withdrawn for review" } });
    expect(await at(4)).toMatchObject({ version: 3, since: { fromVersion: null, toVersion: 3 } });
    const now = await aliasAt({ actor: viewer, model: m, alias: "candidate" });
    expect(now.version).toBe(3);
    expect(now.history.map((h) => [h.fromVersion, h.toVersion])).toEqual([[null, 3], [2, null], [1, 2], [null, 1]]);
    // The very instant of a change already shows it.
    const second = now.history[2];
    expect((await aliasAt({ actor: viewer, model: m, alias: "candidate", at: new Date(second.at) })).version).toBe(2);
    expect((await aliasAt({ actor: viewer, model: m, alias: "candidate", at: new Date(new Date(second.at).getTime() - 1) })).version).toBe(1);
  });

  it("through promotions and a rollback, naming the request behind each change", async () => {
    const m = await makeModel({ team, engineer });
    await goodVersion(m, engineer);
    await goodVersion(m, engineer);
    const r1 = await requestPromotion({ actor: engineer, input: { model: m, version: 1, stage: "staging", justification } });
    await sleep(15);
    const t1 = new Date();
    await sleep(15);
    const r2 = await requestPromotion({ actor: engineer, input: { model: m, version: 2, stage: "staging", justification } });
    expect([r1.status, r2.status]).toEqual(["applied", "applied"]);
    await sleep(15);
    const t2 = new Date();
    await sleep(15);
    await rollbackAlias({ actor: lead, model: m, alias: "staging", input: { comment: "v2 misbehaves under real traffic." } });
    await sleep(15);
    const t3 = new Date();

    expect(await aliasAt({ actor: viewer, model: m, alias: "staging", at: t1 })).toMatchObject({ version: 1, since: { via: "promotion", requestId: r1.id } });
    expect(await aliasAt({ actor: viewer, model: m, alias: "staging", at: t2 })).toMatchObject({ version: 2, since: { via: "promotion", requestId: r2.id, reason: `Promotion #${r2.number}: ${justification}` } });
    const after = await aliasAt({ actor: viewer, model: m, alias: "staging", at: t3 });
    expect(after).toMatchObject({ version: 1, since: { fromVersion: 2, toVersion: 1, via: "rollback", actor: lead.label, reason: "v2 misbehaves under real traffic.", requestId: r2.id } });
    expect(after.history.map((h) => h.request)).toEqual([{ id: r2.id, number: r2.number }, { id: r2.id, number: r2.number }, { id: r1.id, number: r1.number }]);
  });

  it("answers only to readers of the model, and refuses a bad alias name", async () => {
    await expect(aliasAt({ actor: otherEngineer, model, alias: "staging" })).rejects.toMatchObject({ status: 404 });
    await expect(aliasAt({ actor: null, model, alias: "staging" })).rejects.toMatchObject({ status: 401 });
    await expect(aliasAt({ actor: viewer, model, alias: "Not An Alias!" })).rejects.toBeInstanceOf(ZodError);
  });
});
