import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { getPromotion } from "@/lib/promotions/views";
import { addReport } from "@/lib/registry/reports";
import { CHURN_ROLLOUT, CREDIT_RISK_ROLLOUT, RECSYS_ROLLOUT } from "@/prisma/demo-rollouts";
import { decideCheckpoint } from "./control";
import { getIncident } from "./incidents";
import { DEMO_PROFILES, POINTS_PER_MINUTE, backfillChampions, simulateTick } from "./simulate";
import { makeScene, rolloutScenario, type Scene } from "./test-fixtures";
import { getRollout } from "./views";

// The demo's three stories on a fake clock, with the demo's own plans and traffic profiles on models of our own:
// the simulator feeds them minute by minute and the scheduler it ticks moves them on.
const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);
const T0 = new Date("2031-06-02T09:00:20Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe.skipIf(!hasDb)("the demo simulator in PostgreSQL", () => {
  let s: Scene;
  beforeAll(async () => {
    s = await makeScene();
  });
  afterAll(async () => {
    await db.$disconnect();
  });

  it("a passing canary completes, a slowing one rolls back with an incident, a shadow run waits for compliance", { timeout: 180_000 }, async () => {
    const pass = await rolloutScenario(s, RECSYS_ROLLOUT, T0);
    const breach = await rolloutScenario(s, CHURN_ROLLOUT, T0);
    const shadow = await rolloutScenario(s, CREDIT_RISK_ROLLOUT, T0);
    await addReport({ actor: s.engineer, model: shadow.model, version: String(shadow.v2), input: { kind: "offline-metrics", payload: { dataset: { name: "holdout" }, metrics: { auc: 0.921 } } } });
    const profiles = { [pass.model]: DEMO_PROFILES["recsys-ranker"], [breach.model]: DEMO_PROFILES["churn-predictor"], [shadow.model]: DEMO_PROFILES["credit-risk"] };
    const scheduler = { name: `simulate-${pass.rollout.id}`, only: [pass.rollout.id, breach.rollout.id, shadow.rollout.id] };
    const statusOf = async (id: string) => (await db.rollout.findUniqueOrThrow({ where: { id } })).status;

    // The seed's backfill: the champions' last ten minutes before the rollouts, the challengers' nothing.
    expect(await backfillChampions({ now: at(1), profiles })).toBe(30);
    const before = await db.metricRollup.findMany({ where: { modelId: pass.rollout.modelId, metric: "ctr" }, orderBy: { bucket: "asc" } });
    expect(before).toHaveLength(10);
    expect(before.every((r) => r.versionId === pass.rollout.championVersionId && r.bucket < T0)).toBe(true);

    const stories: Record<string, string[]> = {};
    for (let t = 5; t <= 26 * 60; t += 15) {
      // The simulator is down for three minutes (a restart): it catches up on its next pass.
      if (t > 15 * 60 && t < 18 * 60) continue;
      // Two simulators at once (the server's and the CLI's), just after a minute ends, still send it once.
      const passes = await Promise.all(Array.from({ length: t === 10 * 60 + 50 ? 2 : 1 }, () => simulateTick({ now: at(t), profiles, scheduler })));
      if (passes.length === 2) expect(passes.flatMap((p) => p.sent).map((x) => x.minutes)).toEqual([1, 1]);
      for (const done of passes) {
        expect(done.failed).toEqual([]);
        for (const r of done.tick.rollouts) if (r.action !== "hold") (stories[r.id] ??= []).push(r.action);
      }
      if (t === 6 * 60 + 5) {
        // Six minutes in: the churn canary has already rolled back; the others are still live.
        expect(await statusOf(breach.rollout.id)).toBe("rolled-back");
        expect(await statusOf(pass.rollout.id)).toBe("running");
      }
    }

    // recsys: 10% → 50% → 100%, complete, and the ten-minute watch window ends quietly.
    expect(stories[pass.rollout.id]).toEqual(["advance", "advance", "complete", "end-watch"]);
    const passed = await getRollout({ actor: s.viewer, id: pass.rollout.id });
    expect(passed.status).toBe("completed");
    expect(passed.events.map((e) => e.kind)).toEqual(["started", "advanced", "advanced", "completed", "watch-ended"]);
    expect((await getPromotion({ actor: s.viewer, id: pass.request.id })).status).toBe("applied");

    // churn: its p95 climbs through the 100 ms bound within minutes; traffic back to the champion, an incident opened.
    expect(stories[breach.rollout.id]).toEqual(["rollback"]);
    const rolledBack = await getRollout({ actor: s.viewer, id: breach.rollout.id });
    expect(rolledBack).toMatchObject({ status: "rolled-back", trafficPercent: 0 });
    const incident = await getIncident({ actor: s.viewer, id: rolledBack.incidents[0].id });
    expect(incident).toMatchObject({ kind: "rollback", status: "open", challenger: breach.v2, champion: breach.v1 });
    expect(incident.title).toMatch(/latency_p95_ms/);

    // credit-risk: three minutes of agreeing shadow traffic, then it waits for a compliance officer, still mirrored.
    expect(stories[shadow.rollout.id]).toEqual(["wait"]);
    const waiting = await getRollout({ actor: s.viewer, id: shadow.rollout.id });
    expect(waiting).toMatchObject({ status: "waiting", mode: "shadow", waitingFor: "a compliance-officer after shadow" });
    expect(waiting.judgement?.agreement).toEqual([expect.objectContaining({ metric: "auc", offline: 0.921, agrees: true })]);
    // Every minute was sent once, restarts and all: a minute's latency rollup holds one minute of points.
    const latency = await db.metricRollup.findMany({ where: { modelId: shadow.rollout.modelId, metric: "latency_p95_ms", versionId: shadow.rollout.challengerVersionId } });
    expect(latency).toHaveLength(26);
    expect(latency.every((r) => r.items === POINTS_PER_MINUTE)).toBe(true);

    const approved = await decideCheckpoint({ actor: s.compliance, id: shadow.rollout.id, input: { decision: "approve", comment: "Shadow agrees with the offline report; fair lending review done." }, now: at(26 * 60 + 20) });
    expect(approved).toMatchObject({ status: "running", mode: "canary", trafficPercent: 10 });
    const next = await simulateTick({ now: at(27 * 60 + 5), profiles, scheduler });
    expect(next.sent.find((x) => x.model === shadow.model)).toMatchObject({ minutes: 1, traffic: { champion: 0.9, challenger: 0.1 } });
  });
});
