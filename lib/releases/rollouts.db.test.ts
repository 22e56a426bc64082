import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/verify";
import { db } from "@/lib/db";
import { SYSTEM_ACTOR, goodVersion, makeModel } from "@/lib/promotions/test-fixtures";
import { importAliases, resolveAlias } from "@/lib/registry/aliases";
import { updateVersion } from "@/lib/registry/versions";
import { controlRollout } from "@/lib/rollouts/control";
import { CANARY, MINUTE, ROLLOUT_POLICY, makeScene, sendMinutes, type Scene } from "@/lib/rollouts/test-fixtures";
import { tickRollouts } from "@/lib/rollouts/tick";
import { createRelease } from "./release";
import { getRelease } from "./views";

// A release whose members roll out: they move through their steps together, complete in one transaction, and a
// breach in any of them rolls the whole release back. Real PostgreSQL, fake clock.
const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);
const healthy = { latency: 120, errorRate: 0.01 };
const slow = { latency: 400, errorRate: 0.01 };

describe.skipIf(!hasDb)("release rollouts in PostgreSQL", () => {
  let s: Scene;
  let clock = Date.parse("2031-06-01T10:00:00Z");
  const holder = async (model: string, alias: string) => (await resolveAlias({ actor: SYSTEM_ACTOR, model, alias }).catch(() => null))?.view.version ?? null;

  beforeAll(async () => {
    s = await makeScene();
  });
  afterAll(async () => {
    expect((await verifyAuditChain()).ok).toBe(true);
    await db.$disconnect();
  });

  /** Two models whose staging rolls out as a canary (no approvals), v1 in place; a release of both v2s at a fresh T0. */
  async function scenario(o: { rules?: (models: string[]) => { model: string; requires: string; versions: string }[] } = {}) {
    const T0 = new Date((clock += 30 * 86_400_000));
    const models: string[] = [];
    for (let i = 0; i < 2; i++) {
      const model = await makeModel({ team: s.team, engineer: s.engineer, policy: ROLLOUT_POLICY(CANARY) });
      const v1 = await goodVersion(model, s.engineer);
      await goodVersion(model, s.engineer);
      await importAliases({ actor: SYSTEM_ACTOR, model, aliases: { staging: v1 }, reason: "running" });
      models.push(model);
    }
    const release = await createRelease({ actor: s.engineer, input: { name: "pair", justification: "Encoder and ranker retrained together on the new click logs.", members: models.map((model) => ({ model, version: 2, stage: "staging" })), rules: o.rules?.(models) ?? [] }, now: T0 });
    const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);
    const tick = (minutes: number) => tickRollouts({ now: at(minutes), name: `release-${release.id}-${minutes}`, everyMs: 10_000 });
    // In half-hour batches, as a collector would send them (a point may arrive at most an hour late).
    const send = async (model: string, from: number, minutes: number, challenger: typeof healthy) => {
      for (let m = from; m < from + minutes; m += 30) await sendMinutes({ actor: s.engineer, model, from: at(m), minutes: Math.min(30, from + minutes - m), versions: { 1: healthy, 2: challenger } });
    };
    return { release, models, at, tick, send };
  }
  const rollouts = async (releaseId: string) => db.rollout.findMany({ where: { request: { releaseId } }, orderBy: { number: "asc" } });

  it("starts every member's rollout together, holds the ready one for the other, and completes both in one transaction", async () => {
    const { release, models, at, tick, send } = await scenario();
    expect((await getRelease({ actor: s.viewer, id: release.id })).status).toBe("rolling-out");
    expect((await rollouts(release.id)).map((r) => [r.status, r.trafficPercent])).toEqual([["running", 10], ["running", 10]]);

    // Only the first member has data after its hour: it is ready, the other is not, so neither moves.
    await send(models[0], 0, 65, healthy);
    await tick(66);
    let rs = await rollouts(release.id);
    expect(rs.map((r) => r.trafficPercent)).toEqual([10, 10]);
    expect(rs[0].statusReason).toMatch(/^Ready to move on; waiting for .* \(the release moves together\)/);

    // With both ready, both move on at the same tick.
    await send(models[1], 10, 57, healthy);
    await tick(67);
    rs = await rollouts(release.id);
    expect(rs.map((r) => r.trafficPercent)).toEqual([100, 100]);
    expect([await holder(models[0], "staging"), await holder(models[1], "staging")]).toEqual([1, 1]);

    // An ml-lead cannot push one member ahead of the other.
    await expect(controlRollout({ actor: s.lead, id: rs[0].id, action: "advance", input: { comment: "Trying to push the encoder ahead alone." } })).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/members move together/) });

    for (const m of models) await send(m, 67, 63, healthy);
    await tick(130);
    rs = await rollouts(release.id);
    expect(rs.map((r) => r.status)).toEqual(["watching", "watching"]);
    expect([await holder(models[0], "staging"), await holder(models[1], "staging")]).toEqual([2, 2]);
    const done = await getRelease({ actor: s.viewer, id: release.id });
    expect(done).toMatchObject({ status: "applied", members: [{ status: "applied" }, { status: "applied" }] });
    // Both aliases moved in the tick's one transaction, next to the release's own event.
    const events = await db.auditEvent.findMany({ where: { OR: [{ action: "alias.set", targetId: { in: models.map((m) => `${m}@staging`) } }, { action: "release.applied", targetId: release.id }] }, orderBy: { id: "asc" } });
    const moves = events.filter((e) => e.action === "alias.set" && (e.after as { version: number }).version === 2);
    expect(moves).toHaveLength(2);
    expect(events.find((e) => e.action === "release.applied")).toBeTruthy();

    // Inside the watch window, one member breaches: both aliases go back to v1 together.
    await send(models[0], 130, 20, healthy);
    await sendMinutes({ actor: s.engineer, model: models[1], from: at(130), minutes: 20, versions: { 2: slow } });
    await tick(151);
    expect([await holder(models[0], "staging"), await holder(models[1], "staging")]).toEqual([1, 1]);
    expect((await rollouts(release.id)).map((r) => r.status)).toEqual(["rolled-back", "rolled-back"]);
    expect(await getRelease({ actor: s.viewer, id: release.id })).toMatchObject({ status: "rolled-back", members: [{ status: "rolled-back" }, { status: "rolled-back" }] });
  });

  it("checks the rules again before completing: a dependency moved during the rollout holds the completion", async () => {
    const tokenizer = await makeModel({ team: s.team, engineer: s.engineer });
    const t1 = await goodVersion(tokenizer, s.engineer);
    const t2 = await goodVersion(tokenizer, s.engineer);
    await importAliases({ actor: SYSTEM_ACTOR, model: tokenizer, aliases: { staging: t2 }, reason: "running" });
    const { release, models, tick, send } = await scenario({ rules: (m) => [{ model: m[1], requires: tokenizer, versions: ">=2" }] });
    for (const m of models) await send(m, 0, 65, healthy);
    await tick(66);
    await importAliases({ actor: SYSTEM_ACTOR, model: tokenizer, aliases: { staging: t1 }, reason: "the tokenizer went back" });
    for (const m of models) await send(m, 66, 64, healthy);
    await tick(130);
    let rs = await rollouts(release.id);
    expect(rs.map((r) => [r.status, r.trafficPercent])).toEqual([["running", 100], ["running", 100]]);
    expect(rs[0].statusReason).toMatch(new RegExp(`^Ready to complete, but a compatibility rule fails: .*${tokenizer}@staging would be v1, outside >=2`));
    expect([await holder(models[0], "staging"), await holder(models[1], "staging")]).toEqual([1, 1]);
    await importAliases({ actor: SYSTEM_ACTOR, model: tokenizer, aliases: { staging: t2 }, reason: "fixed" });
    await tick(131);
    rs = await rollouts(release.id);
    expect(rs.map((r) => r.status)).toEqual(["watching", "watching"]);
    expect((await getRelease({ actor: s.viewer, id: release.id })).status).toBe("applied");
  });

  it("a breach in one member rolls the whole release back, with one incident for the member that breached", async () => {
    const { release, models, tick, send } = await scenario();
    await send(models[0], 0, 20, healthy);
    await send(models[1], 0, 20, slow);
    await tick(21);
    const rs = await rollouts(release.id);
    expect(rs.map((r) => r.status)).toEqual(["rolled-back", "rolled-back"]);
    expect(rs[0].statusReason).toMatch(/^Rolled back with its release: .* v2: Rollback criteria breached/);
    const r = await getRelease({ actor: s.viewer, id: release.id });
    expect(r).toMatchObject({ status: "rolled-back", members: [{ status: "rolled-back" }, { status: "rolled-back" }] });
    expect([await holder(models[0], "staging"), await holder(models[1], "staging")]).toEqual([1, 1]);
    expect([await holder(models[0], "challenger"), await holder(models[1], "challenger")]).toEqual([null, null]);
    const incidents = await db.incident.findMany({ where: { rolloutId: { in: rs.map((x) => x.id) } } });
    expect(incidents.map((i) => i.modelId)).toEqual([rs[1].modelId]);
  });

  it("a member stopped without its release following (a lost settle): the next tick stops the rest, never completing one alone", async () => {
    const { release, models, tick, send } = await scenario();
    const rs = await rollouts(release.id);
    // As if the abort of the second member committed and the process died before its release settled.
    await db.rollout.update({ where: { id: rs[1].id }, data: { status: "aborted", trafficPercent: 0, mode: "none" } });
    await db.promotionRequest.update({ where: { id: rs[1].requestId }, data: { status: "cancelled", statusReason: "Aborted." } });
    await send(models[0], 0, 65, healthy);
    await tick(66);
    expect((await rollouts(release.id)).map((x) => x.status)).toEqual(["aborted", "aborted"]);
    expect((await getRelease({ actor: s.viewer, id: release.id })).status).toBe("cancelled");
    expect([await holder(models[0], "staging"), await holder(models[1], "staging")]).toEqual([1, 1]);
  });

  it("a version moving with a release cannot be archived while the release rolls out", async () => {
    const { release, models } = await scenario();
    expect((await getRelease({ actor: s.viewer, id: release.id })).status).toBe("rolling-out");
    await expect(updateVersion({ actor: s.engineer, model: models[0], version: "2", input: { status: "archived" } })).rejects.toMatchObject({ status: 409 });
  });

  it("aborting one member's rollout stops the whole release", async () => {
    const { release, tick } = await scenario();
    const rs = await rollouts(release.id);
    await controlRollout({ actor: s.lead, id: rs[1].id, action: "abort", input: { comment: "The ranker's feature pipeline is late; stopping the pair." } });
    await tick(1);
    const r = await getRelease({ actor: s.viewer, id: release.id });
    expect(r).toMatchObject({ status: "cancelled", members: [{ status: "cancelled" }, { status: "cancelled" }] });
    expect((await rollouts(release.id)).map((x) => x.status)).toEqual(["aborted", "aborted"]);
  });
});
