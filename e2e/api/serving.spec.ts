import { expect, test, type APIRequestContext } from "@playwright/test";
import pg from "pg";
import { demoUser, expectError, sessionFor, tokenClient, unique } from "../support/api";
import { createModel, versionBody } from "../support/registry";

// GET /api/v1/models/{name}/aliases/{alias} with a Bearer token is answered by the in-process snapshot
// (scripts/lib/serving.mjs); with a browser session, by the Next route. Both must say the same thing.
test.describe("serving alias lookups", () => {
  let engineer: APIRequestContext;
  let admin: APIRequestContext;
  let serving: APIRequestContext;
  let servingTokenId: string;
  let model: string;
  test.beforeAll(async ({ baseURL }) => {
    [engineer, admin] = await Promise.all([sessionFor(baseURL!, demoUser("engineer")), sessionFor(baseURL!, demoUser("admin"))]);
    model = (await createModel(engineer)).name;
    for (let i = 0; i < 3; i++) await engineer.post(`/api/v1/models/${model}/versions`, { data: versionBody() });
    await engineer.put(`/api/v1/models/${model}/aliases/champion_test`, { data: { version: 1, reason: "start" } });
    const t = await (await admin.post("/api/v1/tokens", { data: { name: unique("serving"), kind: "service", scopes: ["serving:read"] } })).json();
    servingTokenId = t.id;
    serving = await tokenClient(baseURL!, t.token);
  });
  test.afterAll(async () => Promise.all([engineer, admin, serving].map((c) => c.dispose())));

  test("the fast path and the Next route give the same body and ETag", async () => {
    const fast = await serving.get(`/api/v1/models/${model}/aliases/champion_test`);
    expect(fast.status()).toBe(200);
    expect(fast.headers()["x-gatehouse-served-by"]).toBe("snapshot");
    const slow = await engineer.get(`/api/v1/models/${model}/aliases/champion_test`);
    expect(slow.headers()["x-gatehouse-served-by"]).toBeUndefined();
    expect(await fast.json()).toEqual(await slow.json());
    expect(fast.headers()["etag"]).toBe(slow.headers()["etag"]);
    expect(fast.headers()["content-type"]).toContain("application/json");
    const again = await serving.get(`/api/v1/models/${model}/aliases/champion_test`, { headers: { "if-none-match": fast.headers()["etag"] } });
    expect(again.status()).toBe(304);
    // A proxy that compresses turns the ETag weak; If-None-Match still matches.
    expect((await serving.get(`/api/v1/models/${model}/aliases/champion_test`, { headers: { "if-none-match": `W/${fast.headers()["etag"]}` } })).status()).toBe(304);
  });

  test("an alias change made through the API is served at once, not from a stale snapshot", async () => {
    for (const version of [2, 3, 1]) {
      expect((await engineer.put(`/api/v1/models/${model}/aliases/champion_test`, { data: { version } })).status()).toBe(200);
      const res = await serving.get(`/api/v1/models/${model}/aliases/champion_test`);
      expect((await res.json()).version).toBe(version);
    }
  });

  test("a change committed by another process reaches the snapshot through NOTIFY within a second", async () => {
    await serving.get(`/api/v1/models/${model}/aliases/champion_test`); // warm the snapshot
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      // Another instance (here: this test) moves the alias and announces the change, as lib/audit/record.ts does.
      await client.query("BEGIN");
      await client.query(
        `UPDATE model_aliases SET version_id = (SELECT v.id FROM model_versions v JOIN registered_models m ON m.id = v.model_id WHERE m.name = $1 AND v.version = 3), updated_at = now()
         WHERE name = 'champion_test' AND model_id = (SELECT id FROM registered_models WHERE name = $1)`,
        [model],
      );
      await client.query("SELECT pg_notify('gatehouse_changes', 'test')");
      await client.query("COMMIT");
    } finally {
      await client.end();
    }
    await expect
      .poll(async () => (await (await serving.get(`/api/v1/models/${model}/aliases/champion_test`)).json()).version, { timeout: 1_000, intervals: [50] })
      .toBe(3);
  });

  test("what the fast path cannot answer falls through to the route's errors", async ({ baseURL }) => {
    await expectError(await serving.get(`/api/v1/models/${model}/aliases/nope`), 404, "not_found");
    await expectError(await serving.get(`/api/v1/models/no-such-model/aliases/champion_test`), 404);
    const bogus = await tokenClient(baseURL!, "ghk_" + "B".repeat(43));
    await expectError(await bogus.get(`/api/v1/models/${model}/aliases/champion_test`), 401);
    const metrics = await (await admin.post("/api/v1/tokens", { data: { name: unique("metrics"), kind: "service", scopes: ["metrics:write"] } })).json();
    const underScoped = await tokenClient(baseURL!, metrics.token);
    await expectError(await underScoped.get(`/api/v1/models/${model}/aliases/champion_test`), 403);
    // A user token of a team that does not own the model: the model stays hidden.
    const email = `${unique("riskonly")}@example.com`;
    await admin.post("/api/v1/users", { data: { email, name: "Risk Only", password: "long-enough-password", roles: [{ role: "viewer", team: "risk" }] } });
    const riskToken = await (await admin.post("/api/v1/tokens", { data: { name: unique("risk"), kind: "user", userEmail: email } })).json();
    const risk = await tokenClient(baseURL!, riskToken.token);
    await expectError(await risk.get(`/api/v1/models/${model}/aliases/champion_test`), 404);
    await Promise.all([bogus.dispose(), underScoped.dispose(), risk.dispose()]);
  });

  test("alias and routing lookups need serving:read (or a read scope): none 401, another scope 403, on the fast path and in Next", async ({ baseURL, playwright }) => {
    const paths = [`/api/v1/models/${model}/aliases/champion_test`, `/api/v1/models/${model}/routing`];
    const anonymous = await playwright.request.newContext({ baseURL });
    const metrics = await (await admin.post("/api/v1/tokens", { data: { name: unique("metrics-only"), kind: "service", scopes: ["metrics:write"] } })).json();
    const other = await tokenClient(baseURL!, metrics.token);
    for (const path of paths) {
      await expectError(await anonymous.get(path), 401, "unauthenticated");
      await expectError(await other.get(path), 403, "forbidden");
      const fast = await serving.get(path);
      expect(fast.status(), path).toBe(200);
      expect(fast.headers()["x-gatehouse-served-by"], path).toBe("snapshot");
      // The fast path answers GET only: HEAD reaches the Next route, which must agree on who may read.
      for (const [client, status] of [[serving, 200], [other, 403], [anonymous, 401]] as const) {
        const res = await client.head(path);
        expect(res.status(), `HEAD ${path}`).toBe(status);
        expect(res.headers()["x-gatehouse-served-by"]).toBeUndefined();
      }
    }
    await Promise.all([anonymous.dispose(), other.dispose()]);
  });

  test("a revoked token stops working on the very next lookup", async ({ baseURL }) => {
    const t = await (await admin.post("/api/v1/tokens", { data: { name: unique("short-lived"), kind: "service", scopes: ["serving:read"] } })).json();
    const client = await tokenClient(baseURL!, t.token);
    expect((await client.get(`/api/v1/models/${model}/aliases/champion_test`)).status()).toBe(200);
    expect((await admin.delete(`/api/v1/tokens/${t.id}`)).status()).toBe(200);
    await expectError(await client.get(`/api/v1/models/${model}/aliases/champion_test`), 401);
    await client.dispose();
  });

  test("lookups record the token's last use", async () => {
    await serving.get(`/api/v1/models/${model}/aliases/champion_test`);
    await expect
      .poll(async () => {
        const tokens = await (await admin.get("/api/v1/tokens?limit=200")).json();
        return tokens.items.find((t: { id: string }) => t.id === servingTokenId)?.lastUsedAt ?? null;
      })
      .not.toBeNull();
  });
});
