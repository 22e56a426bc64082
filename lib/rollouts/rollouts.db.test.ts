import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/verify";
import { db } from "@/lib/db";
import { ingestMetrics } from "@/lib/metrics/ingest";
import { cancelPromotion, requestPromotion } from "@/lib/promotions/request";
import { COMMENT, SYSTEM_ACTOR, goodVersion, makeModel } from "@/lib/promotions/test-fixtures";
import { getPromotion } from "@/lib/promotions/views";
import { importAliases, resolveAlias } from "@/lib/registry/aliases";
import { addReport } from "@/lib/registry/reports";
import { controlRollout, decideCheckpoint } from "./control";
import { getIncident, listIncidents, updateIncident } from "./incidents";
import { resolveRouting } from "./routing";
import { CANARY, HOUR, MINUTE, ROLLOUT_POLICY, makeScene, rolloutScenario, sendMinutes, type Scene } from "./test-fixtures";
import { stepRollout, tickRollouts } from "./tick";
import { getRollout } from "./views";

// Against the real PostgreSQL of `npm test`, on a fake clock: rollouts driven by live metrics as users meet them.
const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);
const T0 = new Date("2031-03-01T10:00:00Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);
const healthy = { latency: 120, errorRate: 0.01 };

describe.skipIf(!hasDb)("rollouts in PostgreSQL", () => {
  let s: Scene;
  const holder = async (model: string, alias: string) => (await resolveAlias({ actor: SYSTEM_ACTOR, model, alias }).catch(() => null))?.view.version ?? null;

  beforeAll(async () => {
    s = await makeScene();
  });
  afterAll(async () => {
    expect((await verifyAuditChain()).ok).toBe(true);
    await db.$disconnect();
  });

  it("a healthy canary advances step by step, completes, moves @staging and clears @challenger; the watch window ends quietly", async () => {
    const { model, v1, v2, request, rollout } = await rolloutScenario(s, CANARY, T0);
    expect((await getPromotion({ actor: s.viewer, id: request.id })).status).toBe("rolling-out");
    expect(await holder(model, "challenger")).toBe(v2);
    expect((await resolveRouting({ actor: s.viewer, model })).view).toMatchObject({ mode: "canary", challengerTrafficPercent: 10, champion: { version: v1 }, challenger: { version: v2 }, rolloutId: rollout.id });

    // Too early: the hold has not elapsed (and no data has come in yet).
    expect(await stepRollout(rollout.id, at(20))).toMatchObject({ action: "hold" });
    await sendMinutes({ actor: s.engineer, model, from: T0, minutes: 60, versions: { [v1]: healthy, [v2]: { latency: 118, errorRate: 0.0102 } } });
    expect(await stepRollout(rollout.id, at(60))).toMatchObject({ action: "advance", reason: expect.stringMatching(/Verdict Pass.*canary 100%/) });
    const routed = await resolveRouting({ actor: s.viewer, model });
    expect(routed.view).toMatchObject({ mode: "canary", challengerTrafficPercent: 100 });

    // At 100% the champion serves nothing: the challenger is judged against the champion's last traffic before the step.
    await sendMinutes({ actor: s.engineer, model, from: at(60), minutes: 60, versions: { [v2]: { latency: 119, errorRate: 0.0101 } } });
    const done = await stepRollout(rollout.id, at(120));
    expect(done).toMatchObject({ action: "complete" });
    const view = await getRollout({ actor: s.viewer, id: rollout.id, now: at(120) });
    expect(view.status).toBe("watching");
    expect(view.judgement?.verdict.metrics.find((m) => m.metric === "latency_p95_ms")?.explanation).toMatch(/before this step/);
    expect(await holder(model, "staging")).toBe(v2);
    expect(await holder(model, "challenger")).toBeNull();
    expect((await resolveRouting({ actor: s.viewer, model })).view).toMatchObject({ mode: "none", challenger: null, challengerTrafficPercent: 0 });
    expect((await getPromotion({ actor: s.viewer, id: request.id })).status).toBe("applied");
    const history = await db.aliasChange.findMany({ where: { modelId: rollout.modelId, alias: "staging" }, orderBy: { createdAt: "desc" }, take: 1 });
    expect(history[0]).toMatchObject({ fromVersion: v1, toVersion: v2, via: "rollout", requestId: request.id });

    await sendMinutes({ actor: s.engineer, model, from: at(120), minutes: 60, versions: { [v2]: { latency: 119, errorRate: 0.0101 } } });
    expect(await stepRollout(rollout.id, at(180))).toMatchObject({ action: "hold" });
    expect(await stepRollout(rollout.id, at(241))).toMatchObject({ action: "end-watch" });
    const final = await getRollout({ actor: s.viewer, id: rollout.id });
    expect(final.status).toBe("completed");
    expect(final.events.map((e) => e.kind)).toEqual(["started", "advanced", "completed", "watch-ended"]);
    const audit = await db.auditEvent.findMany({ where: { targetType: "rollout", targetId: rollout.id }, orderBy: { id: "asc" } });
    expect(audit.map((e) => e.action)).toEqual(["rollout.started", "rollout.advanced", "rollout.completed", "rollout.watch-ended"]);
  });

  it("a breach rolls back at once: traffic to 0, @challenger cleared, request rolled back, an incident opened", async () => {
    const { model, v1, v2, request, rollout } = await rolloutScenario(s, CANARY, T0);
    await sendMinutes({ actor: s.engineer, model, from: T0, minutes: 15, versions: { [v1]: healthy, [v2]: { latency: 320, errorRate: 0.01 } } });
    const d = await stepRollout(rollout.id, at(15));
    expect(d).toMatchObject({ action: "rollback", reason: expect.stringMatching(/latency_p95_ms/) });
    expect((await resolveRouting({ actor: s.viewer, model })).view).toMatchObject({ mode: "none", challengerTrafficPercent: 0, challenger: null, champion: { version: v1 } });
    expect(await holder(model, "challenger")).toBeNull();
    expect(await holder(model, "staging")).toBe(v1);
    expect((await getPromotion({ actor: s.viewer, id: request.id })).status).toBe("rolled-back");
    const view = await getRollout({ actor: s.viewer, id: rollout.id });
    expect(view.status).toBe("rolled-back");
    expect(view.incidents).toHaveLength(1);
    const incident = await getIncident({ actor: s.viewer, id: String(view.incidents[0].number) });
    expect(incident).toMatchObject({ kind: "rollback", status: "open", challenger: v2, champion: v1 });
    expect(incident.title).toMatch(/latency_p95_ms breached during the rollout/);
    expect(JSON.stringify(incident.criteria)).toMatch(/above|at most 250/);
    expect((await listIncidents({ actor: s.viewer, query: { model, status: "open" } })).items.map((i) => i.id)).toEqual([incident.id]);

    await expect(updateIncident({ actor: s.engineer, id: incident.id, action: "acknowledge", input: { comment: COMMENT } })).rejects.toMatchObject({ status: 403 });
    await expect(updateIncident({ actor: s.lead, id: incident.id, action: "acknowledge", input: { comment: "ok" } })).rejects.toThrow(/at least 20 characters/);
    const acked = await updateIncident({ actor: s.lead, id: incident.id, action: "acknowledge", input: { comment: "Looking at the latency regression in the new feature join." } });
    expect(acked).toMatchObject({ status: "acknowledged", acknowledged: { by: s.lead.label } });
    await expect(updateIncident({ actor: s.lead, id: incident.id, action: "acknowledge", input: { comment: COMMENT } })).rejects.toMatchObject({ status: 409 });
    const resolved = await updateIncident({ actor: s.lead, id: incident.id, action: "resolve", input: { comment: "The join is fixed in v3; v2 stays retired." } });
    expect(resolved.status).toBe("resolved");
    // Further steps change nothing.
    expect(await stepRollout(rollout.id, at(200))).toBeNull();
  });

  it("no data holds the rollout however long it waits; it never advances on silence", async () => {
    const { model, rollout } = await rolloutScenario(s, CANARY, T0);
    const before = await resolveRouting({ actor: s.viewer, model });
    const d = await stepRollout(rollout.id, at(600));
    // Judging refreshes the rollout row but not the split: the serving layer's ETag stays valid.
    expect((await resolveRouting({ actor: s.viewer, model })).etag).toBe(before.etag);
    expect(d).toMatchObject({ action: "hold", reason: expect.stringMatching(/No data yet/) });
    expect((await getRollout({ actor: s.viewer, id: rollout.id })).step?.index).toBe(0);
  });

  it("a checkpoint waits for its role, refuses others, and moves on when approved", async () => {
    const withCheckpoint = `${CANARY}checkpoints:\n  - { after: canary, step: 1, role: compliance-officer }\n`;
    const { model, v1, v2, rollout } = await rolloutScenario(s, withCheckpoint, T0);
    await sendMinutes({ actor: s.engineer, model, from: T0, minutes: 60, versions: { [v1]: healthy, [v2]: healthy } });
    expect(await stepRollout(rollout.id, at(60))).toMatchObject({ action: "wait", reason: expect.stringMatching(/compliance-officer/) });
    expect((await resolveRouting({ actor: s.viewer, model })).view.challengerTrafficPercent).toBe(10);
    await expect(decideCheckpoint({ actor: s.lead, id: rollout.id, input: { decision: "approve", comment: COMMENT }, now: at(61) })).rejects.toMatchObject({ status: 403 });
    await expect(controlRollout({ actor: s.lead, id: rollout.id, action: "advance", input: { comment: COMMENT }, now: at(61) })).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/cannot skip an approval checkpoint/) });
    const after = await decideCheckpoint({ actor: s.compliance, id: rollout.id, input: { decision: "approve", comment: "Shadow and first canary step reviewed against the fairness report." }, now: at(62) });
    expect(after).toMatchObject({ status: "running", trafficPercent: 100, step: { index: 1 } });
    expect(after.checkpointDecisions).toEqual([expect.objectContaining({ checkpoint: "canary:1", decision: "approve", roles: ["compliance-officer"] })]);
    await expect(db.rolloutDecision.deleteMany({ where: { rolloutId: rollout.id } })).rejects.toThrow(/append-only/);
  });

  it("ml-leads pause, resume, advance early and abort, each with a comment; others may not", async () => {
    const { model, v2, request, rollout } = await rolloutScenario(s, CANARY, T0);
    await expect(controlRollout({ actor: s.engineer, id: rollout.id, action: "pause", input: { comment: COMMENT } })).rejects.toMatchObject({ status: 403 });
    await expect(controlRollout({ actor: s.lead, id: rollout.id, action: "pause", input: { comment: "" } })).rejects.toThrow(/Write a comment/);
    const paused = await controlRollout({ actor: s.lead, id: rollout.id, action: "pause", input: { comment: "Pausing while the feature store is migrated." }, now: at(10) });
    expect(paused.status).toBe("paused");
    expect((await resolveRouting({ actor: s.viewer, model })).view).toMatchObject({ paused: true, challengerTrafficPercent: 10 });
    await expect(controlRollout({ actor: s.lead, id: rollout.id, action: "pause", input: { comment: COMMENT } })).rejects.toMatchObject({ status: 409 });
    const resumed = await controlRollout({ actor: s.lead, id: rollout.id, action: "resume", input: { comment: "Feature store migration finished, resuming." }, now: at(70) });
    expect(resumed.status).toBe("running");
    // The hour paused does not count towards the hold.
    expect(resumed.step?.heldMs).toBeLessThan(11 * MINUTE);
    const advanced = await controlRollout({ actor: s.lead, id: rollout.id, action: "advance", input: { comment: "Advancing early: the canary traffic is too thin to judge." }, now: at(71) });
    expect(advanced).toMatchObject({ trafficPercent: 100, step: { index: 1 } });
    const aborted = await controlRollout({ actor: s.lead, id: rollout.id, action: "abort", input: { comment: "Aborting: a data bug was found upstream." }, now: at(72) });
    expect(aborted).toMatchObject({ status: "aborted", trafficPercent: 0, mode: "none" });
    expect(await holder(model, "challenger")).toBeNull();
    expect((await getPromotion({ actor: s.viewer, id: request.id })).status).toBe("cancelled");
    expect(aborted.incidents).toEqual([]);
    expect(aborted.events.map((e) => e.kind)).toEqual(["started", "paused", "resumed", "advanced", "aborted"]);
    expect(v2).toBeGreaterThan(0);
  });

  it("cancelling the request stops its rollout", async () => {
    const { model, request, rollout } = await rolloutScenario(s, CANARY, T0);
    await cancelPromotion({ actor: s.engineer, id: request.id, input: { comment: "Withdrawn: the wrong artifact was registered." } });
    expect((await getRollout({ actor: s.viewer, id: rollout.id })).status).toBe("aborted");
    expect((await resolveRouting({ actor: s.viewer, model })).view.mode).toBe("none");
  });

  it("a breach inside the watch window puts the previous champion back and opens an incident", async () => {
    const blueGreen = CANARY.replace(/strategy: canary\ncanary:\n  steps:\n.*\n.*\n/, "strategy: blue-green\nblueGreen: { bake: 30m }\n");
    const { model, v1, v2, request, rollout } = await rolloutScenario(s, blueGreen, at(60));
    // The champion's traffic before the switch is the baseline.
    await sendMinutes({ actor: s.engineer, model, from: T0, minutes: 60, versions: { [v1]: healthy } });
    await sendMinutes({ actor: s.engineer, model, from: at(60), minutes: 30, versions: { [v2]: healthy } });
    expect(await stepRollout(rollout.id, at(90))).toMatchObject({ action: "complete" });
    expect(await holder(model, "staging")).toBe(v2);
    await sendMinutes({ actor: s.engineer, model, from: at(90), minutes: 20, versions: { [v2]: { latency: 400, errorRate: 0.01 } } });
    expect(await stepRollout(rollout.id, at(110))).toMatchObject({ action: "watch-rollback" });
    expect(await holder(model, "staging")).toBe(v1);
    expect((await getPromotion({ actor: s.viewer, id: request.id })).status).toBe("rolled-back");
    const view = await getRollout({ actor: s.viewer, id: rollout.id });
    expect(view.status).toBe("rolled-back");
    expect((await getIncident({ actor: s.viewer, id: view.incidents[0].id })).kind).toBe("watch-rollback");
  });

  it("shadow: mirrored at 0%, ends after a stable day with live-versus-offline agreement, then waits for compliance", async () => {
    const shadow = CANARY.replace("strategy: canary", "strategy: shadow-then-canary\nshadow: { minDuration: 1d, stableDays: 1 }\ncheckpoints:\n  - { after: shadow, role: compliance-officer }");
    const { model, v1, v2, rollout } = await rolloutScenario(s, shadow, T0);
    await addReport({ actor: s.engineer, model, version: String(v2), input: { kind: "offline-metrics", payload: { dataset: { name: "holdout" }, metrics: { precision: 0.81, recall: 0.7 } } } });
    expect((await resolveRouting({ actor: s.viewer, model })).view).toMatchObject({ mode: "shadow", challengerTrafficPercent: 0, challenger: { version: v2 } });
    for (let h = 0; h < 24; h++) {
      await sendMinutes({ actor: s.engineer, model, from: at(h * 60), minutes: 60, versions: { [v1]: healthy, [v2]: healthy } });
      await ingestMetrics({ actor: s.engineer, model, input: { items: [{ version: v2, metric: "precision", timestamp: at(h * 60 + 30).toISOString(), value: 0.8 }] }, now: at(h * 60 + 59) });
    }
    expect(await stepRollout(rollout.id, at(23 * 60))).toMatchObject({ action: "hold", reason: expect.stringMatching(/Holding shadow/) });
    expect(await stepRollout(rollout.id, at(24 * 60))).toMatchObject({ action: "wait", reason: expect.stringMatching(/Shadow stable for 1 day.*compliance-officer after shadow/) });
    const view = await getRollout({ actor: s.viewer, id: rollout.id });
    expect(view.judgement).toMatchObject({ stableDays: 1, agreement: [{ metric: "precision", live: expect.closeTo(0.8, 9), offline: 0.81, agrees: true }] });
    expect(view.waitingFor).toBe("a compliance-officer after shadow");
  });

  it("a request that reached rolling-out without a rollout (approved before the engine existed) gets one on the next tick", async () => {
    const model = await makeModel({ team: s.team, engineer: s.engineer, policy: ROLLOUT_POLICY(CANARY).replace("quorum: []", "quorum: [{ role: ml-lead }]") });
    const v1 = await goodVersion(model, s.engineer);
    await importAliases({ actor: SYSTEM_ACTOR, model, aliases: { staging: v1 }, reason: "the running version" });
    const v2 = await goodVersion(model, s.engineer);
    const request = await requestPromotion({ actor: s.engineer, input: { model, version: v2, stage: "staging", justification: "Retrained with the new features; offline metrics improved." } });
    await db.promotionRequest.update({ where: { id: request.id }, data: { status: "rolling-out" } });
    const tick = await tickRollouts({ name: `adopt-${request.id}`, only: [] });
    expect(tick.ran).toBe(true);
    const rollout = await db.rollout.findUniqueOrThrow({ where: { requestId: request.id } });
    expect(rollout).toMatchObject({ status: "running", challengerVersion: v2, championVersion: v1, trafficPercent: 10 });
    expect(await holder(model, "challenger")).toBe(v2);
  });

  it("two schedulers on one database never double-advance a rollout", async () => {
    const { model, v1, v2, rollout } = await rolloutScenario(s, CANARY, T0);
    await sendMinutes({ actor: s.engineer, model, from: T0, minutes: 60, versions: { [v1]: healthy, [v2]: healthy } });
    const name = `test-${rollout.id}`;
    const ticks = await Promise.all([tickRollouts({ now: at(60), name, everyMs: 10_000, only: [rollout.id] }), tickRollouts({ now: at(60), name, everyMs: 10_000, only: [rollout.id] })]);
    expect(ticks.filter((t) => t.ran)).toHaveLength(1);
    // Even two steps racing on the same rollout (no tick claim at all) advance it once.
    const again = await rolloutScenario(s, CANARY, T0);
    await sendMinutes({ actor: s.engineer, model: again.model, from: T0, minutes: 60, versions: { [again.v1]: healthy, [again.v2]: healthy } });
    const raced = await Promise.all([stepRollout(again.rollout.id, at(60)), stepRollout(again.rollout.id, at(60)), stepRollout(again.rollout.id, at(60))]);
    expect(raced.filter((d) => d?.action === "advance")).toHaveLength(1);
    expect(await db.rolloutEvent.count({ where: { rolloutId: again.rollout.id, kind: "advanced" } })).toBe(1);
    expect((await getRollout({ actor: s.viewer, id: again.rollout.id })).step?.index).toBe(1);
    // A later tick of the same scheduler runs; the same tick again does not.
    expect((await tickRollouts({ now: at(61), name, everyMs: 10_000, only: [rollout.id] })).ran).toBe(true);
    expect((await tickRollouts({ now: at(61), name, everyMs: 10_000, only: [rollout.id] })).ran).toBe(false);
    expect((await tickRollouts({ now: new Date(at(61).getTime() + 4_000), name, everyMs: 10_000, only: [rollout.id] })).ran).toBe(false);
    // A longer period set later (or on another instance) does not starve the scheduler.
    expect((await tickRollouts({ now: at(92), name, everyMs: HOUR, only: [rollout.id] })).ran).toBe(true);
    expect((await tickRollouts({ now: at(93), name, everyMs: HOUR, only: [rollout.id] })).ran).toBe(false);
    expect((await tickRollouts({ now: at(93), name, everyMs: 10_000, only: [rollout.id] })).ran).toBe(true);
  });
});
