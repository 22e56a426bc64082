// POST /api/v1/releases/{id}/decisions
import { unservedMethods } from "@/lib/api/methods";
import { Reply, withApi } from "@/lib/api/with-api";
import { decideRelease } from "@/lib/releases/release";
import { ZReleaseDecisionInput } from "@/lib/releases/schemas";

// No permission up front: who may decide depends on the roles each member's policy asks for (checked in the use case).
export const POST = withApi({ body: ZReleaseDecisionInput }, async ({ actor, params, body }) => new Reply(await decideRelease({ actor, id: params.id, input: body }), 201));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"]);
