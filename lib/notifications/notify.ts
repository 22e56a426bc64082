import "server-only";
import { appUrl } from "@/lib/api/public-url";
import type { Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { planNotifications } from "./plan";
import { ZNotifyInput, type TNotifyInput } from "./schemas";
import { announceOutbox } from "./wakeup";

export type NotifyResult = { notifications: number; emails: number; slack: number };

/**
 * Tells people about an event, inside the caller's transaction: one bell notification per distinct active user
 * who wants it, plus outbox rows for email (users who want it, when SMTP_URL is set) and one Slack post (when
 * SLACK_WEBHOOK_URL is set). Everything commits or rolls back with the change it announces; nothing is sent
 * here. Delivery starts when the transaction commits (see wakeup.ts), so a receiver that is down cannot fail it.
 *
 * `link` is a path inside Gatehouse ("/promotions/42"); emails and Slack get it as an absolute URL on NEXTAUTH_URL.
 */
export async function notify(tx: Tx, input: TNotifyInput): Promise<NotifyResult> {
  const content = ZNotifyInput.parse(input);
  const ids = [...new Set(content.userIds)];
  const recipients = ids.length
    ? await tx.user.findMany({ where: { id: { in: ids }, active: true }, select: { id: true, email: true, active: true, notificationPrefs: true } })
    : [];
  const config = env();
  const plan = planNotifications(content, recipients, { emailEnabled: Boolean(config.SMTP_URL), slackEnabled: Boolean(config.SLACK_WEBHOOK_URL), absolute: appUrl });
  if (plan.notifications.length) await tx.notification.createMany({ data: plan.notifications });
  if (plan.outbox.length) {
    await tx.outboxMessage.createMany({ data: plan.outbox.map((m) => ({ channel: m.channel, destination: m.destination, payload: m.payload })) });
    await announceOutbox(tx);
  }
  return {
    notifications: plan.notifications.length,
    emails: plan.outbox.filter((m) => m.channel === "email").length,
    slack: plan.outbox.filter((m) => m.channel === "slack").length,
  };
}
