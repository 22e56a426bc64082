import { z } from "zod";
import { ZPageQuery } from "@/lib/pagination";
import { EVENT_SPECS, NOTIFICATION_EVENTS, type NotificationEvent } from "./events";

/** Inputs for notifications: what use cases send (notify) and what people and API clients send. */
export const ZNotificationEvent = z.enum(NOTIFICATION_EVENTS, { message: `event must be one of ${NOTIFICATION_EVENTS.join(", ")}` });

/**
 * Text from the change being announced (a justification, a comment) made storable and short enough, rather than
 * refused: a long comment must not fail the transaction it belongs to.
 */
const fitted = (max: number) =>
  z.string().transform((s) => {
    const t = s.replace(/\0/g, "").toWellFormed().trim();
    return t.length > max ? `${t.slice(0, max - 1)}…` : t;
  });

/** What a use case passes to notify(). An unknown event, a link outside Gatehouse or no title is a bug: refused. */
export const ZNotifyInput = z.object({
  event: ZNotificationEvent,
  userIds: z.array(z.string().min(1).max(64)).max(10_000),
  title: z.string().trim().min(1, "A notification needs a title").pipe(fitted(200)),
  body: fitted(4_000),
  // A path inside Gatehouse ("/promotions/42"): stored as is for the bell, made absolute for email and Slack.
  link: z.string().max(2_000).regex(/^\/(?!\/)\S*$/, "link must be a path inside Gatehouse, starting with a single /"),
  requestId: z.string().max(64).nullish(),
});
export type TNotifyInput = z.input<typeof ZNotifyInput>;

export const ZListNotificationsQuery = ZPageQuery.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  unread: z.enum(["true", "false"]).optional().describe("true: only unread notifications"),
});

export const ZMarkReadInput = z
  .object({
    ids: z.array(z.string().min(1).max(64)).min(1, "Name at least one notification").max(500, "Mark at most 500 at once").optional(),
    all: z.literal(true).optional().describe("Mark every notification of yours as read"),
  })
  .strict()
  .refine((v) => (v.ids === undefined) !== (v.all === undefined), { message: "Send either ids (a list of notification ids) or all: true", path: ["ids"] });
export type TMarkReadInput = z.input<typeof ZMarkReadInput>;

const ZChannelsInput = z.object({ inApp: z.boolean().optional(), email: z.boolean().optional() }).strict();

export const ZUpdatePreferencesInput = z
  .object({
    preferences: z.partialRecord(ZNotificationEvent, ZChannelsInput).describe('Per event, the channels to change, e.g. { "decision.made": { "email": true } }; events left out keep their setting'),
  })
  .strict()
  .superRefine((v, ctx) => {
    for (const [event, channels] of Object.entries(v.preferences) as [NotificationEvent, { inApp?: boolean } | undefined][]) {
      if (channels?.inApp === false && EVENT_SPECS[event].inAppRequired) {
        ctx.addIssue({ code: "custom", path: ["preferences", event, "inApp"], message: `In-app notifications for "${EVENT_SPECS[event].label}" cannot be switched off: they bring you work others wait for` });
      }
    }
  });
export type TUpdatePreferencesInput = z.input<typeof ZUpdatePreferencesInput>;

/** The preferences form's checkboxes ("<event>.inApp", "<event>.email"): unchecked boxes are simply absent. */
export function preferencesFromForm(form: FormData): TUpdatePreferencesInput {
  const preferences = Object.fromEntries(
    NOTIFICATION_EVENTS.map((event) => [event, { inApp: EVENT_SPECS[event].inAppRequired || form.has(`${event}.inApp`), email: form.has(`${event}.email`) }]),
  );
  return { preferences };
}
