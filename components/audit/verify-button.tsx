"use client";

import { verifyChainAction } from "@/app/audit/actions";
import { SubmitButton } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { useFormAction } from "@/components/ui/use-form-action";

export function VerifyChainButton() {
  const { state, pending, onSubmit } = useFormAction(verifyChainAction);
  return (
    <form method="post" onSubmit={onSubmit} className="space-y-2" aria-label="Verify the audit chain">
      <SubmitButton pending={pending} pendingLabel="Verifying…" variant="secondary">
        Verify now
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
