import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { demoUser, expectError, sessionFor, tokenClient, unique } from "../support/api";
import { STAGING_REPORTS, createModel, versionBody } from "../support/registry";

// Progressive rollout over HTTP, as the serving layer (routing with a serving:read token), a metrics pipeline and an
// ml-lead meet it, against the real server, scheduler and database. Automatic rollback is covered by
// lib/rollouts/rollouts.db.test.ts on a fake clock: on the real clock a breach needs at least `minSamples` (≥ 2) whole
// minutes of data after the rollout starts, which is more than a minute of waiting.
const PASSWORD = "rollout-e2e-password";
const JUSTIFICATION = "Retrained with the new features; offline metrics improved.";
const STAGING = "stages:\n  staging:\n    approvals:\n      quorum: []\n";
/** The same staging stage with a canary rollout added. */
const STAGING_WITH_CANARY = `${STAGING}    rollout:
      strategy: canary
      canary:
        steps:
          - { percent: 10, hold: 1h }
          - { percent: 100, hold: 1h }
      minSamples: 5
      criteria:
        - metric: latency_p95_ms
          kind: percentile
          direction: lower
          advance: { relative: 10 }
          rollback: { max: 250 }
        - metric: error_rate
          kind: ratio
          critical: true
          advance: { absolute: 0.002 }
`;

type Routing = {
  model: string;
  mode: string;
  challengerTrafficPercent: number;
  champion: { version: number; artifactUri: string; artifactChecksum: string } | null;
  challenger: { version: number; artifactUri: string; artifactChecksum: string } | null;
  rolloutId: string | null;
  rolloutNumber: number | null;
  paused: boolean;
  updatedAt: string | null;
};

