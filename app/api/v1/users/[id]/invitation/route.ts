// POST /api/v1/users/{id}/invitation
import { unservedMethods } from "@/lib/api/methods";
import { publicUrl } from "@/lib/api/public-url";
import { Reply, withApi } from "@/lib/api/with-api";
import { reissueInvitation } from "@/lib/auth/invitations";
import { ZReasonInput } from "@/lib/auth/schemas";

export const POST = withApi({ permission: "users.manage", body: ZReasonInput }, async ({ actor, params, body, request }) => {
  const invitation = await reissueInvitation({ actor, id: params.id, reason: body.reason });
  return new Reply({ url: publicUrl(invitation.path, request), expiresAt: invitation.expiresAt }, 201, { "cache-control": "no-store" });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"]);
