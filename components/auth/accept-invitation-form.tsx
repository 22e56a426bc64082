"use client";

import { useEffect } from "react";
import { acceptInvitationAction } from "@/app/invite/[token]/actions";
import { SubmitButton } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { FormMessage, fieldError } from "@/components/ui/form-message";
import { useFormAction } from "@/components/ui/use-form-action";

export function AcceptInvitationForm({ token }: { token: string }) {
  const { state, pending, onSubmit, ref } = useFormAction(acceptInvitationAction.bind(null, token));
  useEffect(() => {
    if (state.status === "ok") window.location.assign("/signin?invited=1");
  }, [state]);
  return (
    <form ref={ref} method="post" onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Choose your password">
      <FormMessage state={state} />
      <TextField label="New password" name="password" type="password" autoComplete="new-password" autoFocus required hint="At least 12 characters." error={fieldError(state, "password")} />
      <TextField label="Repeat the password" name="confirm" type="password" autoComplete="new-password" required error={fieldError(state, "confirm")} />
      <SubmitButton pending={pending} pendingLabel="Saving…" className="w-full">
        Set password
      </SubmitButton>
    </form>
  );
}
