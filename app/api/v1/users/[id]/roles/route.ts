// POST /api/v1/users/{id}/roles
import { unservedMethods } from "@/lib/api/methods";
import { Reply, withApi } from "@/lib/api/with-api";
import { ZRoleGrantInput } from "@/lib/auth/schemas";
import { grantRole } from "@/lib/auth/users";

export const POST = withApi({ permission: "roles.manage", body: ZRoleGrantInput }, async ({ actor, params, body }) =>
  new Reply(await grantRole({ actor, id: params.id, input: body }), 201),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"]);
