// POST /api/v1/promotions/{id}/cancel
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { cancelPromotion } from "@/lib/promotions/request";
import { ZCommentInput } from "@/lib/promotions/schemas";

export const POST = withApi({ body: ZCommentInput }, async ({ actor, params, body }) => cancelPromotion({ actor, id: params.id, input: body }));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"]);
