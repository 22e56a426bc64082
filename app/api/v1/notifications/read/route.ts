// POST /api/v1/notifications/read
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { markRead } from "@/lib/notifications/inbox";
import { ZMarkReadInput } from "@/lib/notifications/schemas";

export const POST = withApi({ body: ZMarkReadInput }, async ({ actor, body }) => markRead({ actor, input: body }));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"]);
