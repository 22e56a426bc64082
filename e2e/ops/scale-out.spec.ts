import type { APIRequestContext } from "@playwright/test";
import { demoUser, sessionFor, tokenClient, unique } from "../support/api";
import { stagingReadyModel, versionBody } from "../support/registry";
import { COMMENT, JUSTIFICATION, ONE_LEAD, expect, test, type Instance } from "./support/cluster";

// Gatehouse as several stateless instances on one PostgreSQL: two server processes on two ports, one database.

async function sessions(i: Instance, ...roles: ("admin" | "lead" | "engineer" | "compliance" | "auditor")[]) {
  return Promise.all(roles.map((r) => sessionFor(i.url, demoUser(r))));
}

test("an alias moved on one instance is served by the other within a second", async ({ cluster }) => {
  const [a, b] = await Promise.all([cluster.start({ name: "A" }), cluster.start({ name: "B" })]);
  const [admin, engineer] = await sessions(a, "admin", "engineer");
  const created = await (await admin.post("/api/v1/tokens", { data: { name: unique("serving"), kind: "service", scopes: ["serving:read"] } })).json();
  const serving = await tokenClient(b.url, created.token);
  const name = unique("scale");
  expect((await engineer.post("/api/v1/models", { data: { name, team: "payments", description: "two instances" } })).status()).toBe(201);
  for (let i = 0; i < 2; i++) expect((await engineer.post(`/api/v1/models/${name}/versions`, { data: versionBody() })).status()).toBe(201);
  const set = async (version: number) => {
    const res = await engineer.put(`/api/v1/models/${name}/aliases/candidate`, { data: { version, reason: "Trying the other version." } });
    expect(res.status(), await res.text()).toBe(200);
  };
  await set(1);
  // B answers from its in-memory snapshot (the serving fast path), so it must hear of A's change to stay correct.
  let first = await serving.get(`/api/v1/models/${name}/aliases/candidate`);
  for (let i = 0; i < 20 && first.headers()["x-gatehouse-served-by"] !== "snapshot"; i++) first = await serving.get(`/api/v1/models/${name}/aliases/candidate`);
  expect(first.headers()["x-gatehouse-served-by"]).toBe("snapshot");
  expect((await first.json()).version).toBe(1);

  const waits: number[] = [];
  for (const version of [2, 1, 2, 1, 2]) {
    await set(version);
    const changed = Date.now();
    let served = 0;
    while (Date.now() - changed < 5_000) {
      const res = await serving.get(`/api/v1/models/${name}/aliases/candidate`);
      served = (await res.json()).version;
      if (served === version) break;
    }
    waits.push(Date.now() - changed);
    expect(served, `B still serves the old version ${Date.now() - changed} ms after the change`).toBe(version);
  }
  console.log(`alias changes reached the other instance after ${waits.join(", ")} ms`);
  expect(Math.max(...waits)).toBeLessThan(1_000);
  // The routing answer too (the serving layer's other lookup).
  const routing = await (await serving.get(`/api/v1/models/${name}/routing`)).json();
  expect(routing.model).toBe(name);
  await Promise.all([admin, engineer, serving].map((c) => c.dispose()));
});

test("approvals racing on two instances apply each promotion exactly once", async ({ cluster }) => {
  const [a, b] = await Promise.all([cluster.start({ name: "A" }), cluster.start({ name: "B" })]);
  const [adminA, engineerA, leadA] = await sessions(a, "admin", "engineer", "lead");
  const [leadB, complianceB] = await sessions(b, "lead", "compliance");

  // One ML Lead's approval applies it: the same lead approving through both instances at once.
  // Two roles: the two last approvals land on different instances at the same moment, and only one of them applies.
  const twoRoles = "stages:\n  staging:\n    approvals:\n      quorum: [{ role: ml-lead }, { role: compliance-officer }]\n      electronicSignature: never\n";
  const models = await Promise.all([
    ...Array.from({ length: 4 }, () => stagingReadyModel({ engineer: engineerA, admin: adminA, policy: ONE_LEAD, comment: "one ML Lead", versions: 1 })),
    ...Array.from({ length: 4 }, () => stagingReadyModel({ engineer: engineerA, admin: adminA, policy: twoRoles, comment: "lead and compliance", versions: 1 })),
  ]);
  const requests = await Promise.all(
    models.map(async (model) => {
      const res = await engineerA.post("/api/v1/promotions", { data: { model, version: 1, stage: "staging", justification: JUSTIFICATION } });
      expect(res.status(), await res.text()).toBe(201);
      return { model, id: (await res.json()).id as string };
    }),
  );
  const decide = (client: APIRequestContext, id: string) => client.post(`/api/v1/promotions/${id}/decisions`, { data: { decision: "approve", comment: COMMENT } });
  const outcomes = await Promise.all(
    requests.map(async ({ id }, i) => {
      const [x, y] = await Promise.all(i < 4 ? [decide(leadA, id), decide(leadB, id)] : [decide(leadA, id), decide(complianceB, id)]);
      return [x.status(), y.status()].sort();
    }),
  );
  // The lead's second approval is refused (already decided); the lead-and-compliance pairs both count.
  expect(outcomes.slice(0, 4)).toEqual(Array(4).fill([201, 409]));
  expect(outcomes.slice(4)).toEqual(Array(4).fill([201, 201]));

  for (const { model, id } of requests) {
    const [request] = await cluster.query<{ status: string }>("SELECT status FROM promotion_requests WHERE id = $1", [id]);
    expect(request.status, model).toBe("applied");
    const moves = await cluster.query("SELECT id FROM audit_events WHERE action = 'alias.set' AND target_id = $1", [`${model}@staging`]);
    expect(moves, `${model}: alias.set events`).toHaveLength(1);
    const applied = await cluster.query("SELECT id FROM audit_events WHERE action = 'promotion.applied' AND target_id = $1", [id]);
    expect(applied, `${model}: promotion.applied events`).toHaveLength(1);
  }
  const verified = await (await adminA.get("/api/v1/audit/verify")).json();
  expect(verified).toMatchObject({ ok: true });
  await Promise.all([adminA, engineerA, leadA, leadB, complianceB].map((c) => c.dispose()));
});

