import { channelsFor, type NotificationEvent } from "./events";
import { emailPayload, slackPayload, type EmailPayload, type SlackPayload } from "./messages";

/**
 * Who gets what for one event: a bell notification per recipient who wants it, an email per recipient who
 * wants one (when email is set up), and one Slack post for the shared channel (when Slack is set up). Pure.
 */
export type Recipient = { id: string; email: string | null; active: boolean; notificationPrefs: unknown };

export type NotificationContent = { event: NotificationEvent; title: string; body: string; link: string; requestId?: string | null };

export type DeliveryConfig = {
  emailEnabled: boolean;
  slackEnabled: boolean;
  /** Absolute URL of a path inside Gatehouse. */
  absolute: (path: string) => string;
};

/** The Slack destination is the configured webhook, looked up when sending: the URL is a secret, not stored. */
export const SLACK_DESTINATION = "SLACK_WEBHOOK_URL";
export const SETTINGS_PATH = "/settings/notifications";

export type OutboxDraft = { channel: "email"; destination: string; payload: EmailPayload } | { channel: "slack"; destination: string; payload: SlackPayload };

export type NotificationPlan = {
  notifications: { userId: string; event: NotificationEvent; title: string; body: string; link: string; requestId: string | null }[];
  outbox: OutboxDraft[];
};

export function planNotifications(content: NotificationContent, recipients: readonly Recipient[], config: DeliveryConfig): NotificationPlan {
  const seen = new Set<string>();
  const plan: NotificationPlan = { notifications: [], outbox: [] };
  const message = { event: content.event, title: content.title, body: content.body, url: config.absolute(content.link), settingsUrl: config.absolute(SETTINGS_PATH) };
  for (const r of recipients) {
    if (!r.active || seen.has(r.id)) continue;
    seen.add(r.id);
    const channels = channelsFor(r.notificationPrefs, content.event);
    if (channels.inApp) {
      plan.notifications.push({ userId: r.id, event: content.event, title: content.title, body: content.body, link: content.link, requestId: content.requestId ?? null });
    }
    const address = r.email?.trim();
    if (channels.email && config.emailEnabled && address) plan.outbox.push({ channel: "email", destination: address, payload: emailPayload(message) });
  }
  if (config.slackEnabled) plan.outbox.push({ channel: "slack", destination: SLACK_DESTINATION, payload: slackPayload(message) });
  return plan;
}
