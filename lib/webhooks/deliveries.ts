import "server-only";
import { randomUUID } from "node:crypto";
import { conflict, notFound } from "@/lib/api/errors";
import { appUrl } from "@/lib/api/public-url";
import { recordAuditEvent } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/require";
import { db, transaction } from "@/lib/db";
import { announceOutbox } from "@/lib/notifications/wakeup";
import { pageArgs, toPage, type Page } from "@/lib/pagination";
import { kickWebhooks } from "./deliver";
import { eventActor } from "./emit";
import { lockEndpoint } from "./endpoints";
import { TEST_EVENT } from "./events";
import { buildPayload, serializePayload } from "./payload";
import type { TListDeliveriesQuery } from "./schemas";
import { DELIVERY_VIEW_SELECT, deliveryView, type DeliveryView } from "./views";

/** An endpoint's delivery log, newest first, and the two ways an admin sends something again or on purpose. */
export async function listWebhookDeliveries(opts: { actor: Actor | null; id: string; query: TListDeliveriesQuery }): Promise<Page<DeliveryView>> {
  requirePermission(opts.actor, "webhooks.manage");
  const endpoint = await db.webhookEndpoint.findUnique({ where: { id: opts.id }, select: { id: true } });
  if (!endpoint) throw notFound(`No webhook with id "${opts.id}"`);
  const rows = await db.webhookDelivery.findMany({
    where: { endpointId: endpoint.id, ...(opts.query.status ? { status: opts.query.status } : {}) },
    orderBy: { id: "desc" },
    select: DELIVERY_VIEW_SELECT,
    ...pageArgs("id", opts.query.cursor, opts.query.limit),
  });
  return toPage(rows.map(deliveryView), opts.query.limit, (d) => d.id);
}

/**
 * Queues a delivered or failed delivery again: the same delivery id and body (a receiver that deduplicates by
 * the id sees the same message), a fresh timestamp and signature, and a new round of retries.
 */
export async function redeliverWebhook(opts: { actor: Actor | null; id: string; deliveryId: string }): Promise<DeliveryView> {
  const actor = requirePermission(opts.actor, "webhooks.manage");
  const view = await transaction(async (tx) => {
    const endpoint = await lockEndpoint(tx, opts.id);
    await tx.$executeRaw`SELECT 1 FROM webhook_deliveries WHERE id = ${opts.deliveryId} FOR UPDATE`;
    const before = await tx.webhookDelivery.findFirst({ where: { id: opts.deliveryId, endpointId: endpoint.id }, select: DELIVERY_VIEW_SELECT });
    if (!before) throw notFound(`Webhook ${endpoint.id} has no delivery "${opts.deliveryId}"`);
    if (!endpoint.enabled) throw conflict("The webhook is disabled; enable it before redelivering.", [{ path: "enabled", message: "Disabled" }]);
    if (before.status === "pending") throw conflict(`Delivery ${before.id} is still queued (next attempt at ${before.nextAttemptAt.toISOString()}); it needs no redelivery.`);
    const row = await tx.webhookDelivery.update({
      where: { id: before.id },
      data: { status: "pending", attempts: 0, nextAttemptAt: new Date(), deliveredAt: null, failedAt: null, lastError: null, responseStatus: null, durationMs: null, redeliveries: { increment: 1 } },
      select: DELIVERY_VIEW_SELECT,
    });
    await recordAuditEvent(tx, {
      actor,
      action: "webhook.redeliver",
      target: { type: "webhook", id: endpoint.id },
      before: { deliveryId: before.id, event: before.event, status: before.status, attempts: before.attempts, responseStatus: before.responseStatus },
      after: { deliveryId: row.id, status: "pending", redeliveries: row.redeliveries },
    });
    await announceOutbox(tx);
    return deliveryView(row);
  });
  kickWebhooks(0);
  return view;
}

/** Queues a `webhook.test` event for this endpoint alone, whatever its filter, to check the receiver end to end. */
export async function sendTestWebhook(opts: { actor: Actor | null; id: string }): Promise<DeliveryView> {
  const actor = requirePermission(opts.actor, "webhooks.manage");
  const view = await transaction(async (tx) => {
    const endpoint = await lockEndpoint(tx, opts.id);
    if (!endpoint.enabled) throw conflict("The webhook is disabled; enable it to send a test event.", [{ path: "enabled", message: "Disabled" }]);
    const eventId = randomUUID();
    const body = serializePayload(
      buildPayload({
        eventId,
        type: TEST_EVENT,
        occurredAt: new Date(),
        actor: eventActor(actor),
        url: appUrl(`/admin/webhooks/${endpoint.id}`),
        data: { webhookId: endpoint.id, message: "A test event from Gatehouse. If its signature verifies, this endpoint is ready." },
      }),
    );
    const row = await tx.webhookDelivery.create({ data: { endpointId: endpoint.id, eventId, event: TEST_EVENT, body }, select: DELIVERY_VIEW_SELECT });
    await recordAuditEvent(tx, { actor, action: "webhook.test", target: { type: "webhook", id: endpoint.id }, after: { deliveryId: row.id, eventId } });
    await announceOutbox(tx);
    return deliveryView(row);
  });
  kickWebhooks(0);
  return view;
}
