// GET, PATCH /api/v1/models/{name}/versions/{version}
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { ZUpdateVersionInput } from "@/lib/registry/schemas";
import { getVersion, updateVersion } from "@/lib/registry/versions";

export const GET = withApi({ permission: "registry.read" }, async ({ actor, params }) => getVersion({ actor, model: params.name, version: params.version }));

export const PATCH = withApi({ permission: "registry.write", body: ZUpdateVersionInput }, async ({ actor, params, body }) =>
  updateVersion({ actor, model: params.name, version: params.version, input: body }),
);

export const { POST, PUT, DELETE, OPTIONS } = unservedMethods(["GET", "PATCH"]);
