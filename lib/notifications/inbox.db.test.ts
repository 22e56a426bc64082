import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/verify";
import type { Actor } from "@/lib/auth/permissions";
import { db, transaction } from "@/lib/db";
import { listNotifications, markRead, unreadCount } from "./inbox";
import { notify } from "./notify";
import { getPreferences, updatePreferences } from "./preferences";

// Reading the bell and changing one's preferences, against the real PostgreSQL of `npm test`.
const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);
const suffix = Date.now().toString(36);
const service: Actor = { kind: "service", tokenId: "t-notify-test", label: "token:notify-test", scopes: ["registry:read"] };

describe.skipIf(!hasDb)("the bell and notification preferences", () => {
  let me: Actor;
  let other: Actor;

  beforeAll(async () => {
    const asActor = (u: { id: string; email: string; name: string }): Actor => ({ kind: "user", userId: u.id, label: u.email, name: u.name, grants: [] });
    me = asActor(await db.user.create({ data: { email: `reader-${suffix}@example.com`, name: "Reader" } }));
    other = asActor(await db.user.create({ data: { email: `other-${suffix}@example.com`, name: "Other" } }));
  });

  afterAll(async () => {
    expect((await verifyAuditChain()).ok).toBe(true);
    await db.$disconnect();
  });

  const userId = (a: Actor) => (a.kind === "user" ? a.userId : "");

  it("lists newest first a page at a time, filters unread, counts and marks read only one's own", async () => {
    for (let i = 1; i <= 5; i++) {
      await transaction((tx) => notify(tx, { event: "decision.made", userIds: [userId(me), userId(other)], title: `Decision ${i}`, body: "Approved.", link: `/promotions/${i}` }));
    }
    const first = await listNotifications({ actor: me, limit: 2 });
    expect(first.items.map((n) => n.title)).toEqual(["Decision 5", "Decision 4"]);
    expect(first.items[0]).toMatchObject({ event: "decision.made", eventLabel: "Decision made", link: "/promotions/5", read: false, readAt: null });
    const second = await listNotifications({ actor: me, limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((n) => n.title)).toEqual(["Decision 3", "Decision 2"]);
    const third = await listNotifications({ actor: me, limit: 2, cursor: second.nextCursor! });
    expect(third.items.map((n) => n.title)).toEqual(["Decision 1"]);
    expect(third.nextCursor).toBeNull();
    expect(await unreadCount({ actor: me })).toEqual({ unread: 5 });

    const theirs = (await listNotifications({ actor: other, limit: 1 })).items[0];
    const mark = await markRead({ actor: me, input: { ids: [first.items[0].id, theirs.id] } });
    expect(mark).toEqual({ marked: 1, unread: 4 });
    expect(await unreadCount({ actor: other })).toEqual({ unread: 5 });
    const unread = await listNotifications({ actor: me, limit: 10, unreadOnly: true });
    expect(unread.items.map((n) => n.title)).toEqual(["Decision 4", "Decision 3", "Decision 2", "Decision 1"]);
    expect((await listNotifications({ actor: me, limit: 1 })).items[0]).toMatchObject({ title: "Decision 5", read: true, readAt: expect.any(String) });

    expect(await markRead({ actor: me, input: { all: true } })).toEqual({ marked: 4, unread: 0 });
    expect(await markRead({ actor: me, input: { all: true } })).toEqual({ marked: 0, unread: 0 });
  });

  it("refuses service tokens with a clear 403, and anonymous callers with a 401", async () => {
    for (const call of [() => listNotifications({ actor: service, limit: 5 }), () => unreadCount({ actor: service }), () => markRead({ actor: service, input: { all: true } }), () => getPreferences({ actor: service })]) {
      await expect(call()).rejects.toMatchObject({ status: 403, message: expect.stringContaining("Notifications belong to people") });
    }
    await expect(unreadCount({ actor: null })).rejects.toMatchObject({ status: 401 });
  });

  it("preferences: defaults first; a change is saved with its audit event; saving the same again records nothing", async () => {
    const initial = await getPreferences({ actor: me });
    expect(initial.preferences["approval.needed"]).toEqual({ inApp: true, email: true });
    expect(initial.preferences["decision.made"]).toEqual({ inApp: true, email: false });
    expect(initial.events.find((e) => e.event === "review.required")).toMatchObject({ label: "Review required", inAppRequired: true });
    expect(initial.email).toBe(`reader-${suffix}@example.com`);

    const events = await db.auditEvent.count();
    const saved = await updatePreferences({ actor: me, input: { preferences: { "decision.made": { email: true }, "approval.needed": { email: false } } } });
    expect(saved.preferences["decision.made"]).toEqual({ inApp: true, email: true });
    expect(saved.preferences["approval.needed"]).toEqual({ inApp: true, email: false });
    expect(saved.preferences["promotion.applied"]).toEqual({ inApp: true, email: false });
    const event = await db.auditEvent.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(event).toMatchObject({
      action: "notification-preferences.update",
      actorType: "user",
      actorId: userId(me),
      targetType: "user",
      targetId: userId(me),
      before: { "approval.needed": { inApp: true, email: true }, "decision.made": { inApp: true, email: false } },
      after: { "approval.needed": { inApp: true, email: false }, "decision.made": { inApp: true, email: true } },
    });
    expect(await db.auditEvent.count()).toBe(events + 1);

    await updatePreferences({ actor: me, input: { preferences: { "decision.made": { email: true } } } });
    expect(await db.auditEvent.count()).toBe(events + 1);
    expect((await getPreferences({ actor: me })).preferences["approval.needed"].email).toBe(false);

    // What notify() sees is what was saved.
    const result = await transaction((tx) => notify(tx, { event: "decision.made", userIds: [userId(me)], title: "After saving", body: "", link: "/" }));
    expect(result.notifications).toBe(1);
  });

  it("refuses to switch off a required bell and leaves everything as it was", async () => {
    const before = await getPreferences({ actor: me });
    await expect(updatePreferences({ actor: me, input: { preferences: { "approval.needed": { inApp: false } } } })).rejects.toMatchObject({ name: "ZodError" });
    expect(await getPreferences({ actor: me })).toEqual(before);
  });

  it("concurrent saves of different events both stick", async () => {
    await Promise.all([
      updatePreferences({ actor: other, input: { preferences: { "promotion.applied": { email: true } } } }),
      updatePreferences({ actor: other, input: { preferences: { "alias.rolled_back": { email: true } } } }),
    ]);
    const prefs = (await getPreferences({ actor: other })).preferences;
    expect(prefs["promotion.applied"].email).toBe(true);
    expect(prefs["alias.rolled_back"].email).toBe(true);
  });
});
