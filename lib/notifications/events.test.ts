import { describe, expect, it } from "vitest";
import { EVENT_SPECS, NOTIFICATION_EVENTS, channelsFor, mergePreferences, resolvePreferences, type NotificationEvent } from "./events";

describe("channelsFor", () => {
  const cases: { name: string; prefs: unknown; event: NotificationEvent; want: { inApp: boolean; email: boolean } }[] = [
    { name: "no preferences: approval.needed emails by default", prefs: {}, event: "approval.needed", want: { inApp: true, email: true } },
    { name: "no preferences: decision.made does not email by default", prefs: {}, event: "decision.made", want: { inApp: true, email: false } },
    { name: "no preferences: reminders email", prefs: {}, event: "approval.reminder", want: { inApp: true, email: true } },
    { name: "no preferences: escalations email", prefs: {}, event: "approval.escalated", want: { inApp: true, email: true } },
    { name: "no preferences: changes requested emails", prefs: {}, event: "changes.requested", want: { inApp: true, email: true } },
    { name: "no preferences: review required emails", prefs: {}, event: "review.required", want: { inApp: true, email: true } },
    { name: "no preferences: promotion applied stays in the app", prefs: {}, event: "promotion.applied", want: { inApp: true, email: false } },
    { name: "no preferences: rollback stays in the app", prefs: {}, event: "alias.rolled_back", want: { inApp: true, email: false } },
    { name: "email switched off", prefs: { "approval.needed": { email: false } }, event: "approval.needed", want: { inApp: true, email: false } },
    { name: "email switched on", prefs: { "decision.made": { email: true } }, event: "decision.made", want: { inApp: true, email: true } },
    { name: "in-app switched off where allowed", prefs: { "promotion.applied": { inApp: false } }, event: "promotion.applied", want: { inApp: false, email: false } },
    { name: "in-app cannot be switched off for approval.needed", prefs: { "approval.needed": { inApp: false, email: false } }, event: "approval.needed", want: { inApp: true, email: false } },
    { name: "in-app cannot be switched off for review.required", prefs: { "review.required": { inApp: false } }, event: "review.required", want: { inApp: true, email: true } },
    { name: "another event's setting does not leak", prefs: { "decision.made": { email: true } }, event: "promotion.applied", want: { inApp: true, email: false } },
    { name: "null", prefs: null, event: "approval.needed", want: { inApp: true, email: true } },
    { name: "undefined", prefs: undefined, event: "decision.made", want: { inApp: true, email: false } },
    { name: "a string", prefs: "email please", event: "decision.made", want: { inApp: true, email: false } },
    { name: "an array", prefs: [{ "decision.made": { email: true } }], event: "decision.made", want: { inApp: true, email: false } },
    { name: "entry is a boolean", prefs: { "decision.made": true }, event: "decision.made", want: { inApp: true, email: false } },
    { name: "entry is an array", prefs: { "approval.needed": [false] }, event: "approval.needed", want: { inApp: true, email: true } },
    { name: "values that are not booleans", prefs: { "approval.needed": { email: "no", inApp: 0 } }, event: "approval.needed", want: { inApp: true, email: true } },
    { name: "one good and one bad value", prefs: { "promotion.applied": { email: "yes", inApp: false } }, event: "promotion.applied", want: { inApp: false, email: false } },
    { name: "inherited keys are not preferences", prefs: Object.create({ "decision.made": { email: true } }), event: "decision.made", want: { inApp: true, email: false } },
    { name: "unknown events are ignored", prefs: { "something.else": { email: true } }, event: "decision.made", want: { inApp: true, email: false } },
  ];
  it.each(cases)("$name", ({ prefs, event, want }) => {
    expect(channelsFor(prefs, event)).toEqual(want);
  });
});

describe("the event table", () => {
  it("describes every event for the preferences page, in-app on by default everywhere", () => {
    for (const event of NOTIFICATION_EVENTS) {
      const spec = EVENT_SPECS[event];
      expect(spec.label.length).toBeGreaterThan(3);
      expect(spec.description).toMatch(/\.$/);
      expect(spec.defaults.inApp).toBe(true);
    }
    expect(NOTIFICATION_EVENTS.filter((e) => EVENT_SPECS[e].inAppRequired)).toEqual(["approval.needed", "review.required", "checkpoint.needed"]);
    expect(NOTIFICATION_EVENTS.filter((e) => EVENT_SPECS[e].defaults.email)).toEqual(["approval.needed", "approval.reminder", "approval.escalated", "changes.requested", "review.required", "checkpoint.needed", "incident.opened"]);
  });
});

describe("mergePreferences", () => {
  const cases: { name: string; stored: unknown; change: Parameters<typeof mergePreferences>[1]; check: Partial<ReturnType<typeof resolvePreferences>> }[] = [
    { name: "changes only what is named", stored: {}, change: { "decision.made": { email: true } }, check: { "decision.made": { inApp: true, email: true }, "approval.needed": { inApp: true, email: true } } },
    { name: "keeps earlier choices", stored: { "approval.needed": { email: false } }, change: { "decision.made": { inApp: false } }, check: { "approval.needed": { inApp: true, email: false }, "decision.made": { inApp: false, email: false } } },
    { name: "a required in-app channel stays on", stored: {}, change: { "review.required": { inApp: false, email: false } }, check: { "review.required": { inApp: true, email: false } } },
    { name: "repairs malformed storage", stored: "broken", change: {}, check: { "approval.escalated": { inApp: true, email: true } } },
  ];
  it.each(cases)("$name", ({ stored, change, check }) => {
    const merged = mergePreferences(stored, change);
    expect(Object.keys(merged)).toEqual([...NOTIFICATION_EVENTS]);
    expect(merged).toMatchObject(check);
    // What is stored reads back the same.
    expect(resolvePreferences(JSON.parse(JSON.stringify(merged)))).toEqual(merged);
  });
});
