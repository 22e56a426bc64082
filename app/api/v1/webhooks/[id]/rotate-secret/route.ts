// POST /api/v1/webhooks/{id}/rotate-secret
import { unservedMethods } from "@/lib/api/methods";
import { Reply, withApi } from "@/lib/api/with-api";
import { rotateWebhookSecret } from "@/lib/webhooks/endpoints";

export const POST = withApi({ permission: "webhooks.manage" }, async ({ actor, params }) => {
  const { webhook, secret } = await rotateWebhookSecret({ actor, id: params.id });
  // The new secret is in this answer only.
  return new Reply({ ...webhook, secret }, 200, { "cache-control": "no-store" });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"]);
