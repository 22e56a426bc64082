"use client";

import { useState } from "react";
import { checkpointAction } from "@/app/rollouts/actions";
import { SubmitButton } from "@/components/ui/button";
import { DialogButton } from "@/components/ui/dialog";
import { TextAreaField, TextField } from "@/components/ui/field";
import { FormMessage, fieldError } from "@/components/ui/form-message";
import { useFormAction } from "@/components/ui/use-form-action";

type Props = { id: string; number: number; checkpoint: string; next: string; signature: boolean; canApprove: boolean; approveBlockedReason: string | null };

/** The checkpoint's dialog: what approving does, approve or reject, a comment, and the password where a signature is asked. */
export function CheckpointButton(props: Props) {
  return (
    <DialogButton label="Decide at checkpoint…" title={`Checkpoint of rollout ${props.number}`} variant="primary">
      {() => <CheckpointForm {...props} />}
    </DialogButton>
  );
}

function CheckpointForm({ id, checkpoint, next, signature, canApprove, approveBlockedReason }: Props) {
  const { state, pending, onSubmit, ref } = useFormAction(checkpointAction.bind(null, id));
  const [choice, setChoice] = useState<"approve" | "reject">(canApprove ? "approve" : "reject");
  return (
    <form ref={ref} method="post" onSubmit={onSubmit} noValidate className="space-y-4">
      <p className="rounded-md bg-slate-100 px-3 py-2 text-sm dark:bg-slate-800">
        This rollout waits for {checkpoint}. If approved: <strong>{next}</strong>. If rejected, the rollout is aborted and its request cancelled.
      </p>
      <FormMessage state={state} />
      <fieldset>
        <legend className="mb-1 text-sm font-medium">Decision</legend>
        {(["approve", "reject"] as const).map((c) => {
          const disabled = c === "approve" && !canApprove;
          return (
            <label key={c} className={`flex items-start gap-2 text-sm ${disabled ? "opacity-60" : ""}`}>
              <input type="radio" name="decision" value={c} checked={choice === c} disabled={disabled} onChange={() => setChoice(c)} className="mt-1" />
              <span>
                <span className="font-medium">{c === "approve" ? "Approve" : "Reject"}</span>{" "}
                <span className="text-slate-700 dark:text-slate-300">{disabled ? approveBlockedReason : c === "approve" ? "The rollout goes on." : "Stops the rollout."}</span>
              </span>
            </label>
          );
        })}
      </fieldset>
      <TextAreaField label="Comment (recorded with your decision and in the audit log)" name="comment" required minLength={20} hint="At least 20 characters: what you checked and why you decided so." error={fieldError(state, "comment")} />
      {signature && (
        <TextField label="Password (electronic signature)" name="password" type="password" autoComplete="current-password" required hint="This policy asks for an electronic signature." error={fieldError(state, "password")} />
      )}
      <SubmitButton pending={pending} pendingLabel="Recording…" variant={choice === "reject" ? "danger" : "primary"}>
        {signature ? "Sign and record decision" : "Record decision"}
      </SubmitButton>
    </form>
  );
}
