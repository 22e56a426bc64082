import { expect, test, type APIRequestContext } from "@playwright/test";
import { demoUser, expectError, sessionFor, tokenClient, unique } from "../support/api";

test.describe("API tokens", () => {
  let admin: APIRequestContext;
  test.beforeAll(async ({ baseURL }) => {
    admin = await sessionFor(baseURL!, demoUser("admin"));
  });
  test.afterAll(async () => admin.dispose());

  test("a service token is shown once, stored hashed, holds its scopes and records its last use", async ({ baseURL }) => {
    const name = unique("ci");
    const created = await admin.post("/api/v1/tokens", { data: { name, kind: "service", scopes: ["registry:read", "promotions:request"] } });
    expect(created.status()).toBe(201);
    const token = await created.json();
    expect(token.token).toMatch(/^ghk_[A-Za-z0-9_-]{43}$/);
    expect(token.token.startsWith(token.prefix)).toBe(true);

    const listed = await (await admin.get("/api/v1/tokens?limit=200")).json();
    const row = listed.items.find((t: { id: string }) => t.id === token.id);
    expect(row).toMatchObject({ name, kind: "service", scopes: ["registry:read", "promotions:request"], lastUsedAt: null });
    expect(JSON.stringify(listed)).not.toContain(token.token);

    const client = await tokenClient(baseURL!, token.token);
    const me = await (await client.get("/api/v1/me")).json();
    expect(me).toMatchObject({ kind: "service", scopes: ["registry:read", "promotions:request"] });
    expect(me.permissions).toEqual(expect.arrayContaining(["registry.read", "promotions.request"]));
    expect(me.permissions).not.toContain("registry.write");
    const after = await (await admin.get("/api/v1/tokens?limit=200")).json();
    expect(after.items.find((t: { id: string }) => t.id === token.id).lastUsedAt).not.toBeNull();
    await client.dispose();
  });

  test("a user token acts with that user's roles", async ({ baseURL }) => {
    const token = await (await admin.post("/api/v1/tokens", { data: { name: unique("lead"), kind: "user", userEmail: demoUser("lead") } })).json();
    const client = await tokenClient(baseURL!, token.token);
    const me = await (await client.get("/api/v1/me")).json();
    expect(me).toMatchObject({ kind: "user", label: demoUser("lead"), roles: [{ role: "ml-lead", team: "payments" }] });
    await client.dispose();
  });

  test("a revoked token stops working at once", async ({ baseURL }) => {
    const token = await (await admin.post("/api/v1/tokens", { data: { name: unique("gone"), kind: "service", scopes: ["serving:read"] } })).json();
    const client = await tokenClient(baseURL!, token.token);
    expect((await client.get("/api/v1/me")).status()).toBe(200);
    const revoked = await admin.delete(`/api/v1/tokens/${token.id}`);
    expect(revoked.status()).toBe(200);
    expect((await revoked.json()).revokedAt).not.toBeNull();
    await expectError(await client.get("/api/v1/me"), 401);
    await client.dispose();
  });

  test.describe("bad requests", () => {
    const cases: [string, object, string][] = [
      ["service token without scopes", { name: "x", kind: "service", scopes: [] }, "scopes"],
      ["unknown scope", { name: "x", kind: "service", scopes: ["root"] }, "scopes.0"],
      ["user token without email", { name: "x", kind: "user" }, "userEmail"],
      ["user token for nobody", { name: "x", kind: "user", userEmail: "nobody@example.com" }, "userEmail"],
      ["missing name", { kind: "service", scopes: ["registry:read"] }, "name"],
    ];
    for (const [name, data, path] of cases) {
      test(name, async () => {
        const body = await expectError(await admin.post("/api/v1/tokens", { data }), 400, "invalid_input");
        expect((body.error as unknown as { details: { path: string }[] }).details.map((d) => d.path)).toContain(path);
      });
    }
  });
});
