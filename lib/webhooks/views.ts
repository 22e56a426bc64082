/** What the REST API and the admin pages show of endpoints and deliveries: never the secret, sealed or not. */
export type WebhookView = {
  id: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  /** When the current secret was made (creation or the last rotation). */
  secretSetAt: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
};

export type DeliveryStatus = "pending" | "delivered" | "failed";

export type DeliveryView = {
  /** The X-Gatehouse-Delivery-Id: the same on every attempt and redelivery. */
  id: string;
  webhookId: string;
  event: string;
  eventId: string;
  status: DeliveryStatus;
  attempts: number;
  responseStatus: number | null;
  durationMs: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  /** When it is tried next; null unless pending. */
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  failedAt: string | null;
  redeliveries: number;
  createdAt: string;
};

type EndpointRow = { id: string; url: string; description: string; events: string[]; enabled: boolean; secretSetAt: Date; createdBy: string; createdAt: Date; updatedAt: Date };

export function webhookView(e: EndpointRow): WebhookView {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    events: e.events,
    enabled: e.enabled,
    secretSetAt: e.secretSetAt.toISOString(),
    createdBy: e.createdBy,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

type DeliveryRow = {
  id: string;
  endpointId: string;
  event: string;
  eventId: string;
  status: string;
  attempts: number;
  responseStatus: number | null;
  durationMs: number | null;
  lastError: string | null;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date;
  deliveredAt: Date | null;
  failedAt: Date | null;
  redeliveries: number;
  createdAt: Date;
};

export function deliveryView(d: DeliveryRow): DeliveryView {
  const status = (["pending", "delivered", "failed"].includes(d.status) ? d.status : "failed") as DeliveryStatus;
  return {
    id: d.id,
    webhookId: d.endpointId,
    event: d.event,
    eventId: d.eventId,
    status,
    attempts: d.attempts,
    responseStatus: d.responseStatus,
    durationMs: d.durationMs,
    lastError: d.lastError,
    lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
    nextAttemptAt: status === "pending" ? d.nextAttemptAt.toISOString() : null,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    failedAt: d.failedAt?.toISOString() ?? null,
    redeliveries: d.redeliveries,
    createdAt: d.createdAt.toISOString(),
  };
}

/** Selects exactly the endpoint columns a view needs (the sealed secret stays in the database). */
export const ENDPOINT_VIEW_SELECT = { id: true, url: true, description: true, events: true, enabled: true, secretSetAt: true, createdBy: true, createdAt: true, updatedAt: true } as const;

export const DELIVERY_VIEW_SELECT = {
  id: true,
  endpointId: true,
  event: true,
  eventId: true,
  status: true,
  attempts: true,
  responseStatus: true,
  durationMs: true,
  lastError: true,
  lastAttemptAt: true,
  nextAttemptAt: true,
  deliveredAt: true,
  failedAt: true,
  redeliveries: true,
  createdAt: true,
} as const;
