"use client";

import { requestPromotionAction } from "@/app/promotions/actions";
import { SubmitButton } from "@/components/ui/button";
import { SelectField, TextAreaField } from "@/components/ui/field";
import { FormMessage, fieldError } from "@/components/ui/form-message";
import { useFormAction } from "@/components/ui/use-form-action";

type Stage = { name: string; alias: string; ready: boolean; holder: number | null };

/** On a version's page: ask to move it to a stage. The gates run on the server; a blocked request says why. */
export function RequestPromotionForm({ model, version, stages }: { model: string; version: number; stages: Stage[] }) {
  const { state, pending, onSubmit, ref } = useFormAction(requestPromotionAction.bind(null, model, version));
  const options = stages.map((s) => ({ value: s.name, label: `${s.name} (@${s.alias}${s.holder === null ? ", unset" : `, now v${s.holder}`})${s.ready ? "" : ": gates not passing yet"}` }));
  const firstReady = stages.find((s) => s.ready)?.name ?? stages[0]?.name;
  return (
    <form ref={ref} method="post" onSubmit={onSubmit} noValidate className="space-y-3" aria-label="Request a promotion">
      <FormMessage state={state} />
      <SelectField label="Target stage" name="stage" options={options} defaultValue={firstReady} error={fieldError(state, "stage")} />
      <TextAreaField label="Justification" name="justification" required minLength={20} hint="Why this version should move now (at least 20 characters); approvers and auditors read it." error={fieldError(state, "justification") ?? fieldError(state, "version")} />
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" name="emergency" className="mt-1" />
        <span>
          <span className="font-medium">Emergency</span>{" "}
          <span className="text-slate-700 dark:text-slate-300">during an incident or a freeze: an ML Lead and an admin approve instead of the usual quorum, the change applies directly, and a compliance review follows.</span>
        </span>
      </label>
      <SubmitButton pending={pending} pendingLabel="Requesting…">
        Request promotion
      </SubmitButton>
    </form>
  );
}
