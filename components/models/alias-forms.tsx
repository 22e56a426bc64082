"use client";

import { deleteAliasAction, rollbackAliasAction, setAliasAction } from "@/app/models/[name]/actions";
import { CommentActionButton } from "@/components/promotions/comment-action";
import { SubmitButton } from "@/components/ui/button";
import { ConfirmActionButton } from "@/components/ui/confirm-action";
import { SelectField, TextField } from "@/components/ui/field";
import { FormMessage, fieldError } from "@/components/ui/form-message";
import { useFormAction } from "@/components/ui/use-form-action";

export function SetAliasForm({ model, versions }: { model: string; versions: { version: number; status: string }[] }) {
  const { state, pending, onSubmit, ref } = useFormAction(setAliasAction.bind(null, model));
  return (
    <form ref={ref} method="post" onSubmit={onSubmit} noValidate className="space-y-3" aria-label="Set an alias">
      <FormMessage state={state} />
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField label="Alias" name="alias" placeholder="e.g. candidate" hint="Letters, digits, - and _. Not v1, v2… or latest." error={fieldError(state, "alias")} />
        <SelectField label="Version" name="version" options={versions.filter((v) => v.status === "ready").map((v) => ({ value: String(v.version), label: `v${v.version}` }))} error={fieldError(state, "version")} />
      </div>
      <TextField label="Reason (recorded in the alias history)" name="reason" error={fieldError(state, "reason")} />
      <SubmitButton pending={pending} pendingLabel="Saving…">
        Set alias
      </SubmitButton>
    </form>
  );
}

export function DeleteAliasButton({ model, alias }: { model: string; alias: string }) {
  return (
    <ConfirmActionButton
      action={deleteAliasAction.bind(null, model, alias)}
      confirm={`Delete @${alias}? Anything resolving ${model}@${alias} will stop finding it.`}
      label="Delete"
      ariaLabel={`Delete alias ${alias}`}
      pendingLabel="Deleting…"
    />
  );
}

/** Roll an alias back (ML Leads and admins): to the previous holder, or a chosen earlier one, with a comment. */
export function RollbackAliasButton({ model, alias, version, earlier, previous }: { model: string; alias: string; version: number; earlier: number[]; previous: number | null }) {
  return (
    <CommentActionButton
      action={rollbackAliasAction.bind(null, model, alias)}
      label="Roll back"
      title={`Roll back ${model}@${alias}`}
      description={`@${alias} points at v${version} now. Rolling back repoints it at once: the serving layer sees the change immediately, and the promotion request that moved it, if any, is marked rolled back.`}
      submitLabel="Roll back"
      variant="danger"
      commentLabel="Why (recorded in the alias history and the audit log)"
      extra={(error) => (
        <SelectField
          label="Back to"
          name="toVersion"
          options={[...(previous !== null ? [{ value: "", label: `The previous holder, v${previous}` }] : []), ...earlier.filter((v) => v !== version && v !== previous).map((v) => ({ value: String(v), label: `v${v}` }))]}
          error={error("toVersion")}
        />
      )}
    />
  );
}
