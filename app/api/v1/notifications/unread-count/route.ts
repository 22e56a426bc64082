// GET /api/v1/notifications/unread-count
import { unservedMethods } from "@/lib/api/methods";
import { Reply, withApi } from "@/lib/api/with-api";
import { unreadCount } from "@/lib/notifications/inbox";

// The bell polls this; a cache in between would show a stale number.
export const GET = withApi({}, async ({ actor }) => new Reply(await unreadCount({ actor }), 200, { "cache-control": "no-store" }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"]);
