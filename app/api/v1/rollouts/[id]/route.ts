// GET /api/v1/rollouts/{id or number}
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { getRollout } from "@/lib/rollouts/views";

export const GET = withApi({ permission: "registry.read" }, async ({ actor, params }) => getRollout({ actor, id: params.id }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"]);
