// GET /api/v1/incidents
import { withApi } from "@/lib/api/with-api";
import { listIncidents } from "@/lib/rollouts/incidents";
import { ZIncidentsQuery } from "@/lib/rollouts/schemas";

export const GET = withApi({ permission: "registry.read", query: ZIncidentsQuery }, async ({ actor, query }) => listIncidents({ actor, query }));
