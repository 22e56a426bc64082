// POST /api/v1/releases/{id}/rollback
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { rollbackRelease } from "@/lib/releases/release";
import { ZReleaseCommentInput } from "@/lib/releases/schemas";

// Permission is checked per member team in the use case (aliases.rollback for every one of them).
export const POST = withApi({ body: ZReleaseCommentInput }, async ({ actor, params, body }) => rollbackRelease({ actor, id: params.id, input: body }));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"]);
