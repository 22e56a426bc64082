// POST /api/v1/incidents/{id}/acknowledge
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { updateIncident } from "@/lib/rollouts/incidents";
import { ZIncidentActionInput } from "@/lib/rollouts/schemas";

export const POST = withApi({ permission: "rollouts.control", body: ZIncidentActionInput }, async ({ actor, params, body }) => updateIncident({ actor, id: params.id, action: "acknowledge", input: body }));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"]);
