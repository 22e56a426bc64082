import { describe, expect, it } from "vitest";
import { signWebhook } from "./signature";
import { loadDocumentedVerifier } from "./testing";

// The receiver snippet in docs/webhooks.md, run as written, against signatures made the way Gatehouse makes them.
describe("the documented receiver snippet", () => {
  const secret = "whsec_documented-secret";
  const body = '{"id":"e","type":"webhook.test"}';
  const now = Date.parse("2026-11-22T19:00:00Z");
  const ts = Math.floor(now / 1000);
  const headers = (o: { id?: string; timestamp?: number; signature?: string } = {}) => ({
    "x-gatehouse-delivery-id": o.id ?? "d-1",
    "x-gatehouse-timestamp": String(o.timestamp ?? ts),
    "x-gatehouse-signature": o.signature ?? signWebhook({ secret, deliveryId: o.id ?? "d-1", timestamp: o.timestamp ?? ts, body }),
  });

  it.each<[string, Record<string, string>, string, number, boolean]>([
    ["accepts a fresh, correctly signed delivery", headers(), body, now, true],
    ["accepts one signed 4 minutes ago", headers(), body, now + 240_000, true],
    ["rejects one signed 6 minutes ago", headers(), body, now + 360_000, false],
    ["rejects a timestamp 6 minutes ahead", headers(), body, now - 360_000, false],
    ["rejects a changed body", headers(), body.replace("test", "tset"), now, false],
    ["rejects a signature made with another secret", headers({ signature: signWebhook({ secret: "whsec_other", deliveryId: "d-1", timestamp: ts, body }) }), body, now, false],
    ["rejects a replay under another delivery id", { ...headers(), "x-gatehouse-delivery-id": "d-2" }, body, now, false],
    ["rejects a missing signature", { ...headers(), "x-gatehouse-signature": "" }, body, now, false],
  ])("%s", async (_name, h, b, at, want) => {
    const verify = await loadDocumentedVerifier();
    expect(verify({ secret, headers: h, body: b, now: at })).toBe(want);
  });
});
