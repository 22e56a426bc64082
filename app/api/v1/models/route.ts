// GET, POST /api/v1/models
import { unservedMethods } from "@/lib/api/methods";
import { Reply, withApi } from "@/lib/api/with-api";
import { createModel, listModels } from "@/lib/registry/models";
import { ZCreateModelInput, ZListModelsQuery } from "@/lib/registry/schemas";

export const GET = withApi({ permission: "registry.read", query: ZListModelsQuery }, async ({ actor, query }) => listModels({ actor, query }));

export const POST = withApi({ permission: "registry.write", body: ZCreateModelInput }, async ({ actor, body }) =>
  new Reply(await createModel({ actor, input: body }), 201),
);

export const { PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET", "POST"]);
