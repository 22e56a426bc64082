"use client";

import { useId, useState } from "react";
import { decideAction } from "@/app/promotions/actions";
import { SubmitButton } from "@/components/ui/button";
import { DialogButton } from "@/components/ui/dialog";
import { TextAreaField, TextField } from "@/components/ui/field";
import { FormMessage, fieldError } from "@/components/ui/form-message";
import { useFormAction } from "@/components/ui/use-form-action";

type Props = { id: string; number: number; move: string; strategy: string; signature: boolean; canApprove: boolean; approveBlockedReason: string | null; roles: string[] };

const CHOICES = [
  { value: "approve", label: "Approve", hint: "The version may move." },
  { value: "request-changes", label: "Request changes", hint: "Back to the requester, who can resubmit." },
  { value: "reject", label: "Reject", hint: "Ends the request." },
] as const;

/** The approver's dialog: exactly what will happen, the decision, a comment, and the password where a signature is asked. */
export function DecisionButton(props: Props) {
  return (
    <DialogButton label="Decide…" title={`Decide on request #${props.number}`} variant="primary">
      {() => <DecisionForm {...props} />}
    </DialogButton>
  );
}

function DecisionForm({ id, move, strategy, signature, canApprove, approveBlockedReason, roles }: Props) {
  const { state, pending, onSubmit, ref } = useFormAction(decideAction.bind(null, id));
  const [choice, setChoice] = useState<string>(canApprove ? "approve" : "request-changes");
  const group = useId();
  return (
    <form ref={ref} method="post" onSubmit={onSubmit} noValidate className="space-y-4">
      <p className="rounded-md bg-slate-100 px-3 py-2 text-sm dark:bg-slate-800">
        If approved and the quorum is complete:{" "}
        {strategy === "direct" ? (
          <strong>{move}</strong>
        ) : (
          <>
            a <strong>{strategy}</strong> rollout starts, and <strong>{move}</strong> once it completes
          </>
        )}
        .
      </p>
      <p className="text-sm text-slate-700 dark:text-slate-300">You decide as {roles.join(" and ")}.</p>
      <FormMessage state={state} />
      <fieldset aria-describedby={fieldError(state, "decision") ? `${group}-error` : undefined}>
        <legend className="mb-1 text-sm font-medium">Decision</legend>
        <div className="space-y-1">
          {CHOICES.map((c) => {
            const disabled = c.value === "approve" && !canApprove;
            return (
              <label key={c.value} className={`flex items-start gap-2 text-sm ${disabled ? "opacity-60" : ""}`}>
                <input type="radio" name="decision" value={c.value} checked={choice === c.value} disabled={disabled} onChange={() => setChoice(c.value)} className="mt-1" />
                <span>
                  <span className="font-medium">{c.label}</span> <span className="text-slate-700 dark:text-slate-300">{disabled ? approveBlockedReason : c.hint}</span>
                </span>
              </label>
            );
          })}
        </div>
        {fieldError(state, "decision") && (
          <p id={`${group}-error`} role="alert" className="mt-1 text-sm text-red-700 dark:text-red-400">
            {fieldError(state, "decision")}
          </p>
        )}
      </fieldset>
      <TextAreaField label="Comment (recorded with your decision and in the audit log)" name="comment" required minLength={20} hint="At least 20 characters: what you checked and why you decided so." error={fieldError(state, "comment")} />
      {signature && (
        <TextField
          label="Password (electronic signature)"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          hint="This policy asks for an electronic signature: your name, the time, the meaning of your decision and the evidence hash are recorded with it."
          error={fieldError(state, "password")}
        />
      )}
      <SubmitButton pending={pending} pendingLabel="Recording…" variant={choice === "reject" ? "danger" : "primary"}>
        {signature ? "Sign and record decision" : "Record decision"}
      </SubmitButton>
    </form>
  );
}
