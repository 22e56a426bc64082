"use client";

import { updateNotificationPreferencesAction } from "@/app/settings/notifications/actions";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { cell } from "@/components/ui/layout";
import { useFormAction } from "@/components/ui/use-form-action";
import type { PreferencesView } from "@/lib/notifications/preferences";

const checkbox = "h-4 w-4 rounded border-slate-400 accent-indigo-600 disabled:opacity-60 dark:border-slate-500 dark:accent-indigo-400";

/**
 * One row per event with an in-app and an email checkbox. Plain checkboxes in a form: Tab moves between them,
 * Space toggles, and the form submits whatever is checked (unchecked boxes are simply absent).
 */
export function PreferencesForm({ view }: { view: PreferencesView }) {
  // Not passing the hook's ref: a saved form keeps its checkboxes as the user left them (they are what was saved).
  const { state, pending, onSubmit } = useFormAction(updateNotificationPreferencesAction);
  return (
    <form method="post" onSubmit={onSubmit} aria-label="Notification settings" className="space-y-4">
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <table className="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-800">
          <caption className="sr-only">Channels for each kind of notification</caption>
          <thead className="bg-slate-50 dark:bg-slate-800/60">
            <tr>
              <th scope="col" className="px-4 py-2.5 text-left font-semibold text-slate-800 dark:text-slate-200">
                When
              </th>
              <th scope="col" className="px-4 py-2.5 text-center font-semibold text-slate-800 dark:text-slate-200">
                In Gatehouse
              </th>
              <th scope="col" className="px-4 py-2.5 text-center font-semibold text-slate-800 dark:text-slate-200">
                Email
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
            {view.events.map((e) => {
              const current = view.preferences[e.event];
              const id = e.event.replace(/\W/g, "-");
              return (
                <tr key={e.event}>
                  <th scope="row" className={`${cell} text-left font-normal`}>
                    <span id={`${id}-label`} className="block font-medium">
                      {e.label}
                    </span>
                    <span id={`${id}-description`} className="block text-slate-700 dark:text-slate-300">
                      {e.description}
                    </span>
                  </th>
                  <td className={`${cell} text-center`}>
                    <label className="inline-flex items-center gap-2">
                      <input
                        type="checkbox"
                        name={`${e.event}.inApp`}
                        defaultChecked={current.inApp}
                        disabled={e.inAppRequired}
                        aria-describedby={`${id}-description`}
                        className={checkbox}
                      />
                      <span className="sr-only">In Gatehouse: {e.label}</span>
                      {e.inAppRequired && <span className="text-xs text-slate-700 dark:text-slate-300">Always on</span>}
                    </label>
                  </td>
                  <td className={`${cell} text-center`}>
                    <label className="inline-flex items-center">
                      <input type="checkbox" name={`${e.event}.email`} defaultChecked={current.email} aria-describedby={`${id}-description`} className={checkbox} />
                      <span className="sr-only">Email: {e.label}</span>
                    </label>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <FormMessage state={state} />
      <SubmitButton pending={pending} pendingLabel="Saving…">
        Save settings
      </SubmitButton>
    </form>
  );
}
