"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect } from "react";

export const UNREAD_QUERY_KEY = ["notifications", "unread-count"] as const;

/** What the bell says to screen readers, and shows as its badge. */
export function bellLabel(unread: number): string {
  return unread === 0 ? "Notifications, none unread" : `Notifications, ${unread} unread`;
}

/**
 * The header's bell: the unread count, polled every 30 s while the tab is visible (react-query pauses the
 * interval in hidden tabs and refetches when the tab is focused again). The server renders the first count.
 */
export function NotificationBell({ initialUnread }: { initialUnread: number }) {
  const pathname = usePathname();
  const client = useQueryClient();
  // A server render after a change (marking read refreshes the page) brings a fresher count than the last poll.
  useEffect(() => {
    client.setQueryData(UNREAD_QUERY_KEY, initialUnread);
  }, [client, initialUnread]);
  const { data } = useQuery({
    queryKey: UNREAD_QUERY_KEY,
    queryFn: async () => {
      const res = await fetch("/api/v1/notifications/unread-count", { cache: "no-store" });
      if (!res.ok) throw new Error(`The unread count answered ${res.status}`);
      return ((await res.json()) as { unread: number }).unread;
    },
    initialData: initialUnread,
    refetchInterval: 30_000,
    refetchIntervalInBackground: false,
    // A failed poll keeps the last count rather than hiding the bell.
    retry: false,
  });
  const unread = data ?? 0;
  const active = pathname === "/notifications";
  return (
    <Link
      href="/notifications"
      aria-label={bellLabel(unread)}
      aria-current={active ? "page" : undefined}
      data-testid="notification-bell"
      className={`relative inline-flex h-9 w-9 items-center justify-center rounded-md ${
        active ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900" : "text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"
      }`}
    >
      <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
        <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>
      {unread > 0 && (
        <span aria-hidden="true" className="absolute -right-1 -top-1 min-w-5 rounded-full bg-red-600 px-1 text-center text-xs font-semibold leading-5 text-white dark:bg-red-500 dark:text-slate-950">
          {unread > 99 ? "99+" : unread}
        </span>
      )}
    </Link>
  );
}
