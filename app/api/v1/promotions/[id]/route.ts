// GET /api/v1/promotions/{id}
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { getPromotion } from "@/lib/promotions/views";

export const GET = withApi({ permission: "registry.read" }, async ({ actor, params }) => getPromotion({ actor, id: params.id }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"]);
