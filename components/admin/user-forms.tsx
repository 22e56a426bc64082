"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { createUserAction, grantRoleAction, reissueInvitationAction, resetPasswordAction, revokeRoleAction, setUserActiveAction } from "@/app/admin/users/actions";
import { Alert } from "@/components/ui/layout";
import { SubmitButton } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { FormMessage, fieldError } from "@/components/ui/form-message";
import { useFormAction } from "@/components/ui/use-form-action";
import { ROLES } from "@/lib/auth/permissions";

const roleOptions = ROLES.map((r) => ({ value: r, label: r }));

function teamOptions(teams: { slug: string; name: string }[], allLabel: string) {
  return [{ value: "", label: allLabel }, ...teams.map((t) => ({ value: t.slug, label: `${t.name} (${t.slug})` }))];
}

export function CreateUserForm({ teams }: { teams: { slug: string; name: string }[] }) {
  const { state, pending, onSubmit, ref } = useFormAction(createUserAction);
  const router = useRouter();
  useEffect(() => {
    if (state.status === "ok" && state.data && !state.data.invitationPath) router.push(`/admin/users/${state.data.id}?created=1`);
  }, [state, router]);
  const invited = state.status === "ok" && state.data?.invitationPath ? state.data : null;
  return (
    <form ref={ref} method="post" onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Add a user">
      {invited ? <InvitationLink path={invited.invitationPath!} who={invited.email} /> : <FormMessage state={state} />}
      <TextField label="Email" name="email" type="email" autoComplete="off" required error={fieldError(state, "email")} />
      <TextField label="Name" name="name" required error={fieldError(state, "name")} />
      <TextField
        label="Initial password (optional)"
        name="password"
        type="password"
        autoComplete="new-password"
        hint="Leave empty to get an invitation link with which they choose their own. Otherwise at least 12 characters, shared privately."
        error={fieldError(state, "password")}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField label="Role" name="role" options={[{ value: "", label: "No role yet" }, ...roleOptions]} error={fieldError(state, "roles.0.role")} />
        <SelectField label="For team" name="team" options={teamOptions(teams, "All teams")} error={fieldError(state, "roles.0.team")} />
      </div>
      <SubmitButton pending={pending} pendingLabel="Adding…">Add user</SubmitButton>
    </form>
  );
}

/** A one-time invitation link, shown once: only its hash is stored. */
function InvitationLink({ path, who }: { path: string; who: string }) {
  // Rendered only after a form submission in the browser, never on the server, so window is there.
  const url = `${window.location.origin}${path}`;
  return (
    <Alert tone="warning" title={`Send this invitation link to ${who}`}>
      <p>It works once, for 7 days, and is shown only now.</p>
      <code className="mt-2 block break-all rounded bg-white px-2 py-1 font-mono text-xs text-slate-900 dark:bg-slate-900 dark:text-slate-100" data-testid="invitation-link">
        {url}
      </code>
    </Alert>
  );
}

export function ReissueInvitationForm({ id, email }: { id: string; email: string }) {
  const { state, pending, onSubmit } = useFormAction(reissueInvitationAction.bind(null, id));
  return (
    <form method="post" onSubmit={onSubmit} className="space-y-3" aria-label="New invitation link">
      {state.status === "ok" && state.data ? <InvitationLink path={state.data.path} who={email} /> : <FormMessage state={state} />}
      <SubmitButton pending={pending} variant="secondary" pendingLabel="Creating…">
        New invitation link
      </SubmitButton>
    </form>
  );
}

export function ActiveForm({ id, active }: { id: string; active: boolean }) {
  const { state, pending, onSubmit, ref } = useFormAction(setUserActiveAction.bind(null, id));
  return (
    <form ref={ref} method="post" onSubmit={onSubmit} noValidate className="space-y-3" aria-label={active ? "Deactivate user" : "Reactivate user"}>
      <FormMessage state={state} />
      <input type="hidden" name="active" value={active ? "false" : "true"} />
      <TextField label="Reason (recorded in the audit log)" name="reason" error={fieldError(state, "reason")} />
      <SubmitButton pending={pending} variant={active ? "danger" : "primary"} pendingLabel="Saving…">
        {active ? "Deactivate and sign out" : "Reactivate"}
      </SubmitButton>
    </form>
  );
}

export function ResetPasswordForm({ id }: { id: string }) {
  const { state, pending, onSubmit, ref } = useFormAction(resetPasswordAction.bind(null, id));
  return (
    <form ref={ref} method="post" onSubmit={onSubmit} noValidate className="space-y-3" aria-label="Reset password">
      <FormMessage state={state} />
      <TextField label="New password" name="password" type="password" autoComplete="new-password" required hint="At least 12 characters." error={fieldError(state, "password")} />
      <TextField label="Reason (recorded in the audit log)" name="reason" error={fieldError(state, "reason")} />
      <SubmitButton pending={pending} variant="secondary" pendingLabel="Saving…">
        Set new password
      </SubmitButton>
    </form>
  );
}

export function GrantRoleForm({ id, teams }: { id: string; teams: { slug: string; name: string }[] }) {
  const { state, pending, onSubmit, ref } = useFormAction(grantRoleAction.bind(null, id));
  return (
    <form ref={ref} method="post" onSubmit={onSubmit} noValidate className="space-y-3" aria-label="Grant a role">
      <FormMessage state={state} />
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField label="Role" name="role" options={roleOptions} error={fieldError(state, "role")} />
        <SelectField label="For team" name="team" options={teamOptions(teams, "All teams")} error={fieldError(state, "team")} />
      </div>
      <TextField label="Reason (recorded in the audit log)" name="reason" error={fieldError(state, "reason")} />
      <SubmitButton pending={pending} pendingLabel="Granting…">Grant role</SubmitButton>
    </form>
  );
}

export function RevokeRoleButton({ id, grantId, label }: { id: string; grantId: string; label: string }) {
  const { state, pending, onSubmit } = useFormAction(revokeRoleAction.bind(null, id, grantId));
  return (
    <form method="post" onSubmit={onSubmit} className="inline-flex items-center gap-2">
      <SubmitButton pending={pending} variant="ghost" className="px-2 py-1 text-xs" aria-label={`Revoke ${label}`} pendingLabel="Revoking…">
        Revoke
      </SubmitButton>
      {state.status === "error" && <span className="text-xs text-red-700 dark:text-red-400" role="alert">{state.message}</span>}
    </form>
  );
}
