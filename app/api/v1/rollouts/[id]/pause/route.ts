// POST /api/v1/rollouts/{id}/pause
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { controlRollout } from "@/lib/rollouts/control";
import { ZRolloutControlInput } from "@/lib/rollouts/schemas";

export const POST = withApi({ permission: "rollouts.control", body: ZRolloutControlInput }, async ({ actor, params, body }) => controlRollout({ actor, id: params.id, action: "pause", input: body }));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"]);
