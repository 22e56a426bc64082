// GET, POST /api/v1/models/{name}/versions
import { unservedMethods } from "@/lib/api/methods";
import { Reply, withApi } from "@/lib/api/with-api";
import { ZCreateVersionInput, ZPageQuery } from "@/lib/registry/schemas";
import { listVersions, registerVersion } from "@/lib/registry/versions";

export const GET = withApi({ permission: "registry.read", query: ZPageQuery }, async ({ actor, params, query }) => listVersions({ actor, model: params.name, query }));

export const POST = withApi({ permission: "registry.write", body: ZCreateVersionInput }, async ({ actor, params, body }) =>
  new Reply(await registerVersion({ actor, model: params.name, input: body }), 201),
);

export const { PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET", "POST"]);
