// GET /api/v1/incidents
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { listIncidents } from "@/lib/rollouts/incidents";
import { ZIncidentsQuery } from "@/lib/rollouts/schemas";

export const GET = withApi({ permission: "registry.read", query: ZIncidentsQuery }, async ({ actor, query }) => listIncidents({ actor, query }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"]);
