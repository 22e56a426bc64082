// POST /api/v1/users/{id}/roles
import { z } from "zod";
import { Reply, withApi } from "@/lib/api/with-api";
import { ZRoleGrantInput } from "@/lib/auth/schemas";
import { grantRole } from "@/lib/auth/users";

const ZBody = ZRoleGrantInput.extend({ reason: z.string().trim().max(2_000).optional() });

export const POST = withApi({ permission: "roles.manage", body: ZBody }, async ({ actor, params, body }) =>
  new Reply(await grantRole({ actor, id: params.id, input: body, reason: body.reason }), 201),
);
