// GET /api/v1/models/{name}/aliases
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { aliasHistory, listAliases } from "@/lib/registry/aliases";

export const GET = withApi({ permission: "registry.read" }, async ({ actor, params }) => ({
  items: await listAliases({ actor, model: params.name }),
  history: await aliasHistory({ actor, model: params.name, limit: 50 }),
}));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"]);
