import "server-only";
import { randomUUID } from "node:crypto";
import { appUrl } from "@/lib/api/public-url";
import { actorFields } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/permissions";
import type { Tx } from "@/lib/db";
import { announceOutbox } from "@/lib/notifications/wakeup";
import { matchesEventFilter, type WebhookEvent } from "./events";
import { buildPayload, serializePayload, type EventActor } from "./payload";

/**
 * Announces an event to every enabled endpoint whose filter matches, inside the caller's transaction: one
 * delivery row per endpoint, committed (or rolled back) with the change itself. Nothing is sent here; the
 * worker sends after the commit (deliver.ts), so a slow or dead receiver can never hold up or fail the change.
 * Costs one small query when no endpoint wants the event.
 */
export type WebhookEventInput = {
  event: WebhookEvent;
  actor: Actor;
  model: { name: string; teamId: string };
  alias?: string | null;
  previousVersion?: number | null;
  newVersion?: number | null;
  /** The promotion request involved, when there is one. */
  request?: { id: string; number?: number | null } | null;
  /** The event's own details (decision, comment, via, stage, …). */
  data?: Record<string, unknown>;
};

export function eventActor(actor: Actor): EventActor {
  const who = actorFields(actor);
  return { type: who.actorType as EventActor["type"], id: who.actorId, label: who.actorLabel };
}

export async function emitWebhookEvent(tx: Tx, input: WebhookEventInput): Promise<{ eventId: string; deliveries: number }> {
  const eventId = randomUUID();
  const endpoints = (await tx.webhookEndpoint.findMany({ where: { enabled: true }, select: { id: true, events: true } })).filter((e) => matchesEventFilter(e.events, input.event));
  if (!endpoints.length) return { eventId, deliveries: 0 };
  const team = await tx.team.findUnique({ where: { id: input.model.teamId }, select: { slug: true } });
  const request = input.request ?? null;
  const body = serializePayload(
    buildPayload({
      eventId,
      type: input.event,
      occurredAt: new Date(),
      actor: eventActor(input.actor),
      model: { name: input.model.name, team: team?.slug ?? null },
      alias: input.alias,
      previousVersion: input.previousVersion,
      newVersion: input.newVersion,
      requestId: request?.id ?? null,
      requestNumber: request?.number ?? null,
      url: appUrl(request ? `/promotions/${request.id}` : `/models/${encodeURIComponent(input.model.name)}`),
      data: input.data,
    }),
  );
  await tx.webhookDelivery.createMany({ data: endpoints.map((e) => ({ endpointId: e.id, eventId, event: input.event, body })) });
  // Wakes the delivery workers of every instance the moment this transaction commits (never if it rolls back).
  await announceOutbox(tx);
  return { eventId, deliveries: endpoints.length };
}
