"use client";

import type { ActionState } from "@/lib/api/action-state";
import { SubmitButton } from "./button";
import { useFormAction } from "./use-form-action";

/** A small destructive button that asks first and shows a refusal next to itself. */
export function ConfirmActionButton({
  action,
  confirm,
  label,
  ariaLabel,
  pendingLabel,
}: {
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
  confirm: string;
  label: string;
  ariaLabel: string;
  pendingLabel: string;
}) {
  const { state, pending, onSubmit } = useFormAction(action);
  return (
    <form
      method="post"
      className="inline-flex items-center gap-2"
      onSubmit={(e) => {
        if (window.confirm(confirm)) onSubmit(e);
        else e.preventDefault();
      }}
    >
      <SubmitButton pending={pending} variant="ghost" className="px-2 py-1 text-xs text-red-700 dark:text-red-400" aria-label={ariaLabel} pendingLabel={pendingLabel}>
        {label}
      </SubmitButton>
      {state.status === "error" && (
        <span role="alert" className="text-xs text-red-700 dark:text-red-400">
          {state.message}
        </span>
      )}
    </form>
  );
}