test.describe("rollouts over HTTP", () => {
  test.describe.configure({ mode: "serial" });

  let admin: APIRequestContext;
  let engineer: APIRequestContext;
  let lead: APIRequestContext;
  let otherLead: APIRequestContext;
  let serving: APIRequestContext;
  let metrics: APIRequestContext;
  let leadEmail: string;
  let model: string;
  let rollout: { id: string; number: number; requestId: string };

  const routing = (client: APIRequestContext = serving, headers: Record<string, string> = {}) => client.get(`/api/v1/models/${model}/routing`, { headers });
  const control = (client: APIRequestContext, action: "pause" | "resume" | "advance" | "abort", comment?: string) =>
    client.post(`/api/v1/rollouts/${rollout.id}/${action}`, { data: comment === undefined ? {} : { comment } });
  async function ok<T>(res: APIResponse, status = 200): Promise<T> {
    expect(res.status(), await res.text()).toBe(status);
    return (await res.json()) as T;
  }
  /** Polls routing (the fast path) until `check` holds, for at most a second: how soon a serving layer sees a change. */
  async function routingWithinASecond(check: (r: Routing) => boolean): Promise<{ body: Routing; etag: string }> {
    let seen: { body: Routing; etag: string } | null = null;
    await expect
      .poll(
        async () => {
          const res = await routing();
          expect(res.status()).toBe(200);
          seen = { body: (await res.json()) as Routing, etag: res.headers()["etag"] };
          return check(seen.body);
        },
        { timeout: 1_000, intervals: [50] },
      )
      .toBe(true);
    return seen!;
  }

  test.beforeAll(async ({ baseURL }) => {
    admin = await sessionFor(baseURL!, demoUser("admin"));
    // A team of our own, so nobody else's rollouts or grants get in the way: an engineer and an ml-lead of it.
    const team = unique("rollouts");
    await ok(await admin.post("/api/v1/teams", { data: { slug: team, name: "Rollouts e2e" } }), 201);
    const user = async (role: string) => {
      const email = `${unique(role)}@example.com`;
      await ok(await admin.post("/api/v1/users", { data: { email, name: `Rollout ${role}`, password: PASSWORD, roles: [{ role, team }] } }), 201);
      return email;
    };
    const engineerEmail = await user("engineer");
    leadEmail = await user("ml-lead");
    [engineer, lead, otherLead] = await Promise.all([sessionFor(baseURL!, engineerEmail, PASSWORD), sessionFor(baseURL!, leadEmail, PASSWORD), sessionFor(baseURL!, demoUser("lead"))]);
    const token = async (scopes: string[]) => tokenClient(baseURL!, (await ok<{ token: string }>(await admin.post("/api/v1/tokens", { data: { name: unique("rollouts"), kind: "service", scopes } }), 201)).token);
    [serving, metrics] = await Promise.all([token(["serving:read"]), token(["metrics:write"])]);

    // v1 goes to staging directly (no rollout yet); then the policy gains a canary and v2 is requested.
    model = (await createModel(engineer, { team })).name;
    await ok(await admin.put(`/api/v1/models/${model}/policy`, { data: { document: STAGING, comment: "Staging promotes without approvals." } }));
    for (let v = 1; v <= 3; v++) {
      await ok(await engineer.post(`/api/v1/models/${model}/versions`, { data: versionBody() }), 201);
      for (const report of STAGING_REPORTS) await ok(await engineer.post(`/api/v1/models/${model}/versions/${v}/reports`, { data: report }), 201);
    }
    const first = await ok<{ status: string }>(await engineer.post("/api/v1/promotions", { data: { model, version: 1, stage: "staging", justification: JUSTIFICATION } }), 201);
    expect(first.status).toBe("applied");
    await ok(await admin.put(`/api/v1/models/${model}/policy`, { data: { document: STAGING_WITH_CANARY, comment: "Staging now rolls out as a canary." } }));
    const second = await ok<{ id: string; status: string }>(await engineer.post("/api/v1/promotions", { data: { model, version: 2, stage: "staging", justification: JUSTIFICATION } }), 201);
    expect(second.status).toBe("rolling-out");
    const list = await ok<{ items: { id: string; number: number; request: { id: string } }[] }>(await engineer.get(`/api/v1/rollouts?model=${model}`));
    expect(list.items).toHaveLength(1);
    expect(list.items[0].request.id).toBe(second.id);
    rollout = { id: list.items[0].id, number: list.items[0].number, requestId: second.id };
  });
  test.afterAll(async () => Promise.all([admin, engineer, lead, otherLead, serving, metrics].map((c) => c?.dispose())));

  test("the rollout starts at canary 10% with v1 as champion and v2 as challenger", async () => {
    const view = await ok<Record<string, unknown>>(await engineer.get(`/api/v1/rollouts/${rollout.id}`));
    expect(view).toMatchObject({
      model,
      alias: "staging",
      strategy: "canary",
      status: "running",
      mode: "canary",
      trafficPercent: 10,
      champion: 1,
      challenger: 2,
      step: { index: 0, of: 2, label: "canary 10% (step 1 of 2)", holdMs: 3_600_000 },
      request: { id: rollout.requestId, stage: "staging", status: "rolling-out" },
      plan: { minSamples: 5, steps: [{ percent: 10 }, { percent: 100 }] },
    });
    // By number as well as by id.
    expect((await ok<{ id: string }>(await engineer.get(`/api/v1/rollouts/${rollout.number}`))).id).toBe(rollout.id);
    expect((await ok<{ status: string }>(await engineer.get(`/api/v1/promotions/${rollout.requestId}`))).status).toBe("rolling-out");
  });

  test("routing: the serving layer gets the canary split from the fast path, with an ETag and 304s", async () => {
    const res = await routing();
    expect(res.status()).toBe(200);
    expect(res.headers()["x-gatehouse-served-by"]).toBe("snapshot");
    expect(await res.json()).toMatchObject({
      model,
      mode: "canary",
      challengerTrafficPercent: 10,
      champion: { version: 1, artifactUri: expect.stringMatching(/^s3:\/\//), artifactChecksum: expect.stringMatching(/^sha256:/) },
      challenger: { version: 2, artifactUri: expect.stringMatching(/^s3:\/\//), artifactChecksum: expect.stringMatching(/^sha256:/) },
      rolloutId: rollout.id,
      rolloutNumber: rollout.number,
      paused: false,
    });
    expect(res.headers()["etag"]).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const etag = res.headers()["etag"];
    const again = await routing(serving, { "if-none-match": etag });
    expect(again.status()).toBe(304);
    expect(again.headers()["etag"]).toBe(etag);
    expect(again.headers()["x-gatehouse-served-by"]).toBe("snapshot");
    // The Next route (a signed-in user) gives the same answer and ETag as the fast path.
    const slow = await routing(engineer);
    expect(slow.headers()["x-gatehouse-served-by"]).toBeUndefined();
    expect(await slow.json()).toEqual(await res.json());
    expect(slow.headers()["etag"]).toBe(etag);

    // The scheduler judges the rollout every tick; while the split stays the same, the serving layer keeps its 304s.
    const asked = Date.now();
    await expect
      .poll(async () => Date.parse((await ok<{ judgedAt: string | null }>(await engineer.get(`/api/v1/rollouts/${rollout.id}`))).judgedAt ?? "") > asked, { timeout: 25_000, intervals: [500] })
      .toBe(true);
    expect((await routing(serving, { "if-none-match": etag })).status()).toBe(304);
    expect((await routing(engineer, { "if-none-match": etag })).status()).toBe(304);

    const challenger = await serving.get(`/api/v1/models/${model}/aliases/challenger`);
    expect(challenger.status()).toBe(200);
    expect(await challenger.json()).toMatchObject({ model, alias: "challenger", version: 2 });
    expect((await ok<{ version: number }>(await serving.get(`/api/v1/models/${model}/aliases/staging`))).version).toBe(1);
  });

  test("metrics: the pipeline may send v1 and v2 while the rollout is live, not v3", async () => {
    const at = new Date(Date.now() - 30_000).toISOString();
    const windowStart = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 120_000);
    const counters = (version: number) => ({ version, metric: "error_rate", windowStart: windowStart.toISOString(), windowEnd: new Date(windowStart.getTime() + 60_000).toISOString(), numerator: 3, denominator: 1000 });
    const items = [
      { version: 1, metric: "latency_p95_ms", timestamp: at, value: 120 },
      { version: 2, metric: "latency_p95_ms", timestamp: at, value: 118 },
      counters(1),
      counters(2),
    ];
    expect(await ok(await metrics.post(`/api/v1/models/${model}/metrics`, { data: { items } }))).toEqual({ accepted: 4, replayed: false, model, counts: { points: 2, windows: 0, ratios: 2 } });
    const refused = await expectError(await metrics.post(`/api/v1/models/${model}/metrics`, { data: { items: [...items, { version: 3, metric: "latency_p95_ms", timestamp: at, value: 119 }] } }), 422, "items_refused");
    expect(refused.error.details).toEqual([{ path: "items.4.version", message: expect.stringContaining(`v3 is not in ${model}'s rollout (champion v1, challenger v2)`) }]);
  });

  test("controls are refused without a comment, to an engineer, to another team's ml-lead and to a token", async () => {
    const missing = await expectError(await control(lead, "pause"), 400, "invalid_input");
    expect(missing.error.details?.map((d) => d.path)).toEqual(["comment"]);
    const short = await expectError(await control(lead, "pause", "because"), 400, "invalid_input");
    expect(short.error.details).toEqual([{ path: "comment", message: expect.stringContaining("at least 20 characters") }]);
    await expectError(await control(engineer, "pause", "Pausing while the feature store is migrated."), 403, "forbidden");
    await expectError(await control(serving, "pause", "Pausing while the feature store is migrated."), 403, "forbidden");
    // lead@ is an ml-lead of payments only: this team's rollout does not exist for them.
    await expectError(await control(otherLead, "pause", "Pausing while the feature store is migrated."), 404, "not_found");
    // Nothing of that changed the rollout.
    expect((await ok<{ status: string; events: unknown[] }>(await engineer.get(`/api/v1/rollouts/${rollout.id}`))).events).toHaveLength(1);
  });

  test("pause and resume reach the serving layer within a second; a second pause or resume is a 409", async () => {
    const before = (await routing()).headers()["etag"];
    const comment = "Pausing while the feature store is migrated.";
    const paused = await ok<{ status: string; statusReason: string }>(await control(lead, "pause", comment));
    expect(paused).toMatchObject({ status: "paused", statusReason: `Paused by ${leadEmail}: ${comment}` });
    const seen = await routingWithinASecond((r) => r.paused);
    expect(seen.body).toMatchObject({ mode: "canary", challengerTrafficPercent: 10, paused: true, challenger: { version: 2 } });
    expect(seen.etag).not.toBe(before);
    // The old ETag no longer matches: a serving layer holding it gets the new answer, not a 304.
    expect((await routing(serving, { "if-none-match": before })).status()).toBe(200);

    const twice = await expectError(await control(lead, "pause", "Pausing again, in case the first did not take."), 409, "conflict");
    expect(twice.error.message).toBe("The rollout is already paused.");

    expect(await ok(await control(lead, "resume", "Feature store migration finished, resuming."))).toMatchObject({ status: "running" });
    const resumed = await routingWithinASecond((r) => !r.paused);
    expect(resumed.body).toMatchObject({ mode: "canary", challengerTrafficPercent: 10, paused: false });
    expect(resumed.etag).not.toBe(seen.etag);
    const again = await expectError(await control(lead, "resume", "Resuming again, in case the first did not take."), 409, "conflict");
    expect(again.error.message).toMatch(/running, not paused/);
  });

  test("a checkpoint decision while the rollout is not waiting at one is a 409", async () => {
    const res = await lead.post(`/api/v1/rollouts/${rollout.id}/checkpoint`, { data: { decision: "approve", comment: "Reviewed the canary metrics and the fairness report." } });
    const body = await expectError(res, 409, "conflict");
    expect(body.error.message).toContain(`Rollout ${rollout.number} is not waiting at a checkpoint (it is running)`);
    const bad = await expectError(await lead.post(`/api/v1/rollouts/${rollout.id}/checkpoint`, { data: { decision: "maybe", comment: "Reviewed the canary metrics and the fairness report." } }), 400, "invalid_input");
    expect(bad.error.details).toEqual([{ path: "decision", message: "decision is approve or reject" }]);
  });

  test("advancing early moves the challenger to 100% at once", async () => {
    const advanced = await ok<Record<string, unknown>>(await control(lead, "advance", "Advancing early: the canary traffic is too thin to judge."));
    expect(advanced).toMatchObject({ status: "running", trafficPercent: 100, step: { index: 1, of: 2, label: "canary 100% (step 2 of 2)" } });
    const seen = await routingWithinASecond((r) => r.challengerTrafficPercent === 100);
    expect(seen.body).toMatchObject({ mode: "canary", champion: { version: 1 }, challenger: { version: 2 }, paused: false });
  });

  test("abort: routing goes back to the champion alone, @challenger is gone, the request is cancelled", async () => {
    const comment = "Aborting: a data bug was found upstream.";
    const aborted = await ok<Record<string, unknown>>(await control(lead, "abort", comment));
    expect(aborted).toMatchObject({ status: "aborted", mode: "none", trafficPercent: 0, step: null, incidents: [] });
    const seen = await routingWithinASecond((r) => r.mode === "none");
    expect(seen.body).toMatchObject({ mode: "none", challengerTrafficPercent: 0, champion: { version: 1 }, challenger: null, rolloutId: null, paused: false });
    await expectError(await serving.get(`/api/v1/models/${model}/aliases/challenger`), 404, "not_found");
    expect((await ok<{ version: number }>(await serving.get(`/api/v1/models/${model}/aliases/staging`))).version).toBe(1);
    expect((await ok<{ status: string }>(await engineer.get(`/api/v1/promotions/${rollout.requestId}`))).status).toBe("cancelled");

    const view = await ok<{ events: { kind: string; actor: string; reason: string; trafficPercent: number }[] }>(await engineer.get(`/api/v1/rollouts/${rollout.id}`));
    expect(view.events.map((e) => e.kind)).toEqual(["started", "paused", "resumed", "advanced", "aborted"]);
    expect(view.events.map((e) => e.trafficPercent)).toEqual([10, 10, 10, 100, 0]);
    expect(view.events.slice(1).every((e) => e.actor === leadEmail)).toBe(true);
    expect(view.events[4].reason).toContain(comment);
    const listed = await ok<{ items: { id: string; status: string }[] }>(await engineer.get(`/api/v1/rollouts?model=${model}`));
    expect(listed.items).toEqual([expect.objectContaining({ id: rollout.id, status: "aborted" })]);
    expect((await ok<{ items: unknown[] }>(await engineer.get(`/api/v1/rollouts?model=${model}&status=active`))).items).toEqual([]);
    // An abort is a person's decision, not a breach: no incident.
    expect((await ok<{ items: unknown[] }>(await engineer.get(`/api/v1/incidents?model=${model}`))).items).toEqual([]);

    const again = await expectError(await control(lead, "abort", "Aborting again, in case the first did not take."), 409, "conflict");
    expect(again.error.message).toMatch(/aborted; only a live rollout can be aborted/);
    await expectError(await control(lead, "resume", "Resuming the aborted rollout after all."), 409, "conflict");
    // With the rollout over, the challenger's metrics are refused again.
    const late = await expectError(await metrics.post(`/api/v1/models/${model}/metrics`, { data: { items: [{ version: 2, metric: "latency_p95_ms", timestamp: new Date().toISOString(), value: 118 }] } }), 422, "items_refused");
    expect(late.error.details?.[0].path).toBe("items.0.version");
  });

  test("bad input: unknown ids are JSON 404s, malformed bodies and queries JSON 400s, never a 500", async () => {
    for (const id of ["no-such-rollout", "999999999"]) await expectError(await engineer.get(`/api/v1/rollouts/${id}`), 404, "not_found");
    await expectError(await lead.post("/api/v1/rollouts/no-such-rollout/pause", { data: { comment: "Pausing a rollout that does not exist." } }), 404, "not_found");
    await expectError(await lead.post("/api/v1/rollouts/no-such-rollout/checkpoint", { data: { decision: "approve", comment: "Approving a rollout that does not exist." } }), 404, "not_found");
    const broken = await lead.fetch(`/api/v1/rollouts/${rollout.id}/pause`, { method: "POST", headers: { "content-type": "application/json" }, data: Buffer.from('{ "comment": ') });
    expect((await expectError(broken, 400, "invalid_input")).error.message).toMatch(/not valid JSON/);
    await expectError(await lead.fetch(`/api/v1/rollouts/${rollout.id}/abort`, { method: "POST", headers: { "content-type": "text/plain" }, data: Buffer.from("comment=stop") }), 415);
    await expectError(await lead.post(`/api/v1/rollouts/${rollout.id}/pause`, { data: [1, 2, 3] }), 400, "invalid_input");
    const status = await expectError(await engineer.get("/api/v1/rollouts?status=flying"), 400, "invalid_input");
    expect(status.error.details?.[0]).toMatchObject({ path: "status" });
    await expectError(await engineer.get("/api/v1/rollouts?cursor=garbage"), 400);
    await expectError(await engineer.get("/api/v1/incidents?status=burning"), 400, "invalid_input");
    await expectError(await engineer.get("/api/v1/incidents/no-such-incident"), 404, "not_found");
    await expectError(await lead.post("/api/v1/incidents/no-such-incident/acknowledge", { data: { comment: "Taking this one, looking at the dashboards." } }), 404, "not_found");
    await expectError(await engineer.post("/api/v1/incidents/no-such-incident/resolve", { data: { comment: "Resolving someone else's incident here." } }), 403, "forbidden");
    await expectError(await serving.get("/api/v1/models/no-such-model/routing"), 404);
  });
});
