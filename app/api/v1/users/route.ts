// GET, POST /api/v1/users
import { unservedMethods } from "@/lib/api/methods";
import { publicUrl } from "@/lib/api/public-url";
import { Reply, withApi } from "@/lib/api/with-api";
import { ZCreateUserInput, ZListQuery } from "@/lib/auth/schemas";
import { createUser, listUsers } from "@/lib/auth/users";

export const GET = withApi({ permission: "users.manage", query: ZListQuery }, async ({ actor, query }) =>
  listUsers({ actor, q: query.q, cursor: query.cursor, limit: query.limit }),
);

/** Without a password the response carries a one-time invitation link (`invitation.url`) for the user. */
export const POST = withApi({ permission: "users.manage", body: ZCreateUserInput }, async ({ actor, body, request }) => {
  const { invitation, ...user } = await createUser({ actor, input: body });
  return new Reply(
    { ...user, invitation: invitation && { url: publicUrl(invitation.path, request), expiresAt: invitation.expiresAt } },
    201,
    { "cache-control": "no-store" },
  );
});

export const { PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET", "POST"]);
