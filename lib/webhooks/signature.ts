import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * How a receiver knows a delivery came from Gatehouse and was not replayed: the scheme MLflow 3 uses. The
 * signature is `v1,` + base64 HMAC-SHA256, keyed with the endpoint's whole secret as shown (its UTF-8 bytes, prefix
 * included; unlike Standard Webhooks libraries, which base64-decode what follows "whsec_"), over
 * "{delivery id}.{timestamp}.{body}"; the timestamp is Unix seconds at sending. Pure.
 */
export const DELIVERY_ID_HEADER = "X-Gatehouse-Delivery-Id";
export const TIMESTAMP_HEADER = "X-Gatehouse-Timestamp";
export const SIGNATURE_HEADER = "X-Gatehouse-Signature";
export const EVENT_HEADER = "X-Gatehouse-Event";
export const SIGNATURE_VERSION = "v1";
/** Receivers should refuse deliveries signed longer ago than this (and as far in the future, for clock skew). */
export const TIMESTAMP_TOLERANCE_SECONDS = 300;
export const SECRET_PREFIX = "whsec_";

export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString("base64url");
}

export function signWebhook(o: { secret: string; deliveryId: string; timestamp: number; body: string }): string {
  const mac = createHmac("sha256", Buffer.from(o.secret, "utf8")).update(`${o.deliveryId}.${o.timestamp}.${o.body}`, "utf8").digest("base64");
  return `${SIGNATURE_VERSION},${mac}`;
}

/** Every header of one attempt; the timestamp (and so the signature) is new on each, the delivery id is not. */
export function webhookHeaders(o: { secret: string; deliveryId: string; event: string; body: string; now: Date }): Record<string, string> {
  const timestamp = Math.floor(o.now.getTime() / 1000);
  return {
    "content-type": "application/json",
    "user-agent": "Gatehouse-Webhooks/1",
    [EVENT_HEADER]: o.event,
    [DELIVERY_ID_HEADER]: o.deliveryId,
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: signWebhook({ secret: o.secret, deliveryId: o.deliveryId, timestamp, body: o.body }),
  };
}

export type Verification = { ok: true } | { ok: false; reason: "missing" | "malformed" | "too-old" | "in-the-future" | "mismatch" };

/** The receiver's side, as docs/webhooks.md shows it: constant-time compare, bounded clock difference. */
export function verifyWebhookSignature(o: {
  secret: string;
  deliveryId: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  body: string;
  now: Date;
  toleranceSeconds?: number;
}): Verification {
  if (!o.deliveryId || !o.timestamp || !o.signature) return { ok: false, reason: "missing" };
  if (!/^\d{1,12}$/.test(o.timestamp) || !o.signature.startsWith(`${SIGNATURE_VERSION},`)) return { ok: false, reason: "malformed" };
  const age = o.now.getTime() / 1000 - Number(o.timestamp);
  const tolerance = o.toleranceSeconds ?? TIMESTAMP_TOLERANCE_SECONDS;
  if (age > tolerance) return { ok: false, reason: "too-old" };
  if (age < -tolerance) return { ok: false, reason: "in-the-future" };
  const expected = Buffer.from(signWebhook({ secret: o.secret, deliveryId: o.deliveryId, timestamp: Number(o.timestamp), body: o.body }));
  const given = Buffer.from(o.signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? { ok: true } : { ok: false, reason: "mismatch" };
}
