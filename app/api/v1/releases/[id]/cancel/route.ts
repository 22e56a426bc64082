// POST /api/v1/releases/{id}/cancel
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { cancelRelease } from "@/lib/releases/release";
import { ZReleaseCommentInput } from "@/lib/releases/schemas";

export const POST = withApi({ body: ZReleaseCommentInput }, async ({ actor, params, body }) => cancelRelease({ actor, id: params.id, input: body }));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"]);
