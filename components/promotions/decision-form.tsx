"use client";

import { useState } from "react";
import { decideAction } from "@/app/promotions/actions";
import { DialogButton } from "@/components/ui/dialog";
import { DecisionFields, type DecisionChoice } from "./decision-fields";
import { FormMessage } from "@/components/ui/form-message";
import { useFormAction } from "@/components/ui/use-form-action";

type Props = { id: string; number: number; move: string; strategy: string; signature: boolean; canApprove: boolean; approveBlockedReason: string | null; roles: string[] };

const CHOICES: readonly DecisionChoice[] = [
  { value: "approve", label: "Approve", hint: "The version may move." },
  { value: "request-changes", label: "Request changes", hint: "Back to the requester, who can resubmit." },
  { value: "reject", label: "Reject", hint: "Ends the request." },
];

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
      <DecisionFields
        state={state}
        pending={pending}
        choices={CHOICES}
        choice={choice}
        onChoice={setChoice}
        hintFor={(c) => (c.value === "approve" && !canApprove ? { hint: approveBlockedReason ?? c.hint, disabled: true } : { hint: c.hint, disabled: false })}
        commentLabel="Comment (recorded with your decision and in the audit log)"
        signature={signature}
        signatureHint="This policy asks for an electronic signature: your name, the time, the meaning of your decision and the evidence hash are recorded with it."
      />
    </form>
  );
}
