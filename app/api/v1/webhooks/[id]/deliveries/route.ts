// GET /api/v1/webhooks/{id}/deliveries
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { listWebhookDeliveries } from "@/lib/webhooks/deliveries";
import { ZListDeliveriesQuery } from "@/lib/webhooks/schemas";

export const GET = withApi({ permission: "webhooks.manage", query: ZListDeliveriesQuery }, async ({ actor, params, query }) => listWebhookDeliveries({ actor, id: params.id, query }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"]);
