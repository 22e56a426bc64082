// POST /api/v1/rollouts/{id}/checkpoint
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { decideCheckpoint } from "@/lib/rollouts/control";
import { ZCheckpointInput } from "@/lib/rollouts/schemas";

export const POST = withApi({ body: ZCheckpointInput }, async ({ actor, params, body }) => decideCheckpoint({ actor, id: params.id, input: body }));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"]);
