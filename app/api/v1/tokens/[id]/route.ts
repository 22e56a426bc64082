// DELETE /api/v1/tokens/{id}
import { withApi } from "@/lib/api/with-api";
import { revokeToken } from "@/lib/auth/tokens";

export const DELETE = withApi({ permission: "tokens.manage" }, async ({ actor, params, request }) =>
  revokeToken({ actor, id: params.id, reason: new URL(request.url).searchParams.get("reason") ?? undefined }),
);
