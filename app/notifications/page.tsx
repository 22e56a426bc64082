import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { MarkAllReadForm, MarkReadButton, NotificationLink } from "@/components/notifications/notification-actions";
import { Badge, EmptyState, PageHeader, Pagination } from "@/components/ui/layout";
import { buttonStyles, linkStyles } from "@/components/ui/styles";
import { Time } from "@/components/ui/time";
import { orNotFound } from "@/lib/api/page-data";
import { getSessionActor } from "@/lib/auth/actor";
import { listNotifications, unreadCount } from "@/lib/notifications/inbox";
import { ZListNotificationsQuery } from "@/lib/notifications/schemas";

export const metadata: Metadata = { title: "Notifications" };

const PAGE_SIZE = 25;

export default async function NotificationsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const actor = await getSessionActor();
  if (!actor) redirect("/signin");
  const parsed = ZListNotificationsQuery.safeParse({ ...(await searchParams), limit: PAGE_SIZE });
  const query = parsed.success ? parsed.data : { cursor: undefined, limit: PAGE_SIZE, unread: undefined };
  const unreadOnly = query.unread === "true";
  const [page, { unread }] = await Promise.all([
    // A cursor from an old or edited URL shows the not-found page rather than an error.
    orNotFound(listNotifications({ actor, cursor: query.cursor, limit: query.limit, unreadOnly })),
    unreadCount({ actor }),
  ]);
  const tab = (active: boolean) => `rounded-md px-3 py-1.5 text-sm font-medium ${active ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900" : "text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"}`;
  return (
    <>
      <PageHeader
        title="Notifications"
        description="Requests waiting for you, decisions on yours, and changes to the aliases you work on. Opening one marks it read."
        actions={
          <div className="flex items-start gap-2">
            <Link href="/settings/notifications" className={`${buttonStyles.base} ${buttonStyles.ghost}`}>
              Notification settings
            </Link>
            <MarkAllReadForm unread={unread} />
          </div>
        }
      />
      <nav aria-label="Which notifications" className="mb-4 flex gap-1">
        <Link href="/notifications" className={tab(!unreadOnly)} aria-current={!unreadOnly ? "page" : undefined}>
          All
        </Link>
        <Link href="/notifications?unread=true" className={tab(unreadOnly)} aria-current={unreadOnly ? "page" : undefined}>
          Unread ({unread})
        </Link>
      </nav>
      {page.items.length === 0 ? (
        <EmptyState title={unreadOnly ? "Nothing unread" : "No notifications yet"}>
          {unreadOnly ? (
            <>
              You have read everything. <Link className={linkStyles} href="/notifications">See all notifications</Link>.
            </>
          ) : (
            "When a promotion waits for your approval, or someone decides on one of yours, it shows up here."
          )}
        </EmptyState>
      ) : (
        <ul aria-label={unreadOnly ? "Unread notifications" : "Notifications"} className="divide-y divide-slate-200 overflow-hidden rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
          {page.items.map((n) => (
            <li key={n.id} className={`flex flex-wrap items-start gap-x-4 gap-y-1 border-l-4 px-4 py-3 ${n.read ? "border-transparent" : "border-indigo-600 bg-indigo-50/60 dark:border-indigo-400 dark:bg-indigo-950/40"}`}>
              <div className="min-w-0 flex-1 space-y-1">
                <div className="flex flex-wrap items-center gap-2">
                  {!n.read && <Badge tone="info">Unread</Badge>}
                  <span className={n.read ? "" : "font-semibold"}>
                    <NotificationLink id={n.id} href={n.link} read={n.read}>
                      {n.title}
                    </NotificationLink>
                  </span>
                </div>
                {n.body && <p className="whitespace-pre-line text-sm text-slate-700 dark:text-slate-300">{n.body}</p>}
                <p className="text-xs text-slate-700 dark:text-slate-300">
                  {n.eventLabel} · <Time value={n.createdAt} />
                </p>
              </div>
              {!n.read && <MarkReadButton id={n.id} title={n.title} />}
            </li>
          ))}
        </ul>
      )}
      <Pagination basePath="/notifications" params={{ unread: unreadOnly ? "true" : undefined }} nextCursor={page.nextCursor} hasPrevious={Boolean(query.cursor)} />
    </>
  );
}
