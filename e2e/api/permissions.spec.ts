import { expect, test, type APIRequestContext } from "@playwright/test";
import { demoUser, expectError, sessionFor, tokenClient, unique } from "../support/api";
import { stagingReadyModel } from "../support/registry";

// Every permission that has an endpoint today, allowed for a role that holds it and refused for one that does not.
// (lib/auth/permissions.test.ts checks the whole table, role by role.) Checked where their feature is tested:
// registry.write and aliases.set in registry.spec, promotions.request/decide/review and aliases.rollback in
// promotions.spec, rollouts.control in rollouts.spec, metrics.write in metrics.spec, audit.export in audit-trail.spec,
// policies.manage in policy.spec, serving.read in serving.spec; without credentials, unauthenticated.spec.
test.describe("permissions over HTTP", () => {
  let admin: APIRequestContext;
  let engineer: APIRequestContext;
  let auditor: APIRequestContext;
  let viewer: APIRequestContext;
  let lead: APIRequestContext;
  test.beforeAll(async ({ baseURL }) => {
    [admin, engineer, auditor, viewer, lead] = await Promise.all(
      (["admin", "engineer", "auditor", "viewer", "lead"] as const).map((r) => sessionFor(baseURL!, demoUser(r))),
    );
  });
  test.afterAll(async () => {
    await Promise.all([admin, engineer, auditor, viewer, lead].map((c) => c.dispose()));
  });

  test("users.manage: admin lists users, engineer is refused", async () => {
    expect((await admin.get("/api/v1/users")).status()).toBe(200);
    const body = await expectError(await engineer.get("/api/v1/users"), 403, "forbidden");
    expect(body.error.message).toContain("users.manage");
  });

  test("teams.manage: admin creates a team, engineer is refused", async () => {
    const slug = unique("t");
    expect((await admin.post("/api/v1/teams", { data: { slug, name: "Team" } })).status()).toBe(201);
    await expectError(await engineer.post("/api/v1/teams", { data: { slug: unique("t"), name: "Team" } }), 403);
  });

  test("roles.manage: admin grants a role, an ML lead is refused", async () => {
    const user = await (await admin.post("/api/v1/users", { data: { email: `${unique("u")}@example.com`, name: "U", password: "long-enough-password" } })).json();
    expect((await admin.post(`/api/v1/users/${user.id}/roles`, { data: { role: "viewer" } })).status()).toBe(201);
    await expectError(await lead.post(`/api/v1/users/${user.id}/roles`, { data: { role: "admin" } }), 403);
  });

  test("tokens.manage: admin creates a token, auditor is refused", async () => {
    expect((await admin.post("/api/v1/tokens", { data: { name: unique("ci"), kind: "service", scopes: ["registry:read"] } })).status()).toBe(201);
    await expectError(await auditor.post("/api/v1/tokens", { data: { name: "x", kind: "service", scopes: ["registry:read"] } }), 403);
  });

  test("webhooks.manage: admin lists webhooks, auditor is refused", async () => {
    expect((await admin.get("/api/v1/webhooks")).status()).toBe(200);
    const body = await expectError(await auditor.get("/api/v1/webhooks"), 403, "forbidden");
    expect(body.error.message).toContain("webhooks.manage");
  });

  test("promotions.cancel-any: an admin cancels an engineer's request, the team's ML Lead may not", async () => {
    const name = await stagingReadyModel({ engineer, admin, policy: "stages:\n  staging:\n    approvals:\n      quorum: [{ role: ml-lead }]\n", comment: "one ML Lead for staging" });
    const asked = await engineer.post("/api/v1/promotions", { data: { model: name, version: 1, stage: "staging", justification: "Retrained on November data; AUC is up." } });
    expect(asked.status(), await asked.text()).toBe(201);
    const { id } = await asked.json();
    await expectError(await lead.post(`/api/v1/promotions/${id}/cancel`, { data: { comment: "Cancelling someone else's request." } }), 403, "forbidden");
    const cancelled = await admin.post(`/api/v1/promotions/${id}/cancel`, { data: { comment: "Superseded by the December retrain." } });
    expect(cancelled.status(), await cancelled.text()).toBe(200);
    expect((await cancelled.json()).status).toBe("cancelled");
  });

  test("audit.read: auditor verifies the chain, engineer is refused", async () => {
    expect((await auditor.get("/api/v1/audit/verify")).status()).toBe(200);
    await expectError(await engineer.get("/api/v1/audit/verify"), 403);
  });

  test("registry.read: a viewer reads teams; a user with no role and a serving-only token are refused", async ({ baseURL }) => {
    expect((await viewer.get("/api/v1/teams")).status()).toBe(200);
    const email = `${unique("norole")}@example.com`;
    await admin.post("/api/v1/users", { data: { email, name: "No Role", password: "long-enough-password" } });
    const nobody = await sessionFor(baseURL!, email, "long-enough-password");
    await expectError(await nobody.get("/api/v1/teams"), 403);
    const serving = await (await admin.post("/api/v1/tokens", { data: { name: unique("serving"), kind: "service", scopes: ["serving:read"] } })).json();
    const client = await tokenClient(baseURL!, serving.token);
    const body = await expectError(await client.get("/api/v1/teams"), 403);
    expect(body.error.message).toContain("token's scopes");
    await Promise.all([nobody.dispose(), client.dispose()]);
  });

  test("a revoked role stops working on the very next request", async ({ baseURL }) => {
    const email = `${unique("temp-admin")}@example.com`;
    const created = await (await admin.post("/api/v1/users", { data: { email, name: "Temp", password: "long-enough-password", roles: [{ role: "admin" }] } })).json();
    const temp = await sessionFor(baseURL!, email, "long-enough-password");
    expect((await temp.post("/api/v1/teams", { data: { slug: unique("t"), name: "Before revoke" } })).status()).toBe(201);
    const grantId = created.grants[0].id;
    expect((await admin.delete(`/api/v1/users/${created.id}/roles/${grantId}`)).status()).toBe(200);
    await expectError(await temp.post("/api/v1/teams", { data: { slug: unique("t"), name: "After revoke" } }), 403);
    await temp.dispose();
  });
});
