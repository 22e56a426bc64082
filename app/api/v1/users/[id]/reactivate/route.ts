// POST /api/v1/users/{id}/reactivate
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { ZReasonInput } from "@/lib/auth/schemas";
import { setUserActive } from "@/lib/auth/users";

export const POST = withApi({ permission: "users.manage", body: ZReasonInput }, async ({ actor, params, body }) =>
  setUserActive({ actor, id: params.id, input: { active: true, reason: body.reason } }),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"]);
