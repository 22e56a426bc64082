import "server-only";
import { forbidden, unauthorized } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { pageArgs, toPage, type Page } from "@/lib/pagination";
import { EVENT_SPECS, isNotificationEvent } from "./events";
import { ZMarkReadInput, type TMarkReadInput } from "./schemas";

/** Reading one's own bell. Marking read is the reader's bookkeeping, not a governed change: no audit event. */
export type UserActor = Extract<Actor, { kind: "user" }>;

/** Notifications belong to people; a service token (or the system) has none. */
export function requireUserActor(actor: Actor | null): UserActor {
  if (!actor) throw unauthorized();
  if (actor.kind !== "user") {
    throw forbidden("Notifications belong to people, and this is a service token: sign in, or use a token created for a user (npm run gatehouse -- token create --user …).");
  }
  return actor;
}

export type NotificationView = {
  id: string;
  event: string;
  /** The event's name for people ("Approval needed"). */
  eventLabel: string;
  title: string;
  body: string;
  link: string;
  requestId: string | null;
  read: boolean;
  readAt: string | null;
  createdAt: string;
};

type Row = { id: string; event: string; title: string; body: string; link: string; requestId: string | null; readAt: Date | null; createdAt: Date };

function toView(n: Row): NotificationView {
  return {
    id: n.id,
    event: n.event,
    eventLabel: isNotificationEvent(n.event) ? EVENT_SPECS[n.event].label : n.event,
    title: n.title,
    body: n.body,
    link: n.link,
    requestId: n.requestId,
    read: n.readAt !== null,
    readAt: n.readAt?.toISOString() ?? null,
    createdAt: n.createdAt.toISOString(),
  };
}

/** The actor's notifications, newest first, a page at a time. */
export async function listNotifications(opts: { actor: Actor | null; cursor?: string; limit: number; unreadOnly?: boolean }): Promise<Page<NotificationView>> {
  const actor = requireUserActor(opts.actor);
  const rows = await db.notification.findMany({
    where: { userId: actor.userId, ...(opts.unreadOnly ? { readAt: null } : {}) },
    // id breaks ties between notifications of the same millisecond, so pages neither skip nor repeat one.
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    ...pageArgs("id", opts.cursor, opts.limit),
  });
  return toPage(rows.map(toView), opts.limit, (n) => n.id);
}

export async function unreadCount(opts: { actor: Actor | null }): Promise<{ unread: number }> {
  const actor = requireUserActor(opts.actor);
  return { unread: await db.notification.count({ where: { userId: actor.userId, readAt: null } }) };
}

/** Marks some (by id) or all of the actor's notifications read; other people's ids are ignored. */
export async function markRead(opts: { actor: Actor | null; input: TMarkReadInput }): Promise<{ marked: number; unread: number }> {
  const actor = requireUserActor(opts.actor);
  const input = ZMarkReadInput.parse(opts.input);
  const { count } = await db.notification.updateMany({
    where: { userId: actor.userId, readAt: null, ...(input.ids ? { id: { in: input.ids } } : {}) },
    data: { readAt: new Date() },
  });
  const { unread } = await unreadCount({ actor });
  return { marked: count, unread };
}
