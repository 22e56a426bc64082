// GET /api/v1/models/{name}/aliases/{alias}/history
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { aliasAt } from "@/lib/registry/aliases";
import { ZAliasHistoryQuery } from "@/lib/registry/schemas";

export const GET = withApi({ permission: "registry.read", query: ZAliasHistoryQuery }, async ({ actor, params, query }) =>
  aliasAt({ actor, model: params.name, alias: params.alias, at: query.at ? new Date(query.at) : undefined }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"]);
