// GET, POST /api/v1/promotions
import { unservedMethods } from "@/lib/api/methods";
import { Reply, withApi } from "@/lib/api/with-api";
import { requestPromotion } from "@/lib/promotions/request";
import { ZListPromotionsQuery, ZRequestPromotionInput } from "@/lib/promotions/schemas";
import { listPromotions } from "@/lib/promotions/views";

export const GET = withApi({ permission: "registry.read", query: ZListPromotionsQuery }, async ({ actor, query }) => listPromotions({ actor, query }));

export const POST = withApi({ permission: "promotions.request", body: ZRequestPromotionInput }, async ({ actor, body }) => {
  const request = await requestPromotion({ actor, input: body });
  return new Reply(request, 201, { location: `/api/v1/promotions/${request.id}` });
});

export const { PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET", "POST"]);
