// GET /api/v1/users/{id}
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { getUser } from "@/lib/auth/users";

export const GET = withApi({ permission: "users.manage" }, async ({ actor, params }) => getUser({ actor, id: params.id }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"]);
