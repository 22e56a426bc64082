// GET /api/v1/models/{name}
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { getModel } from "@/lib/registry/models";

export const GET = withApi({ permission: "registry.read" }, async ({ actor, params }) => getModel({ actor, name: params.name }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"]);
