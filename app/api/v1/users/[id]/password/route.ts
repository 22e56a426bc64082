// POST /api/v1/users/{id}/password
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { ZResetPasswordInput } from "@/lib/auth/schemas";
import { resetPassword } from "@/lib/auth/users";

export const POST = withApi({ permission: "users.manage", body: ZResetPasswordInput }, async ({ actor, params, body }) =>
  resetPassword({ actor, id: params.id, input: body }),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"]);
