// GET, POST /api/v1/users
import { Reply, withApi } from "@/lib/api/with-api";
import { ZCreateUserInput, ZListQuery } from "@/lib/auth/schemas";
import { createUser, listUsers } from "@/lib/auth/users";

export const GET = withApi({ permission: "users.manage", query: ZListQuery }, async ({ actor, query }) =>
  listUsers({ actor, q: query.q, cursor: query.cursor, limit: query.limit }),
);

export const POST = withApi({ permission: "users.manage", body: ZCreateUserInput }, async ({ actor, body }) =>
  new Reply(await createUser({ actor, input: body }), 201),
);
