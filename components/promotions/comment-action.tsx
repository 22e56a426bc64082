"use client";

import type { ReactNode } from "react";
import { SubmitButton } from "@/components/ui/button";
import { DialogButton } from "@/components/ui/dialog";
import { TextAreaField } from "@/components/ui/field";
import { FormMessage, fieldError } from "@/components/ui/form-message";
import { useFormAction } from "@/components/ui/use-form-action";
import type { ActionState } from "@/lib/api/action-state";

type Props = {
  action: (prev: ActionState, form: FormData) => Promise<ActionState>;
  label: string;
  title: string;
  description: ReactNode;
  submitLabel: string;
  commentLabel?: string;
  variant?: "primary" | "secondary" | "danger";
  extra?: (error: (name: string) => string | undefined) => ReactNode;
};

/** A button opening a dialog that asks for a comment (and maybe more) before an action: cancel, resubmit, review, rollback. */
export function CommentActionButton({ action, label, title, description, submitLabel, commentLabel = "Comment (recorded in the audit log)", variant = "secondary", extra }: Props) {
  return (
    <DialogButton label={label} title={title} variant={variant}>
      {() => <CommentActionForm action={action} description={description} submitLabel={submitLabel} commentLabel={commentLabel} variant={variant} extra={extra} />}
    </DialogButton>
  );
}

function CommentActionForm({ action, description, submitLabel, commentLabel = "Comment", variant, extra }: Omit<Props, "label" | "title">) {
  const { state, pending, onSubmit, ref } = useFormAction(action);
  return (
    <form ref={ref} method="post" onSubmit={onSubmit} noValidate className="space-y-3">
      <div className="text-sm text-slate-700 dark:text-slate-300">{description}</div>
      <FormMessage state={state} />
      {extra?.((name) => fieldError(state, name))}
      <TextAreaField label={commentLabel} name="comment" required minLength={20} hint="At least 20 characters: say why." error={fieldError(state, "comment")} />
      <SubmitButton pending={pending} variant={variant} pendingLabel="Working…">
        {submitLabel}
      </SubmitButton>
    </form>
  );
}
