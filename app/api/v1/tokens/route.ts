// GET, POST /api/v1/tokens
import { z } from "zod";
import { unservedMethods } from "@/lib/api/methods";
import { Reply, withApi } from "@/lib/api/with-api";
import { ZCreateTokenInput, ZListQuery } from "@/lib/auth/schemas";
import { createToken, listTokens } from "@/lib/auth/tokens";

const ZQuery = ZListQuery.extend({ includeRevoked: z.enum(["true", "false"]).optional() });

export const GET = withApi({ permission: "tokens.manage", query: ZQuery }, async ({ actor, query }) =>
  listTokens({ actor, cursor: query.cursor, limit: query.limit, includeRevoked: query.includeRevoked === "true" }),
);

export const POST = withApi({ permission: "tokens.manage", body: ZCreateTokenInput }, async ({ actor, body }) => {
  const { token, secret } = await createToken({ actor, input: body });
  return new Reply({ ...token, token: secret }, 201, { "cache-control": "no-store" });
});

export const { PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET", "POST"]);
