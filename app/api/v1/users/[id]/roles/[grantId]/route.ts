// DELETE /api/v1/users/{id}/roles/{grantId}
import { withApi } from "@/lib/api/with-api";
import { revokeRole } from "@/lib/auth/users";

export const DELETE = withApi({ permission: "roles.manage" }, async ({ actor, params, request }) =>
  revokeRole({ actor, id: params.id, grantId: params.grantId, reason: new URL(request.url).searchParams.get("reason") ?? undefined }),
);
