/**
 * The JSON every delivery carries: the same envelope for every event, so a receiver can route on `type` and
 * read the common fields without knowing the event, and the event's own details under `data`. Pure.
 */
export type EventActor = { type: "user" | "service" | "system"; id: string | null; label: string };

export type WebhookPayload = {
  /** Unique per event; the same in every endpoint's delivery of it. */
  id: string;
  type: string;
  /** ISO 8601 UTC. */
  occurredAt: string;
  actor: EventActor;
  model: { name: string; team: string | null } | null;
  alias: string | null;
  previousVersion: number | null;
  newVersion: number | null;
  requestId: string | null;
  requestNumber: number | null;
  /** Where people see it in Gatehouse. */
  url: string | null;
  data: Record<string, unknown>;
};

export type PayloadInput = {
  eventId: string;
  type: string;
  occurredAt: Date;
  actor: EventActor;
  model?: { name: string; team: string | null } | null;
  alias?: string | null;
  previousVersion?: number | null;
  newVersion?: number | null;
  requestId?: string | null;
  requestNumber?: number | null;
  url?: string | null;
  data?: Record<string, unknown>;
};

export function buildPayload(i: PayloadInput): WebhookPayload {
  return {
    id: i.eventId,
    type: i.type,
    occurredAt: i.occurredAt.toISOString(),
    actor: i.actor,
    model: i.model ?? null,
    alias: i.alias ?? null,
    previousVersion: i.previousVersion ?? null,
    newVersion: i.newVersion ?? null,
    requestId: i.requestId ?? null,
    requestNumber: i.requestNumber ?? null,
    url: i.url ?? null,
    // Through JSON, so what is stored and signed is exactly what a receiver parses (no undefined, dates as text).
    data: JSON.parse(JSON.stringify(i.data ?? {})) as Record<string, unknown>,
  };
}

/** The body as sent and signed. */
export function serializePayload(p: WebhookPayload): string {
  return JSON.stringify(p);
}
