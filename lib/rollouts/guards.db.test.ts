import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/verify";
import { db } from "@/lib/db";
import { requestPromotion } from "@/lib/promotions/request";
import { rollbackAlias } from "@/lib/promotions/rollback";
import { COMMENT, SYSTEM_ACTOR, goodVersion, makeModel, makeUser } from "@/lib/promotions/test-fixtures";
import { getPromotion } from "@/lib/promotions/views";
import { importAliases, resolveAlias } from "@/lib/registry/aliases";
import { updateVersion } from "@/lib/registry/versions";
import { decideCheckpoint } from "./control";
import { getIncident } from "./incidents";
import { resolveRouting } from "./routing";
import { CANARY, MINUTE, ROLLOUT_POLICY, makeScene, rolloutScenario, sendMinutes, type Scene } from "./test-fixtures";
import { stepRollout, tickRollouts } from "./tick";
import { getRollout } from "./views";

// The rollout engine's guard rails, against the real PostgreSQL on a fake clock: what may not happen, and what
// happens instead.
const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);
const T0 = new Date("2031-04-01T10:00:00Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);
const healthy = { latency: 120, errorRate: 0.01 };
const BLUE_GREEN = CANARY.replace(/strategy: canary\ncanary:\n  steps:\n.*\n.*\n/, "strategy: blue-green\nblueGreen: { bake: 30m }\n");

describe.skipIf(!hasDb)("rollout guard rails in PostgreSQL", () => {
  let s: Scene;
  const holder = async (model: string, alias: string) => (await resolveAlias({ actor: SYSTEM_ACTOR, model, alias }).catch(() => null))?.view.version ?? null;

  beforeAll(async () => {
    s = await makeScene();
  });
  afterAll(async () => {
    expect((await verifyAuditChain()).ok).toBe(true);
    await db.$disconnect();
  });

  it("a new request for an alias that is rolling out is refused, not a silent abort of the canary", async () => {
    const { model, rollout } = await rolloutScenario(s, CANARY, T0);
    const v3 = await goodVersion(model, s.engineer);
    await expect(requestPromotion({ actor: s.engineer, input: { model, version: v3, stage: "staging", justification: "A hotfix on top of the canary candidate." } })).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(new RegExp(`rolling out to ${model}@staging \\(rollout ${rollout.number}\\).*abort`)),
    });
    expect((await getRollout({ actor: s.viewer, id: rollout.id })).status).toBe("running");
  });

  it("the requester and the registrant cannot approve at a checkpoint (separation of duties)", async () => {
    const withCheckpoint = `${CANARY}checkpoints:\n  - { after: canary, step: 1, role: ml-lead }\n`;
    const both = await makeUser("Reg Lead", ["ml-lead", "engineer"], s.team.id);
    const model = await makeModel({ team: s.team, engineer: s.engineer, policy: ROLLOUT_POLICY(withCheckpoint) });
    const v1 = await goodVersion(model, s.engineer);
    await importAliases({ actor: SYSTEM_ACTOR, model, aliases: { staging: v1 }, reason: "the running version" });
    const v2 = await goodVersion(model, both);
    const request = await requestPromotion({ actor: both, input: { model, version: v2, stage: "staging", justification: "Registered and requested by the same lead." }, now: T0 });
    const rollout = await db.rollout.findUniqueOrThrow({ where: { requestId: request.id } });
    await sendMinutes({ actor: s.engineer, model, from: T0, minutes: 60, versions: { [v1]: healthy, [v2]: healthy } });
    expect(await stepRollout(rollout.id, at(60))).toMatchObject({ action: "wait" });
    await expect(decideCheckpoint({ actor: both, id: rollout.id, input: { decision: "approve", comment: COMMENT }, now: at(61) })).rejects.toThrow(/You requested this promotion/);
    expect((await decideCheckpoint({ actor: s.lead, id: rollout.id, input: { decision: "approve", comment: COMMENT }, now: at(62) })).trafficPercent).toBe(100);
  });

  it("one rollout per model: a second stage's rollout waits for the first to finish, then starts by itself", async () => {
    // Staging rolls out by this model's policy, production by the default's canary.
    const model = await makeModel({ team: s.team, engineer: s.engineer, policy: ROLLOUT_POLICY(CANARY) });
    const v1 = await goodVersion(model, s.engineer);
    await importAliases({ actor: SYSTEM_ACTOR, model, aliases: { staging: v1, champion: v1 }, reason: "the running version" });
    const v2 = await goodVersion(model, s.engineer);
    const first = await requestPromotion({ actor: s.engineer, input: { model, version: v2, stage: "staging", justification: "Canary in staging first." }, now: T0 });
    const staging = await db.rollout.findUniqueOrThrow({ where: { requestId: first.id } });
    // Production gates (mandatory in the default policy) need more evidence; stand the request in directly.
    const second = await db.promotionRequest.create({
      data: { modelId: staging.modelId, versionId: staging.challengerVersionId, stage: "production", alias: "champion", status: "rolling-out", justification: "Production next.", requesterLabel: "test", policyDefaultVersion: 0, policyModelVersion: 1, strategy: "canary", gates: [], gatesPassed: true, evidenceHash: "x", evaluatedAt: T0, expiresAt: at(60 * 24 * 30) },
    });
    await tickRollouts({ name: `one-per-model-${first.id}`, only: [] });
    expect(await db.rollout.findUnique({ where: { requestId: second.id } })).toBeNull();
    expect((await db.promotionRequest.findUniqueOrThrow({ where: { id: second.id } })).statusReason).toMatch(`starts when rollout ${staging.number} of @staging has finished`);
    expect((await resolveRouting({ actor: s.viewer, model })).view).toMatchObject({ rolloutId: staging.id });
    await db.rollout.update({ where: { id: staging.id }, data: { status: "aborted" } });
    await tickRollouts({ name: `one-per-model-2-${first.id}`, only: [] });
    expect(await db.rollout.findUnique({ where: { requestId: second.id } })).toMatchObject({ status: "running", alias: "champion" });
  });

  it("a watch-window breach with the old champion archived opens the incident, with its chart data, and leaves the alias", async () => {
    const { model, v1, v2, request, rollout } = await rolloutScenario(s, BLUE_GREEN, at(60));
    await sendMinutes({ actor: s.engineer, model, from: T0, minutes: 60, versions: { [v1]: healthy } });
    await sendMinutes({ actor: s.engineer, model, from: at(60), minutes: 30, versions: { [v2]: healthy } });
    expect(await stepRollout(rollout.id, at(90))).toMatchObject({ action: "complete" });
    await updateVersion({ actor: s.engineer, model, version: String(v1), input: { status: "archived" } });
    await sendMinutes({ actor: s.engineer, model, from: at(90), minutes: 20, versions: { [v2]: { latency: 400, errorRate: 0.01 } } });
    expect(await stepRollout(rollout.id, at(110))).toMatchObject({ action: "watch-rollback" });
    expect(await holder(model, "staging")).toBe(v2);
    const view = await getRollout({ actor: s.viewer, id: rollout.id });
    expect(view.status).toBe("completed");
    expect(view.statusReason).toMatch(/archived.*act on the incident by hand/);
    expect((await getPromotion({ actor: s.viewer, id: request.id })).status).toBe("applied");
    const incident = await getIncident({ actor: s.viewer, id: view.incidents[0].id });
    const charts = (incident.evidence as { charts: Record<string, { challenger: { at: string; value: number }[] }> }).charts;
    expect(charts.latency_p95_ms.challenger.length).toBeGreaterThanOrEqual(15);
    expect(charts.latency_p95_ms.challenger.every((p) => p.value > 300)).toBe(true);
  });

  it("rolling the alias back by hand after completion marks the request rolled back and ends the watch", async () => {
    const { model, v1, v2, request, rollout } = await rolloutScenario(s, BLUE_GREEN, at(60));
    await sendMinutes({ actor: s.engineer, model, from: T0, minutes: 60, versions: { [v1]: healthy } });
    await sendMinutes({ actor: s.engineer, model, from: at(60), minutes: 30, versions: { [v2]: healthy } });
    expect(await stepRollout(rollout.id, at(90))).toMatchObject({ action: "complete" });
    await rollbackAlias({ actor: s.lead, model, alias: "staging", input: { comment: "Customer complaints about v2 scores after the switch." } });
    expect(await holder(model, "staging")).toBe(v1);
    expect((await getPromotion({ actor: s.viewer, id: request.id })).status).toBe("rolled-back");
    expect((await getRollout({ actor: s.viewer, id: rollout.id })).status).toBe("rolled-back");
    expect(await stepRollout(rollout.id, at(100))).toBeNull();
  });
});
