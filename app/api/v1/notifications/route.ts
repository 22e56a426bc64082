// GET /api/v1/notifications
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { listNotifications } from "@/lib/notifications/inbox";
import { ZListNotificationsQuery } from "@/lib/notifications/schemas";

export const GET = withApi({ query: ZListNotificationsQuery }, async ({ actor, query }) =>
  listNotifications({ actor, cursor: query.cursor, limit: query.limit, unreadOnly: query.unread === "true" }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"]);
