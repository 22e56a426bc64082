// GET, PUT /api/v1/me/notification-preferences
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { getPreferences, updatePreferences } from "@/lib/notifications/preferences";
import { ZUpdatePreferencesInput } from "@/lib/notifications/schemas";

export const GET = withApi({}, async ({ actor }) => getPreferences({ actor }));

export const PUT = withApi({ body: ZUpdatePreferencesInput }, async ({ actor, body }) => updatePreferences({ actor, input: body }));

export const { POST, PATCH, DELETE, OPTIONS } = unservedMethods(["GET", "PUT"]);
