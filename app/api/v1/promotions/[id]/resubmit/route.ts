// POST /api/v1/promotions/{id}/resubmit
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { resubmitPromotion } from "@/lib/promotions/request";
import { ZCommentInput } from "@/lib/promotions/schemas";

export const POST = withApi({ permission: "promotions.request", body: ZCommentInput }, async ({ actor, params, body }) => resubmitPromotion({ actor, id: params.id, input: body }));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"]);
