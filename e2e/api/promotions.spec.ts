import { expect, test, type APIRequestContext } from "@playwright/test";
import { demoUser, expectError, sessionFor, tokenClient, unique } from "../support/api";
import { stagingReadyModel } from "../support/registry";

// The promotion API as CI pipelines and approvers use it, and its permission matrix: every role and token kind
// against every promotion action, allowed or refused, over HTTP.
type Role = "admin" | "lead" | "compliance" | "engineer" | "auditor" | "viewer";
const ROLES: Role[] = ["admin", "lead", "compliance", "engineer", "auditor", "viewer"];
const COMMENT = "Checked the gates, metrics and lineage; looks right.";
const POLICY = "stages:\n  staging:\n    approvals:\n      quorum: [{ role: ml-lead }]\n      electronicSignature: never\n";

test.describe("promotion API", () => {
  const as = {} as Record<Role, APIRequestContext>;
  let requestToken: APIRequestContext, readToken: APIRequestContext, rollbackToken: APIRequestContext;
  test.beforeAll(async ({ baseURL }) => {
    await Promise.all(ROLES.map(async (r) => (as[r] = await sessionFor(baseURL!, demoUser(r)))));
    const token = async (scopes: string[]) => tokenClient(baseURL!, (await (await as.admin.post("/api/v1/tokens", { data: { name: unique("t"), kind: "service", scopes } })).json()).token);
    [requestToken, readToken, rollbackToken] = await Promise.all([token(["promotions:request", "registry:write"]), token(["registry:read"]), token(["aliases:rollback"])]);
  });
  test.afterAll(async () => Promise.all([...Object.values(as), requestToken, readToken, rollbackToken].map((c) => c.dispose())));

  /** A payments model whose staging needs one ML Lead, with `n` versions that pass the staging gates. */
  const model = (n = 1) => stagingReadyModel({ engineer: as.engineer, admin: as.admin, policy: POLICY, comment: "one ML Lead for staging", versions: n });
  const ask = (client: APIRequestContext, name: string, version = 1) => client.post("/api/v1/promotions", { data: { model: name, version, stage: "staging", justification: "Retrained on November data; AUC is up." } });

  test("request: 201 with gate results and the approvals still needed; listed and fetched by id or number", async () => {
    const name = await model();
    const res = await ask(as.engineer, name);
    expect(res.status(), await res.text()).toBe(201);
    const r = await res.json();
    expect(res.headers()["location"]).toBe(`/api/v1/promotions/${r.id}`);
    expect(r).toMatchObject({ model: name, version: 1, stage: "staging", alias: "staging", status: "awaiting-approval", gatesPassed: true, missing: [{ role: "ml-lead", count: 1 }], requester: demoUser("engineer") });
    expect(r.gates.results.map((g: { id: string; status: string }) => [g.id, g.status])).toEqual(expect.arrayContaining([["lineage", "pass"], ["tests", "pass"]]));
    expect((await (await as.viewer.get(`/api/v1/promotions/${r.number}`)).json()).id).toBe(r.id);
    const list = await (await as.viewer.get(`/api/v1/promotions?model=${name}&status=awaiting-approval`)).json();
    expect(list.items.map((i: { id: string }) => i.id)).toEqual([r.id]);
    const mine = await (await as.engineer.get(`/api/v1/promotions?requester=me&model=${name}`)).json();
    expect(mine.items).toHaveLength(1);
    await expectError(await as.viewer.get("/api/v1/promotions?status=flying"), 400, "invalid_input");
    await expectError(await as.viewer.get("/api/v1/promotions/nope"), 404);
  });

  test("bad requests say what and where", async () => {
    const name = await model();
    const short = await expectError(await as.engineer.post("/api/v1/promotions", { data: { model: name, version: 1, stage: "staging", justification: "ok" } }), 400, "invalid_input");
    expect(short.error.details).toEqual([{ path: "justification", message: expect.stringContaining("at least 20 characters") }]);
    const stage = await expectError(await as.engineer.post("/api/v1/promotions", { data: { model: name, version: 1, stage: "qa", justification: "Retrained on November data; AUC is up." } }), 400);
    expect(stage.error.message).toContain("its stages are development, staging, production");
    await expectError(await ask(as.engineer, name, 9), 404);
    await expectError(await ask(as.engineer, "no-such-model"), 404);
  });

  test("permission matrix: who may request", async () => {
    const name = await model();
    const expected: Record<Role, number> = { admin: 403, lead: 201, compliance: 403, engineer: 201, auditor: 403, viewer: 403 };
    for (const role of ROLES) expect((await ask(as[role], name)).status(), role).toBe(expected[role]);
    expect((await ask(requestToken, name)).status()).toBe(201);
    expect((await ask(readToken, name)).status()).toBe(403);
  });

  test("permission matrix: who may decide (only the asked role, never the requester or a service token)", async () => {
    const name = await model();
    const r = await (await ask(as.engineer, name)).json();
    const decide = (client: APIRequestContext, decision = "approve") => client.post(`/api/v1/promotions/${r.id}/decisions`, { data: { decision, comment: COMMENT } });
    for (const role of ["admin", "compliance", "engineer", "auditor", "viewer"] as const) expect((await decide(as[role])).status(), role).toBe(403);
    expect((await decide(requestToken)).status()).toBe(403);
    expect((await decide(readToken)).status()).toBe(403);
    const short = await expectError(await as.lead.post(`/api/v1/promotions/${r.id}/decisions`, { data: { decision: "approve", comment: "yes yes yes yes yes yes" } }), 400);
    expect(short.error.details?.[0]).toMatchObject({ path: "comment", message: expect.stringContaining('only repeats "yes"') });
    const ok = await decide(as.lead);
    expect(ok.status(), await ok.text()).toBe(201);
    expect(await ok.json()).toMatchObject({ status: "applied", move: { sentence: `${name}@staging moved from nothing to v1` } });
    expect((await (await as.viewer.get(`/api/v1/models/${name}/aliases/staging`)).json()).version).toBe(1);
    await expectError(await decide(as.lead), 409);
  });

  test("permission matrix: who may cancel, roll back and set protected aliases", async () => {
    const name = await model(2);
    const first = await (await ask(as.engineer, name, 1)).json();
    expect((await as.lead.post(`/api/v1/promotions/${first.id}/decisions`, { data: { decision: "approve", comment: COMMENT } })).status()).toBe(201);
    const second = await (await ask(as.engineer, name, 2)).json();
    for (const role of ["lead", "compliance", "auditor", "viewer"] as const) expect((await as[role].post(`/api/v1/promotions/${second.id}/cancel`, { data: { comment: "Cancelling someone else's request." } })).status(), role).toBe(403);
    expect((await as.engineer.post(`/api/v1/promotions/${second.id}/cancel`, { data: { comment: "Wrong version, will request again." } })).status()).toBe(200);

    const protectedPut = await expectError(await as.engineer.put(`/api/v1/models/${name}/aliases/staging`, { data: { version: 2 } }), 403, "protected_alias");
    expect(protectedPut.error.message).toContain("POST /api/v1/promotions");
    await expectError(await as.engineer.delete(`/api/v1/models/${name}/aliases/staging?reason=cleanup`), 403, "protected_alias");

    const third = await (await ask(as.engineer, name, 2)).json();
    await as.lead.post(`/api/v1/promotions/${third.id}/decisions`, { data: { decision: "approve", comment: COMMENT } });
    const rollback = (client: APIRequestContext) => client.post(`/api/v1/models/${name}/aliases/staging/rollback`, { data: { comment: "Error rate doubled after the switch." } });
    for (const role of ["compliance", "engineer", "auditor", "viewer"] as const) expect((await rollback(as[role])).status(), role).toBe(403);
    expect((await rollback(readToken)).status()).toBe(403);
    const back = await rollback(rollbackToken);
    expect(back.status(), await back.text()).toBe(200);
    expect(await back.json()).toMatchObject({ from: 2, to: 1, requestId: third.id, alias: { version: 1 } });
    expect((await (await as.viewer.get(`/api/v1/models/${name}/aliases/staging`)).json()).version).toBe(1);
    expect((await (await as.viewer.get(`/api/v1/promotions/${third.id}`)).json()).status).toBe("rolled-back");
    expect((await as.admin.post(`/api/v1/models/${name}/aliases/staging/rollback`, { data: { toVersion: 2, comment: "The error spike was the load balancer." } })).status()).toBe(200);
    // A default rollback right after a rollback is refused (a retried alert must not undo it); naming the version works.
    const again = await expectError(await as.lead.post(`/api/v1/models/${name}/aliases/staging/rollback`, { data: { comment: "Back again: the spike came back." } }), 409);
    expect(again.error.message).toContain("it was just rolled back to v2 from v1");
    expect((await as.lead.post(`/api/v1/models/${name}/aliases/staging/rollback`, { data: { toVersion: 1, comment: "Back again: the spike came back." } })).status()).toBe(200);
  });

  test("emergency: an ML Lead and an admin apply; only a compliance officer reviews", async () => {
    const name = await model();
    const r = await (await as.engineer.post("/api/v1/promotions", { data: { model: name, version: 1, stage: "staging", justification: "Hotfix for incident 4711: scoring outage.", emergency: true } })).json();
    expect(r.missing).toEqual([{ role: "ml-lead", count: 1 }, { role: "admin", count: 1 }]);
    await as.lead.post(`/api/v1/promotions/${r.id}/decisions`, { data: { decision: "approve", comment: COMMENT } });
    const done = await (await as.admin.post(`/api/v1/promotions/${r.id}/decisions`, { data: { decision: "approve", comment: "Approved as incident commander for 4711." } })).json();
    expect(done).toMatchObject({ status: "applied", emergency: true, reviewDue: true });
    for (const role of ["lead", "admin", "engineer", "auditor"] as const) expect((await as[role].post(`/api/v1/promotions/${r.id}/review`, { data: { comment: "Reviewed the emergency change in full." } })).status(), role).toBe(403);
    const reviewed = await as.compliance.post(`/api/v1/promotions/${r.id}/review`, { data: { comment: "Reviewed the emergency change in full." } });
    expect(reviewed.status()).toBe(200);
    expect(await reviewed.json()).toMatchObject({ reviewDue: false, review: { reviewedBy: demoUser("compliance") } });
  });
});
