// POST /api/v1/promotions/{id}/review
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { reviewEmergencyPromotion } from "@/lib/promotions/rollback";
import { ZCommentInput } from "@/lib/promotions/schemas";

export const POST = withApi({ permission: "promotions.review", body: ZCommentInput }, async ({ actor, params, body }) => reviewEmergencyPromotion({ actor, id: params.id, input: body }));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"]);
