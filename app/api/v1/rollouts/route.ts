// GET /api/v1/rollouts
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { ZRolloutsQuery } from "@/lib/rollouts/schemas";
import { listRollouts } from "@/lib/rollouts/views";

export const GET = withApi({ permission: "registry.read", query: ZRolloutsQuery }, async ({ actor, query }) => listRollouts({ actor, query }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"]);
