import "server-only";
import { notFound } from "@/lib/api/errors";
import { recordAuditEvent } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/permissions";
import { db, transaction } from "@/lib/db";
import { env } from "@/lib/env";
import { EVENT_SPECS, NOTIFICATION_EVENTS, mergePreferences, resolvePreferences, type Channels, type NotificationEvent, type PreferenceMap } from "./events";
import { requireUserActor } from "./inbox";
import { ZUpdatePreferencesInput, type TUpdatePreferencesInput } from "./schemas";

export type PreferencesView = {
  /** Per event, the channels in force for this user. */
  preferences: PreferenceMap;
  events: { event: NotificationEvent; label: string; description: string; defaults: Channels; inAppRequired: boolean }[];
  /** Whether this Gatehouse sends email at all (SMTP_URL); choices are kept either way. */
  emailConfigured: boolean;
  email: string;
};

function view(prefs: unknown, email: string): PreferencesView {
  return {
    preferences: resolvePreferences(prefs),
    events: NOTIFICATION_EVENTS.map((event) => ({ event, label: EVENT_SPECS[event].label, description: EVENT_SPECS[event].description, defaults: EVENT_SPECS[event].defaults, inAppRequired: EVENT_SPECS[event].inAppRequired })),
    emailConfigured: Boolean(env().SMTP_URL),
    email,
  };
}

export async function getPreferences(opts: { actor: Actor | null }): Promise<PreferencesView> {
  const actor = requireUserActor(opts.actor);
  const user = await db.user.findUnique({ where: { id: actor.userId }, select: { email: true, notificationPrefs: true } });
  if (!user) throw notFound("Your user no longer exists");
  return view(user.notificationPrefs, user.email);
}

/** Changes the actor's channels for the events named in the input; others keep their setting. Audited. */
export async function updatePreferences(opts: { actor: Actor | null; input: TUpdatePreferencesInput }): Promise<PreferencesView> {
  const actor = requireUserActor(opts.actor);
  const input = ZUpdatePreferencesInput.parse(opts.input);
  return transaction(async (tx) => {
    // Row lock: two saves at once apply one after the other, each on top of the other's result.
    const [user] = await tx.$queryRaw<{ email: string; notification_prefs: unknown }[]>`SELECT email, notification_prefs FROM users WHERE id = ${actor.userId} FOR UPDATE`;
    if (!user) throw notFound("Your user no longer exists");
    const before = resolvePreferences(user.notification_prefs);
    const after = mergePreferences(user.notification_prefs, input.preferences);
    const changed = NOTIFICATION_EVENTS.filter((e) => before[e].inApp !== after[e].inApp || before[e].email !== after[e].email);
    // Saving the same choices again changes nothing and records nothing.
    if (changed.length === 0) return view(user.notification_prefs, user.email);
    await tx.user.update({ where: { id: actor.userId }, data: { notificationPrefs: after } });
    await recordAuditEvent(tx, {
      actor,
      action: "notification-preferences.update",
      target: { type: "user", id: actor.userId },
      before: Object.fromEntries(changed.map((e) => [e, before[e]])),
      after: Object.fromEntries(changed.map((e) => [e, after[e]])),
    });
    return view(after, user.email);
  });
}
