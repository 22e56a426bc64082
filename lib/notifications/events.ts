/**
 * What Gatehouse tells people about, and through which channels. Pure: the preferences page, the REST API and
 * notify() all read this table.
 *
 * Channels: the in-app bell and email (Slack posts to one shared channel and is not a personal choice).
 * In-app cannot be switched off for events that hand the recipient work (an approval to give, a review to do):
 * the bell is where that work is found, and a request must not stall because its approver silenced it. Email
 * is on by default where someone is waiting on the recipient, off for news about things already done.
 */
export const NOTIFICATION_EVENTS = [
  "approval.needed",
  "approval.reminder",
  "approval.escalated",
  "decision.made",
  "changes.requested",
  "promotion.applied",
  "alias.rolled_back",
  "review.required",
  "checkpoint.needed",
  "incident.opened",
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export type Channels = { inApp: boolean; email: boolean };

export type EventSpec = {
  label: string;
  description: string;
  defaults: Channels;
  /** In-app is always on: the event assigns the recipient work. */
  inAppRequired: boolean;
};

export const EVENT_SPECS: Record<NotificationEvent, EventSpec> = {
  "approval.needed": {
    label: "Approval needed",
    description: "A promotion request waits for your decision in a role you hold.",
    defaults: { inApp: true, email: true },
    inAppRequired: true,
  },
  "approval.reminder": {
    label: "Approval reminder",
    description: "A request you can decide on is still waiting.",
    defaults: { inApp: true, email: true },
    inAppRequired: false,
  },
  "approval.escalated": {
    label: "Approval escalated",
    description: "A request has waited too long and is escalated to you.",
    defaults: { inApp: true, email: true },
    inAppRequired: false,
  },
  "decision.made": {
    label: "Decision made",
    description: "Someone approved or rejected a promotion you requested.",
    defaults: { inApp: true, email: false },
    inAppRequired: false,
  },
  "changes.requested": {
    label: "Changes requested",
    description: "An approver asked for changes to a promotion you requested.",
    defaults: { inApp: true, email: true },
    inAppRequired: false,
  },
  "promotion.applied": {
    label: "Promotion applied",
    description: "A promotion you requested or approved moved its alias.",
    defaults: { inApp: true, email: false },
    inAppRequired: false,
  },
  "alias.rolled_back": {
    label: "Alias rolled back",
    description: "An alias of a model you work on was rolled back.",
    defaults: { inApp: true, email: false },
    inAppRequired: false,
  },
  "review.required": {
    label: "Review required",
    description: "An emergency promotion was applied and needs your review afterwards.",
    defaults: { inApp: true, email: true },
    inAppRequired: true,
  },
  "checkpoint.needed": {
    label: "Rollout checkpoint",
    description: "A rollout waits at a checkpoint for the approval of a role you hold.",
    defaults: { inApp: true, email: true },
    inAppRequired: true,
  },
  "incident.opened": {
    label: "Incident opened",
    description: "A rollout of a model you work on was rolled back automatically.",
    defaults: { inApp: true, email: true },
    inAppRequired: false,
  },
};

export function isNotificationEvent(value: unknown): value is NotificationEvent {
  return typeof value === "string" && (NOTIFICATION_EVENTS as readonly string[]).includes(value);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The channels a user wants for `event`, from their stored preferences `{ "<event>": { inApp?, email? } }`.
 * Stored JSON may be anything (hand-edited, written by an older version): whatever is not a boolean in the
 * expected place falls back to the default, and a required in-app channel stays on.
 */
export function channelsFor(prefs: unknown, event: NotificationEvent): Channels {
  const spec = EVENT_SPECS[event];
  const entry = isRecord(prefs) && Object.hasOwn(prefs, event) ? prefs[event] : undefined;
  const stored = isRecord(entry) ? entry : {};
  const pick = (key: keyof Channels) => (typeof stored[key] === "boolean" ? (stored[key] as boolean) : spec.defaults[key]);
  return { inApp: spec.inAppRequired || pick("inApp"), email: pick("email") };
}

export type PreferenceMap = Record<NotificationEvent, Channels>;

/** Every event's channels for a user, as the preferences page and API show them. */
export function resolvePreferences(prefs: unknown): PreferenceMap {
  return Object.fromEntries(NOTIFICATION_EVENTS.map((e) => [e, channelsFor(prefs, e)])) as PreferenceMap;
}

/**
 * Applies a partial change to the stored preferences. The result names every event explicitly, so a user who
 * saved their choices keeps them even if a default changes later; events added later get their defaults.
 */
export function mergePreferences(prefs: unknown, change: Partial<Record<NotificationEvent, Partial<Channels>>>): PreferenceMap {
  const current = resolvePreferences(prefs);
  for (const event of NOTIFICATION_EVENTS) {
    const c = change[event];
    if (!c) continue;
    current[event] = {
      inApp: EVENT_SPECS[event].inAppRequired || (c.inApp ?? current[event].inApp),
      email: c.email ?? current[event].email,
    };
  }
  return current;
}
