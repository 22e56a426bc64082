import { expect, test, type APIRequestContext } from "@playwright/test";
import { loadDocumentedVerifier, startWebhookReceiver, type WebhookReceiver } from "../../lib/webhooks/testing";
import { demoUser, expectError, sessionFor, tokenClient, unique } from "../support/api";
import { createModel, versionBody } from "../support/registry";

// The webhook API over HTTP, against a receiver on this machine (the test server runs with
// GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE=true, set by scripts/test.mjs).
test.describe("webhooks over HTTP", () => {
  let admin: APIRequestContext;
  let receiver: WebhookReceiver;
  const created: string[] = [];

  test.beforeAll(async ({ baseURL }) => {
    admin = await sessionFor(baseURL!, demoUser("admin"));
    receiver = await startWebhookReceiver();
  });
  test.afterAll(async () => {
    for (const id of created) await admin.delete(`/api/v1/webhooks/${id}`);
    await admin.dispose();
    await receiver.close();
  });

  async function register(data: Record<string, unknown> = {}) {
    const res = await admin.post("/api/v1/webhooks", { data: { url: receiver.url, events: ["promotion.applied"], description: unique("hook"), ...data } });
    expect(res.status(), await res.text()).toBe(201);
    const body = (await res.json()) as { id: string; secret: string; url: string; events: string[] };
    created.push(body.id);
    return { res, body };
  }

  test("admins only: other roles get 403, tokens whatever their scopes 403, no credentials 401", async ({ baseURL, playwright }) => {
    const viewer = await sessionFor(baseURL!, demoUser("viewer"));
    await expectError(await viewer.get("/api/v1/webhooks"), 403, "forbidden");
    await expectError(await viewer.post("/api/v1/webhooks", { data: { url: receiver.url, events: ["*"] } }), 403, "forbidden");
    await viewer.dispose();
    const token = await (await admin.post("/api/v1/tokens", { data: { name: unique("hooks-ci"), kind: "service", scopes: ["registry:read", "registry:write", "promotions:request", "aliases:rollback", "policies:write"] } })).json();
    const service = await tokenClient(baseURL!, token.token);
    await expectError(await service.get("/api/v1/webhooks"), 403, "forbidden");
    await service.dispose();
    const anonymous = await playwright.request.newContext({ baseURL });
    await expectError(await anonymous.get("/api/v1/webhooks"), 401);
    await anonymous.dispose();
  });

  test("the secret is in the creation's answer only; a rotation shows a new one once", async () => {
    const { res, body } = await register();
    expect(res.headers()["cache-control"]).toBe("no-store");
    expect(body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const one = await (await admin.get(`/api/v1/webhooks/${body.id}`)).json();
    expect(one).toMatchObject({ id: body.id, url: receiver.url, events: ["promotion.applied"], enabled: true, deliveryCounts: { pending: 0, delivered: 0, failed: 0 } });
    const list = await (await admin.get("/api/v1/webhooks?limit=200")).text();
    expect(list).toContain(body.id);
    for (const text of [JSON.stringify(one), list]) {
      expect(text).not.toContain(body.secret);
      expect(text).not.toContain("secret_encrypted");
    }
    const rotated = await admin.post(`/api/v1/webhooks/${body.id}/rotate-secret`);
    expect(rotated.status()).toBe(200);
    const next = (await rotated.json()) as { secret: string };
    expect(next.secret).toMatch(/^whsec_/);
    expect(next.secret).not.toBe(body.secret);
    expect(await (await admin.get(`/api/v1/webhooks/${body.id}`)).text()).not.toContain(next.secret);
  });

  test.describe("bad requests name the problem's path", () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ["no URL", { events: ["*"] }, "url"],
      ["not a URL", { url: "hooks.example.com", events: ["*"] }, "url"],
      ["an ftp URL", { url: "ftp://hooks.example.com/x", events: ["*"] }, "url"],
      ["credentials in the URL", { url: "https://user:pw@hooks.example.com/x", events: ["*"] }, "url"],
      ["a name that does not resolve", { url: "https://no-such-host.invalid/x", events: ["*"] }, "url"],
      ["the unspecified address", { url: "http://0.0.0.0:9000/x", events: ["*"] }, "url"],
      ["no events", { url: "https://hooks.example.com/x", events: [] }, "events"],
      ["an unknown event", { url: "https://hooks.example.com/x", events: ["promotion.applied", "model.deleted"] }, "events.1"],
      ["events not a list", { url: "https://hooks.example.com/x", events: "promotion.applied" }, "events"],
      ["enabled not a boolean", { url: "https://hooks.example.com/x", events: ["*"], enabled: "yes" }, "enabled"],
    ];
    for (const [name, data, path] of cases) {
      test(name, async () => {
        const body = await expectError(await admin.post("/api/v1/webhooks", { data }), 400, "invalid_input");
        expect(body.error.details?.map((d) => d.path)).toContain(path);
      });
    }

    test("updates, lists and ids", async () => {
      const { body: hook } = await register();
      const empty = await expectError(await admin.patch(`/api/v1/webhooks/${hook.id}`, { data: {} }), 400, "invalid_input");
      expect(empty.error.details?.[0].path).toBe("(body)");
      const events = await expectError(await admin.patch(`/api/v1/webhooks/${hook.id}`, { data: { events: ["nope.*"] } }), 400);
      expect(events.error.details?.[0].path).toBe("events.0");
      await expectError(await admin.get(`/api/v1/webhooks/${hook.id}/deliveries?status=lost`), 400, "invalid_input");
      await expectError(await admin.get(`/api/v1/webhooks/${hook.id}/deliveries?cursor=garbage`), 400);
      await expectError(await admin.get("/api/v1/webhooks/no-such-webhook"), 404, "not_found");
      await expectError(await admin.post("/api/v1/webhooks/no-such-webhook/test"), 404, "not_found");
      await expectError(await admin.post(`/api/v1/webhooks/${hook.id}/deliveries/no-such-delivery/redeliver`), 404, "not_found");
      await expectError(await admin.post("/api/v1/webhooks", { headers: { "content-type": "text/plain" }, data: "url=x" }), 415);
    });
  });

  test("a local receiver gets a signed test event that verifies with the documented code; redelivery repeats its id", async () => {
    const { body: hook } = await register();
    const verify = await loadDocumentedVerifier();
    const queued = await admin.post(`/api/v1/webhooks/${hook.id}/test`);
    expect(queued.status()).toBe(202);
    const delivery = (await queued.json()) as { id: string; status: string; event: string };
    expect(delivery).toMatchObject({ status: "pending", event: "webhook.test" });

    await expect.poll(() => receiver.requests.filter((r) => r.deliveryId === delivery.id).length, { timeout: 15_000 }).toBe(1);
    const got = receiver.requests.find((r) => r.deliveryId === delivery.id)!;
    expect(verify({ secret: hook.secret, headers: got.headers, body: got.body })).toBe(true);
    expect(got.json).toMatchObject({ type: "webhook.test", actor: { type: "user", label: demoUser("admin") }, data: { webhookId: hook.id } });

    // The hook takes every event, and other tests run at the same time: find this delivery by its id.
    const ours = async () => ((await (await admin.get(`/api/v1/webhooks/${hook.id}/deliveries?status=delivered&limit=100`)).json()).items as { id: string }[]).find((d) => d.id === delivery.id);
    await expect.poll(ours, { timeout: 15_000 }).toBeTruthy();
    expect(await ours()).toMatchObject({ id: delivery.id, attempts: 1, responseStatus: 204, lastError: null, nextAttemptAt: null });

    const again = await admin.post(`/api/v1/webhooks/${hook.id}/deliveries/${delivery.id}/redeliver`);
    expect(again.status()).toBe(202);
    await expect.poll(() => receiver.requests.filter((r) => r.deliveryId === delivery.id).length, { timeout: 15_000 }).toBe(2);
    const second = receiver.requests.filter((r) => r.deliveryId === delivery.id)[1];
    expect(second.body).toBe(got.body);
    expect(verify({ secret: hook.secret, headers: second.headers, body: second.body })).toBe(true);

    // Disabled: no test events, no redeliveries.
    expect((await admin.patch(`/api/v1/webhooks/${hook.id}`, { data: { enabled: false } })).status()).toBe(200);
    await expectError(await admin.post(`/api/v1/webhooks/${hook.id}/test`), 409, "conflict");
  });

  test("a promotion request reaches the receiver as promotion.requested, with the model and versions", async ({ baseURL }) => {
    const { body: hook } = await register({ events: ["promotion.requested"] });
    const engineer = await sessionFor(baseURL!, demoUser("engineer"));
    const { name } = await createModel(engineer);
    expect((await engineer.post(`/api/v1/models/${name}/versions`, { data: versionBody() })).status()).toBe(201);
    const asked = await engineer.post("/api/v1/promotions", { data: { model: name, version: 1, stage: "staging", justification: "Retrained on November data; AUC is up." } });
    expect(asked.status()).toBe(201);
    const request = (await asked.json()) as { id: string; number: number };
    await engineer.dispose();
    await expect.poll(() => receiver.requests.filter((r) => r.json.type === "promotion.requested" && (r.json.model as { name?: string } | null)?.name === name).length, { timeout: 15_000 }).toBe(1);
    const got = receiver.requests.find((r) => (r.json.model as { name?: string } | null)?.name === name)!;
    expect(got.json).toMatchObject({ alias: "staging", previousVersion: null, newVersion: 1, requestId: request.id, requestNumber: request.number, model: { name, team: "payments" }, actor: { type: "user", label: demoUser("engineer") } });
    const verify = await loadDocumentedVerifier();
    expect(verify({ secret: hook.secret, headers: got.headers, body: got.body })).toBe(true);
  });
});
