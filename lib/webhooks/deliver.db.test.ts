import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { db, transaction } from "@/lib/db";
import { requestPromotion } from "@/lib/promotions/request";
import { goodVersion, makeModel, makeTeam, makeUser } from "@/lib/promotions/test-fixtures";
import { deliverDueWebhooks } from "./deliver";
import { emitWebhookEvent } from "./emit";
import { createWebhook, deleteWebhook, updateWebhook } from "./endpoints";
import { loadDocumentedVerifier, startWebhookReceiver, type WebhookReceiver } from "./testing";

// Delivery against the real PostgreSQL of `npm test` and real local receivers: signatures, retries with backoff,
// stable delivery ids, and that a bad receiver never touches the promotion that announced something.
const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);
const later = (from: Date, ms: number) => new Date(from.getTime() + ms);
type User = Actor & { kind: "user" };

describe.skipIf(!hasDb)("webhook delivery", () => {
  let team: { id: string; slug: string };
  let engineer: User, admin: User;
  let receiver: WebhookReceiver;
  let verify: Awaited<ReturnType<typeof loadDocumentedVerifier>>;
  const created: string[] = [];
  const justification = "Retrained on October data; offline AUC improved.";

  beforeAll(async () => {
    team = await makeTeam("hooks");
    engineer = await makeUser("Eve Engineer", ["engineer"], team.id);
    admin = await makeUser("Ada Admin", ["admin"], null);
    receiver = await startWebhookReceiver();
    verify = await loadDocumentedVerifier();
  });
  // Earlier tests' leftovers must not be in the way of a pass's limit.
  beforeEach(async () => {
    await pass({ allowPrivate: true, timeoutMs: 200 });
  });
  // Each test's endpoints go with it, so the next test's events reach only its own.
  afterEach(async () => {
    for (const id of created.splice(0)) await deleteWebhook({ actor: admin, id }).catch(() => {});
  });
  afterAll(async () => {
    await receiver?.close();
    await db.$disconnect();
  });

  async function endpoint(events: string[], o: { url?: string; enabled?: boolean } = {}) {
    const { webhook, secret } = await createWebhook({ actor: admin, input: { url: o.url ?? receiver.url, events, enabled: o.enabled ?? true }, allowPrivate: true });
    created.push(webhook.id);
    return { id: webhook.id, secret };
  }
  // Passes until nothing more is due at that moment, whatever else the shared test database holds.
  const pass = async (o: Parameters<typeof deliverDueWebhooks>[0] = {}) => {
    while ((await deliverDueWebhooks({ limit: 500, ...o })).claimed > 0);
  };
  const deliveriesOf = (endpointId: string) => db.webhookDelivery.findMany({ where: { endpointId }, orderBy: { id: "asc" } });
  const promote = async () => {
    const model = await makeModel({ team, engineer });
    const version = await goodVersion(model, engineer);
    const r = await requestPromotion({ actor: engineer, input: { model, version, stage: "staging", justification } });
    return { model, r };
  };

  it("an applied promotion sends signed deliveries that verify with the documented receiver code", async () => {
    const hook = await endpoint(["promotion.applied", "alias.changed"]);
    const { model, r } = await promote();
    expect(r.status).toBe("applied");
    const rows = await deliveriesOf(hook.id);
    expect(rows.map((d) => d.event).sort()).toEqual(["alias.changed", "promotion.applied"]);
    expect(rows.every((d) => d.status === "pending")).toBe(true);

    await pass({ allowPrivate: true });
    const got = receiver.requests.filter((q) => rows.some((d) => d.id === q.deliveryId));
    expect(got).toHaveLength(2);
    for (const q of got) {
      expect(verify({ secret: hook.secret, headers: q.headers, body: q.body })).toBe(true);
      expect(verify({ secret: "whsec_not-the-secret", headers: q.headers, body: q.body })).toBe(false);
      expect(q.headers["content-type"]).toBe("application/json");
      expect(q.event).toBe(q.json.type);
    }
    const applied = got.find((q) => q.event === "promotion.applied")!.json;
    expect(applied).toMatchObject({
      type: "promotion.applied",
      actor: { type: "user", id: engineer.userId, label: engineer.label },
      model: { name: model, team: team.slug },
      alias: "staging",
      previousVersion: null,
      newVersion: 1,
      requestId: r.id,
      requestNumber: r.number,
      data: { stage: "staging", emergency: false, automatic: true },
    });
    expect(applied.occurredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(applied.url).toMatch(new RegExp(`/promotions/${r.id}$`));
    expect(got.find((q) => q.event === "alias.changed")!.json).toMatchObject({ alias: "staging", newVersion: 1, data: { via: "promotion" } });
    for (const d of await deliveriesOf(hook.id)) expect(d).toMatchObject({ status: "delivered", attempts: 1, responseStatus: 204, lastError: null, deliveredAt: expect.any(Date) });
  });

  it("a receiver failing with 500, then recovering, is retried with backoff and acts once: the same delivery id every time", async () => {
    const hook = await endpoint(["promotion.requested"]);
    await promote();
    const [delivery] = await deliveriesOf(hook.id);
    // The receiver does the work each time but answers 500 twice, as one whose response gets lost would.
    receiver.failNext(2, 500, true);
    const now = new Date();
    const half = () => 0.5;
    await pass({ now, allowPrivate: true, random: half });
    const first = await db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    // Backoff with jitter: 30 s ceiling, half of it plus half of the other half (random 0.5) = 22.5 s.
    expect(first).toMatchObject({ status: "pending", attempts: 1, responseStatus: 500, lastError: "HTTP 500: receiver unavailable", nextAttemptAt: later(now, 22_500) });

    await pass({ now: later(now, 20_000), allowPrivate: true, random: half });
    expect((await db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).attempts).toBe(1);

    await pass({ now: later(now, 23_000), allowPrivate: true, random: half });
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: "pending", attempts: 2, nextAttemptAt: later(now, 23_000 + 45_000) });

    await pass({ now: later(now, 69_000), allowPrivate: true, random: half });
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: "delivered", attempts: 3, responseStatus: 204, lastError: null });
    await pass({ now: later(now, 3_600_000), allowPrivate: true });

    const got = receiver.requests.filter((q) => q.json.id === delivery.eventId);
    expect(got.map((q) => q.answered)).toEqual([500, 500, 204]);
    expect(new Set(got.map((q) => q.deliveryId))).toEqual(new Set([delivery.id]));
    for (const q of got) expect(verify({ secret: hook.secret, headers: q.headers, body: q.body })).toBe(true);
    expect(receiver.effects.filter((id) => id === delivery.id)).toHaveLength(1);
  });

  it("a 404 is not retried; it fails at once with what the receiver said", async () => {
    const hook = await endpoint(["promotion.requested"]);
    await promote();
    receiver.failNext(1, 404);
    await pass({ allowPrivate: true });
    const [d] = await deliveriesOf(hook.id);
    expect(d).toMatchObject({ status: "failed", attempts: 1, responseStatus: 404, lastError: "HTTP 404: receiver unavailable", failedAt: expect.any(Date) });
    await pass({ now: later(new Date(), 7_200_000), allowPrivate: true });
    expect(receiver.requests.filter((q) => q.deliveryId === d.id)).toHaveLength(1);
  });

  it("a dead receiver neither slows down nor fails the promotion; its attempt times out and is retried", async () => {
    const hook = await endpoint(["*"]);
    receiver.hangForever();
    try {
      await transaction((tx) => emitWebhookEvent(tx, { event: "alias.changed", actor: admin, model: { name: "earlier", teamId: team.id }, alias: "a", previousVersion: 1, newVersion: 2 }));
      let passDone = false;
      const stuck = deliverDueWebhooks({ allowPrivate: true, timeoutMs: 3_000, limit: 500 }).finally(() => (passDone = true));
      await expect.poll(() => receiver.requests.filter((q) => q.answered === 0).length).toBeGreaterThan(0);
      // The next promotion happens while a delivery hangs on the receiver, and is not held up by it.
      const { r } = await promote();
      expect(r.status).toBe("applied");
      expect(passDone).toBe(false);
      await stuck;
      const rows = await deliveriesOf(hook.id);
      expect(rows.map((d) => d.event).sort()).toEqual(["alias.changed", "alias.changed", "promotion.applied", "promotion.requested"]);
      await pass({ allowPrivate: true, timeoutMs: 300 });
      for (const d of await deliveriesOf(hook.id)) expect(d).toMatchObject({ status: "pending", attempts: 1, responseStatus: null, lastError: expect.stringMatching(/^No answer within (3|0\.3) s$/) });
    } finally {
      receiver.hangForever(false);
    }
  });

  it("an unreachable receiver is a network error, retried", async () => {
    const hook = await endpoint(["promotion.requested"], { url: "http://127.0.0.1:9/closed" });
    await promote();
    await pass({ allowPrivate: true });
    const [d] = await deliveriesOf(hook.id);
    expect(d).toMatchObject({ status: "pending", attempts: 1, lastError: "Could not reach the receiver: ECONNREFUSED" });
  });

  it("disabled endpoints and filtered-out events get nothing; disabling stops what was queued", async () => {
    const off = await endpoint(["*"], { enabled: false });
    const reviewOnly = await endpoint(["review.required"]);
    const queued = await endpoint(["promotion.*"]);
    await promote();
    expect(await deliveriesOf(off.id)).toEqual([]);
    expect(await deliveriesOf(reviewOnly.id)).toEqual([]);
    expect((await deliveriesOf(queued.id)).map((d) => d.event).sort()).toEqual(["promotion.applied", "promotion.requested"]);
    await updateWebhook({ actor: admin, id: queued.id, input: { enabled: false } });
    await pass({ allowPrivate: true });
    for (const d of await deliveriesOf(queued.id)) {
      expect(d).toMatchObject({ status: "failed", attempts: 0, lastError: expect.stringContaining("disabled") });
      expect(receiver.requests.some((q) => q.deliveryId === d.id)).toBe(false);
    }
  });

  it("an address that became private is refused at delivery time, and not retried", async () => {
    const hook = await endpoint(["promotion.requested"]);
    await promote();
    await pass({ allowPrivate: false });
    const [d] = await deliveriesOf(hook.id);
    expect(d).toMatchObject({ status: "failed", lastError: expect.stringContaining("127.0.0.1 is a loopback address") });
    expect(receiver.requests.some((q) => q.deliveryId === d.id)).toBe(false);
  });

  it("an event rolled back with its transaction sends nothing", async () => {
    const hook = await endpoint(["alias.changed"]);
    await expect(
      transaction(async (tx) => {
        await emitWebhookEvent(tx, { event: "alias.changed", actor: admin, model: { name: "ghost", teamId: team.id }, alias: "champion", previousVersion: 1, newVersion: 2 });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await deliveriesOf(hook.id)).toEqual([]);
  });

  it("passes running at once never send a delivery twice", async () => {
    const hook = await endpoint(["alias.changed"]);
    for (let i = 0; i < 12; i++) {
      await transaction((tx) => emitWebhookEvent(tx, { event: "alias.changed", actor: admin, model: { name: `many-${i}`, teamId: team.id }, alias: "a", previousVersion: i, newVersion: i + 1 }));
    }
    receiver.slowDown(20);
    const passes = await Promise.all(Array.from({ length: 4 }, () => deliverDueWebhooks({ allowPrivate: true, limit: 4 })));
    await pass({ allowPrivate: true });
    receiver.slowDown(0);
    expect(passes.reduce((n, p) => n + p.claimed, 0)).toBeGreaterThan(4);
    const rows = await deliveriesOf(hook.id);
    expect(rows).toHaveLength(12);
    for (const d of rows) {
      expect(d).toMatchObject({ status: "delivered", attempts: 1 });
      expect(receiver.requests.filter((q) => q.deliveryId === d.id)).toHaveLength(1);
    }
  });
});
