"use client";

import { useId, useRef, useState } from "react";
import { decideReleaseAction } from "@/app/releases/actions";
import { Button } from "@/components/ui/button";
import { DecisionFields, type DecisionChoice } from "@/components/promotions/decision-fields";
import { FormMessage } from "@/components/ui/form-message";
import { useFormAction } from "@/components/ui/use-form-action";

/** A member waiting for the approver: "#12 encoder v2", the roles they decide it as, and what approving it does. */
export type WaitingMember = { label: string; roles: string[]; move: string; blocked: boolean };

type Props = {
  id: string;
  number: number;
  /** Whether the approver may decide now; the component stays mounted when not, to keep showing its last outcome. */
  available: boolean;
  signature: boolean;
  waiting: WaitingMember[];
  /** Members the approver's decision will not touch, with why ("already approved", "not waiting for your roles"). */
  others: { label: string; reason: string }[];
};

const CHOICES: readonly DecisionChoice[] = [
  { value: "approve", label: "Approve", hint: "Every member waiting for you is approved; the release applies once all members are." },
  { value: "request-changes", label: "Request changes", hint: "Back to the requester; the release waits." },
  { value: "reject", label: "Reject", hint: "Ends the release: its other members are cancelled and nothing moves." },
];

/**
 * The approver's dialog for a whole release: which members the decision is recorded on, the decision, a comment and
 * the password where a member's policy asks for a signature. The outcome (decided and skipped members) stays in the
 * dialog while the page behind reloads, since a decision that completes the release takes the button away.
 */
export function ReleaseDecisionButton(props: Props) {
  // Closing the dialog after a decision starts afresh: a later decision (after a resubmission, say) gets an empty form.
  const [round, setRound] = useState(0);
  return <DecisionDialog key={round} {...props} onDone={() => setRound((n) => n + 1)} />;
}

function DecisionDialog({ id, number, available, signature, waiting, others, onDone }: Props & { onDone: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { state, pending, onSubmit, ref } = useFormAction(decideReleaseAction.bind(null, id));
  // A blocked member cannot be approved (lib/promotions refuses it); with every one blocked, approving does nothing.
  const canApprove = waiting.some((m) => !m.blocked);
  const [choice, setChoice] = useState<string>(canApprove ? "approve" : "request-changes");
  const close = () => dialog.current?.close();
  if (!available && state.status !== "ok") return null;
  const result = state.status === "ok" ? state.data : undefined;
  return (
    <>
      {available && (
        <Button type="button" variant="primary" onClick={() => dialog.current?.showModal()} aria-haspopup="dialog">
          Decide on the release…
        </Button>
      )}
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        onClose={() => state.status === "ok" && onDone()}
        className="m-auto w-full max-w-xl rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-950/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
      >
        <div className="p-5">
          <div className="mb-3 flex items-start justify-between gap-4">
            <h2 id={titleId} className="text-lg font-semibold">
              Decide on release {number}
            </h2>
            <Button type="button" variant="ghost" className="px-2 py-1" onClick={close} aria-label="Close">
              ✕
            </Button>
          </div>
          {state.status === "ok" ? (
            <div className="space-y-3">
              <FormMessage state={state} />
              {result && result.skipped.length > 0 && (
                <div className="text-sm">
                  <p className="font-medium">Not decided on:</p>
                  <ul className="mt-1 list-disc space-y-0.5 pl-5" aria-label="Members skipped">
                    {result.skipped.map((s) => (
                      <li key={s.member}>
                        {s.member}: {s.reason}
                      </li>
                    ))}
                  </ul>
                </div>
              )}
              <Button type="button" variant="secondary" onClick={close}>
                Done
              </Button>
            </div>
          ) : (
            <form ref={ref} method="post" onSubmit={onSubmit} noValidate className="space-y-4">
              <div className="rounded-md bg-slate-100 px-3 py-2 text-sm dark:bg-slate-800">
                <p>Your decision is recorded on every member waiting for one of your roles:</p>
                <ul className="mt-1 list-disc space-y-0.5 pl-5" aria-label="Members you decide on">
                  {waiting.map((m) => (
                    <li key={m.label}>
                      <span className="font-medium">{m.label}</span> as {m.roles.join(" and ")}: {m.move}
                    </li>
                  ))}
                </ul>
                {others.length > 0 && (
                  <>
                    <p className="mt-2">Not touched by your decision:</p>
                    <ul className="mt-1 list-disc space-y-0.5 pl-5">
                      {others.map((m) => (
                        <li key={m.label}>
                          {m.label}: {m.reason}
                        </li>
                      ))}
                    </ul>
                  </>
                )}
                <p className="mt-2">Nothing moves until every member is approved; then all move together.</p>
              </div>
              <FormMessage state={state} />
              <DecisionFields
                state={state}
                pending={pending}
                choices={CHOICES}
                choice={choice}
                onChoice={setChoice}
                hintFor={(c) =>
                  c.value === "approve" && !canApprove
                    ? { hint: "Not possible while the members waiting for you are blocked: their gates must pass first.", disabled: true }
                    : { hint: c.value === "approve" && waiting.some((m) => m.blocked) ? `${c.hint} Blocked members are skipped.` : c.hint, disabled: false }
                }
                commentLabel="Comment (recorded with your decision on each member and in the audit log)"
                signature={signature}
                signatureHint="A member's policy asks for an electronic signature: each member's decision is signed with your name, the time, its meaning and that member's evidence hash."
              />
            </form>
          )}
        </div>
      </dialog>
    </>
  );
}
