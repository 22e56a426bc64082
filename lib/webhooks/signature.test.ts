import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateWebhookSecret, signWebhook, verifyWebhookSignature, webhookHeaders } from "./signature";

const secret = "whsec_test-secret-0123456789";
const body = '{"id":"e1","type":"promotion.applied"}';
const now = new Date("2026-11-22T19:00:00.000Z");
const ts = Math.floor(now.getTime() / 1000);

describe("webhook signatures", () => {
  it("is v1, then base64 HMAC-SHA256 of '{delivery id}.{timestamp}.{body}' keyed with the secret's bytes", () => {
    const expected = createHmac("sha256", secret).update(`d-1.${ts}.${body}`).digest("base64");
    expect(signWebhook({ secret, deliveryId: "d-1", timestamp: ts, body })).toBe(`v1,${expected}`);
  });

  it("puts the delivery id, the timestamp in Unix seconds and the signature in the headers", () => {
    const h = webhookHeaders({ secret, deliveryId: "d-1", event: "promotion.applied", body, now });
    expect(h).toMatchObject({ "X-Gatehouse-Delivery-Id": "d-1", "X-Gatehouse-Timestamp": String(ts), "X-Gatehouse-Event": "promotion.applied", "content-type": "application/json" });
    expect(h["X-Gatehouse-Signature"]).toBe(signWebhook({ secret, deliveryId: "d-1", timestamp: ts, body }));
  });

  const good = { secret, deliveryId: "d-1", timestamp: String(ts), signature: signWebhook({ secret, deliveryId: "d-1", timestamp: ts, body }), body, now };
  it.each<[string, Partial<typeof good>, string]>([
    ["a good signature", {}, "ok"],
    ["4 minutes old", { now: new Date(now.getTime() + 240_000) }, "ok"],
    ["6 minutes old", { now: new Date(now.getTime() + 360_000) }, "too-old"],
    ["6 minutes in the future", { now: new Date(now.getTime() - 360_000) }, "in-the-future"],
    ["another body", { body: body.replace("applied", "requested") }, "mismatch"],
    ["another delivery id", { deliveryId: "d-2" }, "mismatch"],
    ["another secret", { secret: "whsec_other" }, "mismatch"],
    ["a timestamp changed to look fresh", { timestamp: String(ts + 60) }, "mismatch"],
    ["no signature", { signature: undefined }, "missing"],
    ["a v0 signature", { signature: "v0,abc" }, "malformed"],
    ["a timestamp in milliseconds' clothing", { timestamp: "17640" + "x" }, "malformed"],
    ["a truncated signature", { signature: good.signature.slice(0, -2) }, "mismatch"],
  ])("%s → %s", (_name, change, want) => {
    const result = verifyWebhookSignature({ ...good, ...change });
    expect(result.ok ? "ok" : result.reason).toBe(want);
  });

  it("generates distinct 256-bit secrets", () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(generateWebhookSecret()).not.toBe(a);
  });
});
