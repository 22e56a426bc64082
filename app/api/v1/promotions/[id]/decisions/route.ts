// POST /api/v1/promotions/{id}/decisions
import { unservedMethods } from "@/lib/api/methods";
import { Reply, withApi } from "@/lib/api/with-api";
import { decidePromotion } from "@/lib/promotions/decide";
import { ZDecisionInput } from "@/lib/promotions/schemas";

// No permission up front: who may decide depends on the roles the request's policy asks for (checked in the use case).
export const POST = withApi({ body: ZDecisionInput }, async ({ actor, params, body }) => new Reply(await decidePromotion({ actor, id: params.id, input: body }), 201));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"]);
