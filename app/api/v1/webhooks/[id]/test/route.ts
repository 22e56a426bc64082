// POST /api/v1/webhooks/{id}/test
import { unservedMethods } from "@/lib/api/methods";
import { Reply, withApi } from "@/lib/api/with-api";
import { sendTestWebhook } from "@/lib/webhooks/deliveries";

// 202: queued; the delivery log (GET …/deliveries) shows how it went.
export const POST = withApi({ permission: "webhooks.manage" }, async ({ actor, params }) => new Reply(await sendTestWebhook({ actor, id: params.id }), 202));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"]);