test("two schedulers never advance a rollout twice", async ({ cluster }) => {
  // Both instances tick every second; scheduler_ticks lets one of them run each tick.
  const env = { GATEHOUSE_ROLLOUT_TICK_SECONDS: "1" };
  const [a, b] = await Promise.all([cluster.start({ name: "A", env }), cluster.start({ name: "B", env })]);
  const [admin, engineer, lead] = await sessions(a, "admin", "engineer", "lead");
  const policy = `stages:
  staging:
    approvals:
      quorum: [{ role: ml-lead }]
      electronicSignature: never
    rollout:
      strategy: canary
      canary:
        steps:
          - { percent: 10, hold: 2s }
          - { percent: 25, hold: 2s }
          - { percent: 50, hold: 2s }
          - { percent: 100, hold: 2s }
`;
  const models = await Promise.all([1, 2, 3].map(() => stagingReadyModel({ engineer, admin, policy, comment: "a quick canary", versions: 1 })));
  const rollouts: string[] = [];
  for (const model of models) {
    const r = await (await engineer.post("/api/v1/promotions", { data: { model, version: 1, stage: "staging", justification: JUSTIFICATION } })).json();
    const res = await lead.post(`/api/v1/promotions/${r.id}/decisions`, { data: { decision: "approve", comment: COMMENT } });
    expect(res.status(), await res.text()).toBe(201);
    const [row] = await cluster.query<{ id: string }>("SELECT id FROM rollouts WHERE request_id = $1", [r.id]);
    rollouts.push(row.id);
  }
  const done = async () => (await cluster.query<{ status: string }>("SELECT status FROM rollouts WHERE id = ANY($1)", [rollouts])).map((r) => r.status);
  await expect.poll(done, { timeout: 60_000, intervals: [500] }).toEqual(["completed", "completed", "completed"]);

  for (const [i, id] of rollouts.entries()) {
    const events = await cluster.query<{ kind: string; step_index: number }>("SELECT kind, step_index FROM rollout_events WHERE rollout_id = $1 ORDER BY created_at, id", [id]);
    const advances = events.filter((e) => e.kind === "advanced").map((e) => e.step_index);
    // Each step advanced into once, in order; one start and one completion.
    expect(advances, `rollout of ${models[i]}`).toEqual([1, 2, 3]);
    expect(events.filter((e) => e.kind === "started")).toHaveLength(1);
    expect(events.filter((e) => e.kind === "completed")).toHaveLength(1);
    const moves = await cluster.query("SELECT id FROM audit_events WHERE action = 'alias.set' AND target_id = $1", [`${models[i]}@staging`]);
    expect(moves).toHaveLength(1);
  }
  // Each step was taken by one instance's tick: every rollout's advances and completion appear once across both logs.
  const steps = [a, b].map((i) => [...i.logs().matchAll(/\[gatehouse\] rollout (\d+): (\S+)/g)].map((m) => `${m[1]} ${m[2]}`));
  console.log(`steps taken: ${steps[0].length} by A, ${steps[1].length} by B`);
  const numbers = (await cluster.query<{ number: number }>("SELECT number FROM rollouts WHERE id = ANY($1)", [rollouts])).map((r) => r.number);
  const taken = [...steps[0], ...steps[1]].filter((s) => numbers.includes(Number(s.split(" ")[0])));
  expect(taken.sort()).toEqual(numbers.flatMap((n) => [`${n} advance`, `${n} advance`, `${n} advance`, `${n} complete`]).sort());
  for (const i of [a, b]) expect(i.logs()).not.toContain("could not be judged");
  expect((await (await admin.get("/api/v1/audit/verify")).json()).ok).toBe(true);
  await Promise.all([admin, engineer, lead].map((c) => c.dispose()));
});
