import { expect, test, type APIRequestContext } from "@playwright/test";
import { demoUser, expectError, sessionFor, tokenClient, unique } from "../support/api";

test.describe("notifications over HTTP", () => {
  let admin: APIRequestContext;
  let person: APIRequestContext;
  test.beforeAll(async ({ baseURL }) => {
    admin = await sessionFor(baseURL!, demoUser("admin"));
    const email = `${unique("notify-api")}@example.com`;
    expect((await admin.post("/api/v1/users", { data: { email, name: "Notify API", password: "long-enough-password", roles: [{ role: "viewer" }] } })).status()).toBe(201);
    person = await sessionFor(baseURL!, email, "long-enough-password");
  });
  test.afterAll(async () => {
    await person.dispose();
    await admin.dispose();
  });

  test("a person reads their (empty) bell, marks all read, and gets the documented shapes", async () => {
    expect(await (await person.get("/api/v1/notifications")).json()).toEqual({ items: [], nextCursor: null });
    expect(await (await person.get("/api/v1/notifications?unread=true&limit=5")).json()).toEqual({ items: [], nextCursor: null });
    const count = await person.get("/api/v1/notifications/unread-count");
    expect(count.headers()["cache-control"]).toBe("no-store");
    expect(await count.json()).toEqual({ unread: 0 });
    expect(await (await person.post("/api/v1/notifications/read", { data: { all: true } })).json()).toEqual({ marked: 0, unread: 0 });
    expect(await (await person.post("/api/v1/notifications/read", { data: { ids: ["not-mine"] } })).json()).toEqual({ marked: 0, unread: 0 });
  });

  test("preferences round-trip; a required bell cannot be switched off; unknown events are refused", async () => {
    const initial = await (await person.get("/api/v1/me/notification-preferences")).json();
    expect(initial.preferences["approval.needed"]).toEqual({ inApp: true, email: true });
    expect(initial.events.map((e: { event: string }) => e.event)).toContain("review.required");
    const saved = await person.put("/api/v1/me/notification-preferences", { data: { preferences: { "decision.made": { email: true } } } });
    expect(saved.status()).toBe(200);
    expect((await saved.json()).preferences["decision.made"]).toEqual({ inApp: true, email: true });
    const refused = await expectError(await person.put("/api/v1/me/notification-preferences", { data: { preferences: { "approval.needed": { inApp: false } } } }), 400, "invalid_input");
    expect(refused.error.message).toContain("cannot be switched off");
    await expectError(await person.put("/api/v1/me/notification-preferences", { data: { preferences: { "model.deleted": { email: true } } } }), 400, "invalid_input");
    await expectError(await person.post("/api/v1/notifications/read", { data: {} }), 400, "invalid_input");
    await expectError(await person.get("/api/v1/notifications?cursor=garbage"), 400);
  });

  test("service tokens have no notifications: a clear 403; no credentials: 401", async ({ baseURL, playwright }) => {
    const token = await (await admin.post("/api/v1/tokens", { data: { name: unique("bell-ci"), kind: "service", scopes: ["registry:read"] } })).json();
    const service = await tokenClient(baseURL!, token.token);
    for (const res of [await service.get("/api/v1/notifications"), await service.get("/api/v1/notifications/unread-count"), await service.get("/api/v1/me/notification-preferences")]) {
      const body = await expectError(res, 403, "forbidden");
      expect(body.error.message).toContain("Notifications belong to people");
    }
    await service.dispose();
    const anonymous = await playwright.request.newContext({ baseURL });
    await expectError(await anonymous.get("/api/v1/notifications"), 401);
    await anonymous.dispose();
  });

  test("a browser session cannot change preferences from another site", async () => {
    const res = await person.put("/api/v1/me/notification-preferences", { headers: { origin: "https://evil.example.com", "sec-fetch-site": "cross-site" }, data: { preferences: { "decision.made": { email: false } } } });
    await expectError(res, 403, "forbidden");
  });
});
