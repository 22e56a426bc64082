import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/verify";
import type { Actor } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { makeUser } from "@/lib/promotions/test-fixtures";
import { deliverDueWebhooks } from "./deliver";
import { listWebhookDeliveries, redeliverWebhook, sendTestWebhook } from "./deliveries";
import { createWebhook, deleteWebhook, getWebhook, listWebhooks, rotateWebhookSecret, updateWebhook } from "./endpoints";
import { decryptWebhookSecret } from "./secret-store";
import { startWebhookReceiver, type WebhookReceiver } from "./testing";
import { verifyWebhookSignature } from "./signature";

// The admin's side: register, change, rotate, test, redeliver, delete; each audited, the secret never shown twice.
const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);
type User = Actor & { kind: "user" };
const service: Actor = { kind: "service", tokenId: "t", label: "token:ci", scopes: ["registry:read", "registry:write", "promotions:request", "metrics:write", "serving:read", "aliases:rollback", "policies:write"] };

describe.skipIf(!hasDb)("webhook endpoints", () => {
  let admin: User, engineer: User;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    admin = await makeUser("Ada Admin", ["admin"], null);
    engineer = await makeUser("Eve Engineer", ["engineer"], null);
    receiver = await startWebhookReceiver();
  });
  const created: string[] = [];
  afterAll(async () => {
    for (const id of created) await deleteWebhook({ actor: admin, id }).catch(() => {});
    await receiver?.close();
    expect((await verifyAuditChain()).ok).toBe(true);
    await db.$disconnect();
  });

  const create = async (input: Partial<{ url: string; events: string[]; description: string; enabled: boolean }> = {}, allowPrivate = true) => {
    const made = await createWebhook({ actor: admin, input: { url: receiver.url, events: ["promotion.applied"], ...input }, allowPrivate });
    created.push(made.webhook.id);
    return made;
  };
  const auditOf = (id: string) => db.auditEvent.findMany({ where: { targetType: "webhook", targetId: id }, orderBy: { id: "asc" } });
  // Everything an audit event holds, as text, to look for secrets in it.
  const auditText = async (id: string) => JSON.stringify((await auditOf(id)).map((e) => ({ ...e, id: String(e.id) })));
  const drain = async () => {
    while ((await deliverDueWebhooks({ allowPrivate: true, limit: 500 })).claimed > 0);
  };
  const statusOf = async (p: Promise<unknown>) => p.then(() => 200, (e: { status?: number }) => e.status ?? 500);

  it("admins only: engineers, and tokens whatever their scopes, are refused", async () => {
    for (const actor of [engineer, service, null]) {
      expect(await statusOf(listWebhooks({ actor, limit: 10 }))).toBe(actor ? 403 : 401);
      expect(await statusOf(createWebhook({ actor, input: { url: "https://93.184.216.34/x", events: ["*"] } }))).toBe(actor ? 403 : 401);
    }
  });

  it("the secret is returned once, stored encrypted, and in no view or audit event", async () => {
    const { webhook, secret } = await create({ description: "Deploys" });
    expect(secret).toMatch(/^whsec_/);
    const row = await db.webhookEndpoint.findUniqueOrThrow({ where: { id: webhook.id } });
    expect(row.secretEncrypted).not.toContain(secret.slice(6, 20));
    expect(decryptWebhookSecret(row.secretEncrypted)).toBe(secret);
    const shown = JSON.stringify([webhook, await getWebhook({ actor: admin, id: webhook.id }), await listWebhooks({ actor: admin, limit: 200 })]);
    expect(shown).not.toContain(secret);
    expect(shown).not.toContain(row.secretEncrypted);
    const audit = await auditOf(webhook.id);
    expect(audit.map((e) => e.action)).toEqual(["webhook.create"]);
    expect(audit[0].after).toMatchObject({ url: receiver.url, events: ["promotion.applied"], description: "Deploys", enabled: true });
    expect(await auditText(webhook.id)).not.toContain(secret);
  });

  it.each<[string, string, string]>([
    ["a loopback address", "http://127.0.0.1:8080/hook", "loopback"],
    ["localhost", "http://localhost/hook", "loopback"],
    ["an IPv4-mapped IPv6 loopback", "http://[::ffff:127.0.0.1]/hook", "IPv4-mapped"],
    ["cloud metadata", "http://169.254.169.254/latest", "cloud metadata"],
    ["a link-local address", "http://169.254.10.1/hook", "link-local"],
    ["a unique-local IPv6 address", "http://[fd00::1]/hook", "unique-local"],
    ["credentials in the URL", "https://user:pw@hooks.example.com/x", "credentials"],
  ])("refuses %s unless allowed, naming the url field", async (_n, url, why) => {
    const err = (await create({ url }, false).catch((e) => e)) as { status: number; details: { path: string; message: string }[] };
    expect(err.status).toBe(400);
    expect(err.details[0]).toMatchObject({ path: "url", message: expect.stringContaining(why) });
  });

  it("refuses bad input with the path of the problem", async () => {
    const paths = async (input: Record<string, unknown>) => {
      const err = (await createWebhook({ actor: admin, input: input as never, allowPrivate: true }).catch((e) => e)) as { issues?: { path: (string | number)[] }[] };
      return err.issues?.map((i) => i.path.join("."));
    };
    expect(await paths({ url: "ftp://x.example.com", events: ["*"] })).toEqual(["url"]);
    expect(await paths({ url: receiver.url, events: [] })).toEqual(["events"]);
    expect(await paths({ url: receiver.url, events: ["promotion.deleted"] })).toEqual(["events.0"]);
    expect(await paths({ url: receiver.url })).toEqual(["events"]);
  });

  it("changes are audited by kind; enable and disable on their own; nothing changed, nothing recorded", async () => {
    const { webhook } = await create();
    await updateWebhook({ actor: admin, id: webhook.id, input: { events: ["promotion.*", "alias.changed", "alias.changed"], description: "Both" } });
    await updateWebhook({ actor: admin, id: webhook.id, input: { enabled: false } });
    await updateWebhook({ actor: admin, id: webhook.id, input: { enabled: false } });
    const back = await updateWebhook({ actor: admin, id: webhook.id, input: { enabled: true } });
    expect(back).toMatchObject({ events: ["alias.changed", "promotion.*"], description: "Both", enabled: true });
    const audit = await auditOf(webhook.id);
    expect(audit.map((e) => e.action)).toEqual(["webhook.create", "webhook.update", "webhook.disable", "webhook.enable"]);
    expect(audit[1]).toMatchObject({ before: { events: ["promotion.applied"], description: "" }, after: { events: ["alias.changed", "promotion.*"], description: "Both" } });
    expect(await statusOf(updateWebhook({ actor: admin, id: webhook.id, input: { url: "http://10.1.2.3/x" }, allowPrivate: false }))).toBe(400);
    expect(await statusOf(updateWebhook({ actor: admin, id: "nope", input: { enabled: false } }))).toBe(404);
  });

  it("a test event reaches the receiver signed with the current secret; after a rotation, with the new one", async () => {
    const { webhook, secret } = await create();
    const first = await sendTestWebhook({ actor: admin, id: webhook.id });
    expect(first).toMatchObject({ event: "webhook.test", status: "pending", attempts: 0 });
    await drain();
    const got = receiver.requests.find((q) => q.deliveryId === first.id)!;
    expect(got.json).toMatchObject({ type: "webhook.test", actor: { type: "user", label: admin.label }, model: null, data: { webhookId: webhook.id } });
    const check = (s: string) => verifyWebhookSignature({ secret: s, deliveryId: got.deliveryId, timestamp: got.timestamp, signature: got.signature, body: got.body, now: new Date() }).ok;
    expect(check(secret)).toBe(true);

    const rotated = await rotateWebhookSecret({ actor: admin, id: webhook.id });
    expect(rotated.secret).not.toBe(secret);
    const second = await sendTestWebhook({ actor: admin, id: webhook.id });
    await drain();
    const next = receiver.requests.find((q) => q.deliveryId === second.id)!;
    expect(verifyWebhookSignature({ secret: rotated.secret, deliveryId: next.deliveryId, timestamp: next.timestamp, signature: next.signature, body: next.body, now: new Date() }).ok).toBe(true);
    expect(verifyWebhookSignature({ secret, deliveryId: next.deliveryId, timestamp: next.timestamp, signature: next.signature, body: next.body, now: new Date() }).ok).toBe(false);
    const audit = await auditOf(webhook.id);
    expect(audit.map((e) => e.action)).toEqual(["webhook.create", "webhook.test", "webhook.rotate-secret", "webhook.test"]);
    expect(await auditText(webhook.id)).not.toContain(rotated.secret);
    expect(await auditText(webhook.id)).not.toContain(secret);
  });

  it("redelivery sends the same delivery id and body again, only once it is no longer queued", async () => {
    const { webhook } = await create();
    const sent = await sendTestWebhook({ actor: admin, id: webhook.id });
    expect(await statusOf(redeliverWebhook({ actor: admin, id: webhook.id, deliveryId: sent.id }))).toBe(409);
    receiver.failNext(1, 400);
    await drain();
    const failed = (await listWebhookDeliveries({ actor: admin, id: webhook.id, query: { limit: 10 } })).items[0];
    expect(failed).toMatchObject({ id: sent.id, status: "failed", attempts: 1, responseStatus: 400, nextAttemptAt: null });

    const again = await redeliverWebhook({ actor: admin, id: webhook.id, deliveryId: sent.id });
    expect(again).toMatchObject({ id: sent.id, status: "pending", attempts: 0, redeliveries: 1, lastError: null });
    await drain();
    const got = receiver.requests.filter((q) => q.deliveryId === sent.id);
    expect(got.map((q) => q.answered)).toEqual([400, 204]);
    expect(got[1].body).toBe(got[0].body);
    expect((await listWebhookDeliveries({ actor: admin, id: webhook.id, query: { limit: 10, status: "delivered" } })).items.map((d) => d.id)).toEqual([sent.id]);
    expect(await statusOf(redeliverWebhook({ actor: admin, id: webhook.id, deliveryId: "nope" }))).toBe(404);
    const audit = await auditOf(webhook.id);
    expect(audit.map((e) => e.action)).toEqual(["webhook.create", "webhook.test", "webhook.redeliver"]);
    expect(audit[2]).toMatchObject({ before: { deliveryId: sent.id, status: "failed", responseStatus: 400 }, after: { status: "pending" } });
  });

  it("a disabled endpoint cannot be test-sent or redelivered; deleting drops it and its log", async () => {
    const { webhook } = await create({ enabled: false });
    expect(await statusOf(sendTestWebhook({ actor: admin, id: webhook.id }))).toBe(409);
    await updateWebhook({ actor: admin, id: webhook.id, input: { enabled: true } });
    const sent = await sendTestWebhook({ actor: admin, id: webhook.id });
    expect(await deleteWebhook({ actor: admin, id: webhook.id })).toEqual({ deleted: true, id: webhook.id });
    expect(await db.webhookDelivery.findUnique({ where: { id: sent.id } })).toBeNull();
    expect(await statusOf(getWebhook({ actor: admin, id: webhook.id }))).toBe(404);
    const last = (await auditOf(webhook.id)).at(-1)!;
    expect(last).toMatchObject({ action: "webhook.delete", after: { deleted: true, pendingDeliveriesDropped: 1 } });
  });
});
