// GET /api/v1/incidents/{id or number}
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { getIncident } from "@/lib/rollouts/incidents";

export const GET = withApi({ permission: "registry.read" }, async ({ actor, params }) => getIncident({ actor, id: params.id }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"]);
