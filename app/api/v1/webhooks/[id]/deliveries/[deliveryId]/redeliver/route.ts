// POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver
import { unservedMethods } from "@/lib/api/methods";
import { Reply, withApi } from "@/lib/api/with-api";
import { redeliverWebhook } from "@/lib/webhooks/deliveries";

// 202: queued; the delivery log (GET …/deliveries) shows how it went.
export const POST = withApi({ permission: "webhooks.manage" }, async ({ actor, params }) => new Reply(await redeliverWebhook({ actor, id: params.id, deliveryId: params.deliveryId }), 202));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"]);
