// POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver
import { Reply, withApi } from "@/lib/api/with-api";
import { redeliverWebhook } from "@/lib/webhooks/deliveries";

// 202: queued; the delivery log (GET …/deliveries) shows how it went.
export const POST = withApi({ permission: "webhooks.manage" }, async ({ actor, params }) => new Reply(await redeliverWebhook({ actor, id: params.id, deliveryId: params.deliveryId }), 202));
