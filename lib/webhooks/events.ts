/**
 * What other systems can subscribe to, and how an endpoint's filter picks events. Pure: the forms, the REST
 * schemas, emitWebhookEvent and the docs all read this table.
 */
export const WEBHOOK_EVENTS = ["promotion.requested", "promotion.decided", "promotion.applied", "promotion.rolled_back", "alias.changed", "review.required",
  "rollout.started", "rollout.advanced", "rollout.waiting", "rollout.paused", "rollout.resumed", "rollout.completed", "rollout.rolled_back", "rollout.aborted",
  "incident.opened", "incident.acknowledged", "incident.resolved"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Sent only by "Send test event", to the one endpoint asked, whatever its filter. */
export const TEST_EVENT = "webhook.test";

export const WEBHOOK_EVENT_DESCRIPTIONS: Record<WebhookEvent, string> = {
  "promotion.requested": "Someone asked to move a version to a stage.",
  "promotion.decided": "An approver approved, rejected or asked for changes.",
  "promotion.applied": "A request moved its alias.",
  "promotion.rolled_back": "An alias was rolled back to an earlier version.",
  "alias.changed": "Any alias moved, was created or was deleted, however it happened.",
  "review.required": "An emergency promotion was applied and needs a compliance review.",
  "rollout.started": "A production promotion began its rollout; @challenger now points at the candidate.",
  "rollout.advanced": "A rollout moved to its next step or phase (traffic changed).",
  "rollout.waiting": "A rollout reached an approval checkpoint and waits for the role it names.",
  "rollout.paused": "An ml-lead paused a rollout.",
  "rollout.resumed": "An ml-lead resumed a paused rollout.",
  "rollout.completed": "A rollout finished: @champion now points at the challenger.",
  "rollout.rolled_back": "A rollout was rolled back automatically (or @champion was repointed back inside the watch window).",
  "rollout.aborted": "A rollout was stopped by hand, by a rejected checkpoint, or because its request was cancelled or superseded.",
  "incident.opened": "An automatic rollback opened an incident.",
  "incident.acknowledged": "Someone took ownership of an incident.",
  "incident.resolved": "An incident was resolved.",
};

/** "promotion.*" style entries: every event of a family, including events added to it later. */
export const EVENT_FAMILIES = [...new Set(WEBHOOK_EVENTS.map((e) => e.split(".")[0]))];

export const ALL_EVENTS = "*";

export function isWebhookEvent(value: string): value is WebhookEvent {
  return (WEBHOOK_EVENTS as readonly string[]).includes(value);
}

/** A filter entry is an event name, a family wildcard ("alias.*") or "*" for everything. */
export function isFilterEntry(entry: string): boolean {
  if (entry === ALL_EVENTS || isWebhookEvent(entry)) return true;
  const family = /^([a-z_]+)\.\*$/.exec(entry)?.[1];
  return family !== undefined && EVENT_FAMILIES.includes(family);
}

/** Whether an endpoint subscribed with `filter` gets `event`. An empty filter gets nothing. */
export function matchesEventFilter(filter: readonly string[], event: string): boolean {
  return filter.some((entry) => entry === ALL_EVENTS || entry === event || (entry.endsWith(".*") && event.startsWith(entry.slice(0, -1))));
}

/** The filter as stored: no duplicates, sorted, and "*" alone when it is there (it covers the rest). */
export function normalizeFilter(filter: readonly string[]): string[] {
  if (filter.includes(ALL_EVENTS)) return [ALL_EVENTS];
  return [...new Set(filter)].sort();
}
