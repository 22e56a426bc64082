"use client";

import { useActionState, useEffect, useRef } from "react";
import { createTeamAction } from "@/app/admin/teams/actions";
import { SubmitButton } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { FormMessage, fieldError } from "@/components/ui/form-message";

export function CreateTeamForm() {
  const [state, action] = useActionState(createTeamAction, { status: "idle" });
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.status === "ok") ref.current?.reset();
  }, [state]);
  return (
    <form ref={ref} action={action} noValidate className="space-y-4" aria-label="Create a team">
      <FormMessage state={state} />
      <TextField label="Slug" name="slug" required hint="Lowercase letters, digits and dashes, e.g. payments." error={fieldError(state, "slug")} />
      <TextField label="Name" name="name" required error={fieldError(state, "name")} />
      <SubmitButton pendingLabel="Creating…">Create team</SubmitButton>
    </form>
  );
}
