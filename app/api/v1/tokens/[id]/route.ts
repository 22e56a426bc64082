// DELETE /api/v1/tokens/{id}
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { ZReasonInput } from "@/lib/auth/schemas";
import { revokeToken } from "@/lib/auth/tokens";

export const DELETE = withApi({ permission: "tokens.manage", query: ZReasonInput }, async ({ actor, params, query }) =>
  revokeToken({ actor, id: params.id, reason: query.reason }),
);

export const { GET, POST, PUT, PATCH, OPTIONS } = unservedMethods(["DELETE"]);
