// DELETE /api/v1/users/{id}/roles/{grantId}
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { ZReasonInput } from "@/lib/auth/schemas";
import { revokeRole } from "@/lib/auth/users";

export const DELETE = withApi({ permission: "roles.manage", query: ZReasonInput }, async ({ actor, params, query }) =>
  revokeRole({ actor, id: params.id, grantId: params.grantId, reason: query.reason }),
);

export const { GET, POST, PUT, PATCH, OPTIONS } = unservedMethods(["DELETE"]);
