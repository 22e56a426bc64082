"use client";

import { useId } from "react";
import type { ActionState } from "@/lib/api/action-state";
import { SubmitButton } from "@/components/ui/button";
import { TextAreaField, TextField } from "@/components/ui/field";
import { fieldError } from "@/components/ui/form-message";

export type DecisionChoice = { value: "approve" | "request-changes" | "reject"; label: string; hint: string };

/**
 * The fields of a decision, for one request or a whole release: the choice (approve may be disabled, with why), the
 * comment, the password where a signature is asked, and the submit button.
 */
export function DecisionFields(props: {
  state: ActionState<unknown>;
  pending: boolean;
  choices: readonly DecisionChoice[];
  choice: string;
  onChoice: (value: string) => void;
  /** The hint shown for a choice, and whether it is disabled. */
  hintFor: (c: DecisionChoice) => { hint: string; disabled: boolean };
  commentLabel: string;
  signature: boolean;
  signatureHint: string;
}) {
  const { state } = props;
  const group = useId();
  return (
    <>
      <fieldset aria-describedby={fieldError(state, "decision") ? `${group}-error` : undefined}>
        <legend className="mb-1 text-sm font-medium">Decision</legend>
        <div className="space-y-1">
          {props.choices.map((c) => {
            const { hint, disabled } = props.hintFor(c);
            return (
              <label key={c.value} className={`flex items-start gap-2 text-sm ${disabled ? "opacity-60" : ""}`}>
                <input type="radio" name="decision" value={c.value} checked={props.choice === c.value} disabled={disabled} onChange={() => props.onChoice(c.value)} className="mt-1" />
                <span>
                  <span className="font-medium">{c.label}</span> <span className="text-slate-700 dark:text-slate-300">{hint}</span>
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
      <TextAreaField label={props.commentLabel} name="comment" required minLength={20} hint="At least 20 characters: what you checked and why you decided so." error={fieldError(state, "comment")} />
      {props.signature && <TextField label="Password (electronic signature)" name="password" type="password" autoComplete="current-password" required hint={props.signatureHint} error={fieldError(state, "password")} />}
      <SubmitButton pending={props.pending} pendingLabel="Recording…" variant={props.choice === "reject" ? "danger" : "primary"}>
        {props.signature ? "Sign and record decision" : "Record decision"}
      </SubmitButton>
    </>
  );
}
