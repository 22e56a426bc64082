import { readFileSync } from "node:fs";
import { expect, request as playwrightRequest, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { startWebhookReceiver } from "../../lib/webhooks/testing";
import { demoUser, sessionFor, unique } from "../support/api";

// API tokens and webhook secrets are shown once, in the answer that creates (or rotates) them, and nowhere else:
// not in any other response, header, export, page, webhook delivery or the server's log. This test does everything
// that might echo them and then searches all of it. The server log is the in-process test server's stdout and stderr,
// copied to a file by scripts/test.mjs (GATEHOUSE_TEST_SERVER_LOG).

test("tokens and webhook secrets never appear in responses, exports, deliveries or the server log", async ({ baseURL }) => {
  test.setTimeout(90_000);
  const logFile = process.env.GATEHOUSE_TEST_SERVER_LOG;
  expect(logFile, "run through `npm test`, which records the server's log for this test").toBeTruthy();
  const started = new Date(Date.now() - 1_000).toISOString();
  const admin = await sessionFor(baseURL!, demoUser("admin"));
  const engineer = await sessionFor(baseURL!, demoUser("engineer"));
  const receiver = await startWebhookReceiver();
  const transcript: { label: string; text: string }[] = [];
  /** Keeps a response's status line, headers and body for the search at the end. */
  const keep = async (label: string, res: APIResponse) => {
    transcript.push({ label, text: `${res.status()}\n${JSON.stringify(res.headersArray())}\n${await res.text()}` });
    return res;
  };

  // The secrets: a service token, a user token, a webhook's secret and the one that replaces it.
  const created = async (res: APIResponse) => {
    expect(res.status(), await res.text()).toBe(201);
    return res.json();
  };
  const service = await created(await admin.post("/api/v1/tokens", { data: { name: unique("secret-probe-ci"), kind: "service", scopes: ["registry:read"] } }));
  const user = await created(await admin.post("/api/v1/tokens", { data: { name: unique("secret-probe-laptop"), kind: "user", userEmail: demoUser("engineer") } }));
  const hook = await created(await admin.post("/api/v1/webhooks", { data: { url: receiver.url, events: ["review.required"], description: unique("secret-probe") } }));
  const secrets: Record<string, string> = { "service token": service.token, "user token": user.token, "webhook secret": hook.secret };
  expect(service.token).toMatch(/^ghk_/);
  expect(hook.secret).toMatch(/^whsec_/);

  // Tokens used as meant, with too few scopes, malformed, and after revocation.
  const as = (authorization: string) => playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization } });
  const serviceClient = await as(`Bearer ${service.token}`);
  const userClient = await as(`Bearer ${user.token}`);
  expect((await keep("service token: me", await serviceClient.get("/api/v1/me"))).status()).toBe(200);
  expect((await keep("service token: models", await serviceClient.get("/api/v1/models"))).status()).toBe(200);
  expect((await keep("service token: wrong scope", await serviceClient.post("/api/v1/teams", { data: { slug: unique("t"), name: "No" } }))).status()).toBe(403);
  expect((await keep("service token: no notifications", await serviceClient.get("/api/v1/notifications"))).status()).toBe(403);
  expect((await keep("user token: me", await userClient.get("/api/v1/me"))).status()).toBe(200);
  expect((await keep("user token: notifications", await userClient.get("/api/v1/notifications"))).status()).toBe(200);
  expect((await keep("user token: not an admin", await userClient.get("/api/v1/tokens"))).status()).toBe(403);
  for (const [i, header] of [`Bearer ${service.token}x`, `Bearer ${service.token.slice(0, -1)}`, `Bearer ${service.token} ${service.token}`, `Token ${service.token}`, service.token, `Bearer ${user.token.toUpperCase()}`].entries()) {
    const client = await as(header);
    expect((await keep(`malformed ${i}`, await client.get("/api/v1/me"))).status(), header).toBe(401);
    await client.dispose();
  }
  expect((await keep("revoke", await admin.delete(`/api/v1/tokens/${service.id}`))).status()).toBe(200);
  expect((await keep("revoked token", await serviceClient.get("/api/v1/me"))).status()).toBe(401);
  expect((await keep("revoked token again", await serviceClient.get("/api/v1/models"))).status()).toBe(401);

  // Webhook deliveries: a failed one (its error is stored and shown), a delivered one redelivered, and a rotation.
  const deliveredTimes = (id: string) => () => receiver.requests.filter((r) => r.deliveryId === id).length;
  receiver.failNext(1, 500);
  const first = await (await keep("webhook test (fails)", await admin.post(`/api/v1/webhooks/${hook.id}/test`))).json();
  await expect.poll(deliveredTimes(first.id), { timeout: 20_000 }).toBe(1);
  type Delivery = { id: string; status: string; lastError: string | null };
  const delivery = async (id: string) => ((await (await admin.get(`/api/v1/webhooks/${hook.id}/deliveries?limit=100`)).json()).items as Delivery[]).find((d) => d.id === id);
  // Failed with its error kept (unless another test's emergency promotion reached the receiver first and took the failure).
  await expect
    .poll(async () => {
      const d = await delivery(first.id);
      return Boolean(d && (d.lastError || d.status === "delivered"));
    }, { timeout: 20_000 })
    .toBe(true);
  const second = await (await keep("webhook test", await admin.post(`/api/v1/webhooks/${hook.id}/test`))).json();
  await expect.poll(async () => (await delivery(second.id))?.status, { timeout: 20_000 }).toBe("delivered");
  expect((await keep("redeliver", await admin.post(`/api/v1/webhooks/${hook.id}/deliveries/${second.id}/redeliver`))).status()).toBe(202);
  await expect.poll(deliveredTimes(second.id), { timeout: 20_000 }).toBe(2);
  const rotated = await admin.post(`/api/v1/webhooks/${hook.id}/rotate-secret`);
  expect(rotated.status()).toBe(200);
  secrets["rotated webhook secret"] = ((await rotated.json()) as { secret: string }).secret;
  const third = await (await keep("webhook test after rotation", await admin.post(`/api/v1/webhooks/${hook.id}/test`))).json();
  await expect.poll(deliveredTimes(third.id), { timeout: 20_000 }).toBe(1);
  await keep("webhook update", await admin.patch(`/api/v1/webhooks/${hook.id}`, { data: { description: unique("secret-probe-renamed") } }));

  // Everywhere they might be listed, shown or exported.
  const reads: [string, APIRequestContext, string][] = [
    ["tokens", admin, "/api/v1/tokens?limit=200&includeRevoked=true"],
    ["webhooks", admin, "/api/v1/webhooks?limit=200"],
    ["webhook", admin, `/api/v1/webhooks/${hook.id}`],
    ["deliveries", admin, `/api/v1/webhooks/${hook.id}/deliveries?limit=100`],
    ["audit", admin, `/api/v1/audit?from=${encodeURIComponent(started)}&limit=200`],
    ["audit: token.create", admin, "/api/v1/audit?action=token.create&limit=50"],
    ["audit: token.revoke", admin, "/api/v1/audit?action=token.revoke&limit=50"],
    ["audit: webhook.create", admin, "/api/v1/audit?action=webhook.create&limit=50"],
    ["audit: webhook.rotate-secret", admin, "/api/v1/audit?action=webhook.rotate-secret&limit=50"],
    ["audit export csv", admin, `/api/v1/audit/export?format=csv&from=${encodeURIComponent(started)}`],
    ["audit export jsonl", admin, `/api/v1/audit/export?format=jsonl&from=${encodeURIComponent(started)}`],
    ["notifications (admin)", admin, "/api/v1/notifications?limit=100"],
    ["notifications (engineer)", engineer, "/api/v1/notifications?limit=100"],
    ["tokens page", admin, "/admin/tokens"],
    ["webhooks page", admin, "/admin/webhooks"],
    ["webhook page", admin, `/admin/webhooks/${hook.id}`],
    ["audit page", admin, "/audit"],
  ];
  for (const [label, client, url] of reads) expect((await keep(label, await client.get(url))).status(), label).toBe(200);
  // The audit log records the token by name and display prefix, and the webhook by its settings: enough to tell them apart.
  const tokenEvent = ((await (await admin.get("/api/v1/audit?action=token.create&limit=50")).json()).items as { target: { id: string }; after: { prefix: string } }[]).find((e) => e.target.id === user.id);
  expect(tokenEvent?.after.prefix && user.token.startsWith(tokenEvent.after.prefix)).toBeTruthy();

  // What reached the webhook receiver: signatures made with the secret, never the secret.
  for (const r of receiver.requests) transcript.push({ label: `delivery ${r.deliveryId}`, text: `${JSON.stringify(r.headers)}\n${r.body}` });

  // Give the server's log a moment to take anything written after the last answer.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const serverLog = readFileSync(logFile!, "utf8");
  // The capture works: scripts/test.mjs's own line about starting the server is in it.
  expect(serverLog).toContain("test server on");
  transcript.push({ label: "server log", text: serverLog });

  const leaks: string[] = [];
  for (const [what, secret] of Object.entries(secrets)) {
    // The whole secret, or its random part alone (as a prefix-stripping encoder would write it).
    const random = secret.replace(/^(ghk|whsec)_/, "");
    for (const { label, text } of transcript) if (text.includes(secret) || text.includes(random)) leaks.push(`${what} in ${label}`);
  }
  expect(leaks).toEqual([]);
  expect(transcript.length).toBeGreaterThan(30);

  await Promise.all([admin.delete(`/api/v1/webhooks/${hook.id}`), admin.delete(`/api/v1/tokens/${user.id}`)]);
  await Promise.all([admin.dispose(), engineer.dispose(), serviceClient.dispose(), userClient.dispose(), receiver.close()]);
});
