import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { decidePromotion } from "@/lib/promotions/decide";
import { requestPromotion } from "@/lib/promotions/request";
import { rollbackAlias } from "@/lib/promotions/rollback";
import { COMMENT, STAGING_ONLY_POLICY, goodVersion, makeModel, makeTeam, makeUser } from "@/lib/promotions/test-fixtures";
import { deleteAlias, setAlias } from "@/lib/registry/aliases";
import { createWebhook, deleteWebhook } from "./endpoints";
import type { WebhookPayload } from "./payload";

// Every event comes from the place where its change happens, in that change's transaction, with the payload the docs describe.
const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);
type User = Actor & { kind: "user" };

describe.skipIf(!hasDb)("webhook events from promotions and aliases", () => {
  let team: { id: string; slug: string };
  let engineer: User, lead: User, admin: User;
  let hookId = "";

  beforeAll(async () => {
    team = await makeTeam("events");
    engineer = await makeUser("Eve Engineer", ["engineer"], team.id);
    lead = await makeUser("Lee Lead", ["ml-lead"], team.id);
    admin = await makeUser("Ada Admin", ["admin"], null);
    hookId = (await createWebhook({ actor: admin, input: { url: "http://127.0.0.1:9/unused", events: ["*"] }, allowPrivate: true })).webhook.id;
  });
  afterAll(async () => {
    await deleteWebhook({ actor: admin, id: hookId });
    await db.$disconnect();
  });

  const eventsFor = async (model: string): Promise<WebhookPayload[]> => {
    const rows = await db.webhookDelivery.findMany({ where: { endpointId: hookId }, orderBy: { id: "asc" } });
    return rows.map((r) => JSON.parse(r.body) as WebhookPayload).filter((p) => p.model?.name === model);
  };

  it("a promotion's life, an emergency, a rollback and hand-set aliases each announce themselves", async () => {
    const model = await makeModel({ team, engineer, policy: STAGING_ONLY_POLICY("[{ role: ml-lead }]") });
    const v1 = await goodVersion(model, engineer);
    const first = await requestPromotion({ actor: engineer, input: { model, version: v1, stage: "staging", justification: "Retrained on October data; offline AUC improved." } });
    await decidePromotion({ actor: lead, id: first.id, input: { decision: "approve", comment: COMMENT } });
    const v2 = await goodVersion(model, engineer);
    const urgent = await requestPromotion({ actor: engineer, input: { model, version: v2, stage: "staging", justification: "Incident 4711: v1 leaks memory under load.", emergency: true } });
    await decidePromotion({ actor: lead, id: urgent.id, input: { decision: "approve", comment: COMMENT } });
    await decidePromotion({ actor: admin, id: urgent.id, input: { decision: "approve", comment: "Approved as incident commander for 4711." } });
    await rollbackAlias({ actor: lead, model, alias: "staging", input: { comment: "v2 misbehaves under real traffic." } });
    await setAlias({ actor: engineer, model, alias: "shadow", input: { version: v2, reason: "shadow traffic" } });
    await deleteAlias({ actor: engineer, model, alias: "shadow", reason: "done" });

    const events = await eventsFor(model);
    expect(events.map((e) => e.type)).toEqual([
      "promotion.requested",
      "promotion.decided",
      "alias.changed",
      "promotion.applied",
      "promotion.requested",
      "promotion.decided",
      "promotion.decided",
      "alias.changed",
      "promotion.applied",
      "review.required",
      "alias.changed",
      "promotion.rolled_back",
      "alias.changed",
      "alias.changed",
    ]);
    const [requested, decided, moved, applied] = events;
    const common = { model: { name: model, team: team.slug }, alias: "staging" };
    expect(requested).toMatchObject({ ...common, actor: { type: "user", id: engineer.userId }, previousVersion: null, newVersion: 1, requestId: first.id, requestNumber: first.number, data: { stage: "staging", status: "awaiting-approval", emergency: false } });
    expect(decided).toMatchObject({ ...common, actor: { id: lead.userId }, requestId: first.id, data: { decision: "approve", comment: COMMENT, roles: ["ml-lead"], signed: false } });
    expect(moved).toMatchObject({ ...common, previousVersion: null, newVersion: 1, requestId: first.id, data: { via: "promotion" } });
    expect(applied).toMatchObject({ ...common, previousVersion: null, newVersion: 1, requestId: first.id, data: { automatic: false, emergency: false } });
    expect(events[9]).toMatchObject({ type: "review.required", ...common, previousVersion: 1, newVersion: 2, requestId: urgent.id, data: { justification: "Incident 4711: v1 leaks memory under load." } });
    expect(events[10]).toMatchObject({ type: "alias.changed", previousVersion: 2, newVersion: 1, data: { via: "rollback" } });
    expect(events[11]).toMatchObject({ type: "promotion.rolled_back", ...common, actor: { id: lead.userId }, previousVersion: 2, newVersion: 1, requestId: urgent.id, data: { comment: "v2 misbehaves under real traffic." } });
    expect(events[12]).toMatchObject({ alias: "shadow", previousVersion: null, newVersion: 2, requestId: null, data: { via: "direct", reason: "shadow traffic" } });
    expect(events[13]).toMatchObject({ alias: "shadow", previousVersion: 2, newVersion: null, data: { via: "direct" } });
    // One id per event; each names when it happened, in UTC.
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    for (const e of events) expect(e.occurredAt).toMatch(/Z$/);
  });

  it("an event nobody subscribed to writes nothing", async () => {
    await db.webhookEndpoint.update({ where: { id: hookId }, data: { events: ["review.required"] } });
    try {
      const model = await makeModel({ team, engineer });
      const v = await goodVersion(model, engineer);
      await requestPromotion({ actor: engineer, input: { model, version: v, stage: "staging", justification: "Retrained on October data; offline AUC improved." } });
      expect(await eventsFor(model)).toEqual([]);
    } finally {
      await db.webhookEndpoint.update({ where: { id: hookId }, data: { events: ["*"] } });
    }
  });
});
