// GET /api/v1/models/{name}/aliases
import { withApi } from "@/lib/api/with-api";
import { aliasHistory, listAliases } from "@/lib/registry/aliases";

export const GET = withApi({ permission: "registry.read" }, async ({ actor, params }) => ({
  items: await listAliases({ actor, model: params.name }),
  history: await aliasHistory({ actor, model: params.name, limit: 50 }),
}));
