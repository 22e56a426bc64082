// GET, PATCH, DELETE /api/v1/webhooks/{id}
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { deleteWebhook, getWebhook, updateWebhook } from "@/lib/webhooks/endpoints";
import { ZUpdateWebhookInput } from "@/lib/webhooks/schemas";

export const GET = withApi({ permission: "webhooks.manage" }, async ({ actor, params }) => getWebhook({ actor, id: params.id }));

export const PATCH = withApi({ permission: "webhooks.manage", body: ZUpdateWebhookInput }, async ({ actor, params, body }) => updateWebhook({ actor, id: params.id, input: body }));

export const DELETE = withApi({ permission: "webhooks.manage" }, async ({ actor, params }) => deleteWebhook({ actor, id: params.id }));

export const { POST, PUT, OPTIONS } = unservedMethods(["GET", "PATCH", "DELETE"]);
