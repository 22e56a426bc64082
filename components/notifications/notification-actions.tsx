"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, type ReactNode } from "react";
import { markAllReadAction, markNotificationReadAction } from "@/app/notifications/actions";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { linkStyles } from "@/components/ui/styles";
import { useFormAction } from "@/components/ui/use-form-action";
import type { ActionState } from "@/lib/api/action-state";

/** After a change to what is read, the bell asks again instead of waiting for its next poll. */
function useRefreshBellOn(state: ActionState) {
  const client = useQueryClient();
  useEffect(() => {
    if (state.status === "ok") void client.invalidateQueries({ queryKey: ["notifications"] });
  }, [client, state]);
}

export function MarkAllReadForm({ unread }: { unread: number }) {
  const { state, pending, onSubmit } = useFormAction(markAllReadAction);
  useRefreshBellOn(state);
  return (
    <div className="flex flex-col items-end gap-2">
      <form method="post" onSubmit={onSubmit}>
        <SubmitButton pending={pending} pendingLabel="Marking…" variant="secondary" disabled={unread === 0}>
          Mark all as read
        </SubmitButton>
      </form>
      <FormMessage state={state} />
    </div>
  );
}

export function MarkReadButton({ id, title }: { id: string; title: string }) {
  const { state, pending, onSubmit } = useFormAction(markNotificationReadAction.bind(null, id));
  useRefreshBellOn(state);
  return (
    <form method="post" onSubmit={onSubmit} className="inline-flex items-center gap-2">
      <SubmitButton pending={pending} pendingLabel="Marking…" variant="ghost" className="px-2 py-1 text-xs" aria-label={`Mark “${title}” as read`}>
        Mark as read
      </SubmitButton>
      {state.status === "error" && (
        <span role="alert" className="text-xs text-red-700 dark:text-red-400">
          {state.message}
        </span>
      )}
    </form>
  );
}

/** Opening a notification marks it read; the request outlives the navigation (keepalive). */
export function NotificationLink({ id, href, read, children }: { id: string; href: string; read: boolean; children: ReactNode }) {
  const client = useQueryClient();
  return (
    <Link
      href={href}
      className={linkStyles}
      onClick={() => {
        if (read) return;
        void fetch("/api/v1/notifications/read", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ids: [id] }), keepalive: true })
          .then(() => client.invalidateQueries({ queryKey: ["notifications"] }))
          .catch(() => {});
      }}
    >
      {children}
    </Link>
  );
}
