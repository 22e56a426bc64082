// GET, POST /api/v1/webhooks
import { unservedMethods } from "@/lib/api/methods";
import { Reply, withApi } from "@/lib/api/with-api";
import { ZPageQuery } from "@/lib/pagination";
import { createWebhook, listWebhooks } from "@/lib/webhooks/endpoints";
import { ZCreateWebhookInput } from "@/lib/webhooks/schemas";

export const GET = withApi({ permission: "webhooks.manage", query: ZPageQuery }, async ({ actor, query }) => listWebhooks({ actor, cursor: query.cursor, limit: query.limit }));

export const POST = withApi({ permission: "webhooks.manage", body: ZCreateWebhookInput }, async ({ actor, body }) => {
  const { webhook, secret } = await createWebhook({ actor, input: body });
  // The secret is in this answer only; Gatehouse keeps it encrypted and never shows it again.
  return new Reply({ ...webhook, secret }, 201, { "cache-control": "no-store" });
});

export const { PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET", "POST"]);
