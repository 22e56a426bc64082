"use client";

import { createTeamAction } from "@/app/admin/teams/actions";
import { SubmitButton } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { FormMessage, fieldError } from "@/components/ui/form-message";
import { useFormAction } from "@/components/ui/use-form-action";

export function CreateTeamForm() {
  const { state, pending, onSubmit, ref } = useFormAction(createTeamAction);
  return (
    <form ref={ref} method="post" onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Create a team">
      <FormMessage state={state} />
      <TextField label="Slug" name="slug" required hint="Lowercase letters, digits and dashes, e.g. payments." error={fieldError(state, "slug")} />
      <TextField label="Name" name="name" required error={fieldError(state, "name")} />
      <SubmitButton pending={pending} pendingLabel="Creating…">Create team</SubmitButton>
    </form>
  );
}
