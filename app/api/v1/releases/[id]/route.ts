// GET /api/v1/releases/{id}
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { getRelease } from "@/lib/releases/views";

export const GET = withApi({ permission: "registry.read" }, async ({ actor, params }) => getRelease({ actor, id: params.id }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"]);
