"use client";

import { importNowAction, pushAliasesAction, removeConnectorAction, saveConnectorAction } from "@/app/models/[name]/mlflow/actions";
import { SubmitButton } from "@/components/ui/button";
import { ConfirmActionButton } from "@/components/ui/confirm-action";
import { TextField } from "@/components/ui/field";
import { FormMessage, fieldError } from "@/components/ui/form-message";
import { useFormAction } from "@/components/ui/use-form-action";

/** "Import now": fetches MLflow's new versions, adopts or compares aliases, and says what it did. */
export function ImportNowButton({ model }: { model: string }) {
  const { state, pending, onSubmit } = useFormAction(importNowAction.bind(null, model));
  return (
    <form method="post" onSubmit={onSubmit} className="space-y-2" aria-label="Import from MLflow now">
      <SubmitButton pending={pending} variant="secondary" pendingLabel="Importing…">
        Import now
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}

/** Resolves drift the Gatehouse way: MLflow is told where Gatehouse's aliases point, after saying what that changes. */
export function PushAliasesButton({ model, changes }: { model: string; changes: string[] }) {
  const { state, pending, onSubmit } = useFormAction(pushAliasesAction.bind(null, model));
  return (
    <form
      method="post"
      onSubmit={(e) => {
        if (window.confirm(`Change MLflow to match Gatehouse?\n\n${changes.join("\n")}`)) onSubmit(e);
        else e.preventDefault();
      }}
      className="space-y-2"
      aria-label="Push Gatehouse's aliases to MLflow"
    >
      <SubmitButton pending={pending} variant="secondary" pendingLabel="Queuing…">
        Push Gatehouse&apos;s aliases to MLflow
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}

type Connector = { trackingUri: string; mlflowName: string; hasToken: boolean; intervalMinutes: number; enabled: boolean } | null;

/** An admin's connection settings. The token is never shown: leave it empty to keep it. */
export function ConnectorForm({ model, connector }: { model: string; connector: Connector }) {
  const { state, pending, onSubmit, ref } = useFormAction(saveConnectorAction.bind(null, model));
  return (
    <form ref={ref} method="post" onSubmit={onSubmit} noValidate className="space-y-4" aria-label="MLflow connection">
      <FormMessage state={state} />
      <TextField label="MLflow tracking URI" name="trackingUri" type="url" required defaultValue={connector?.trackingUri ?? ""} placeholder="https://mlflow.example.com" hint="The server's base URL, as MLFLOW_TRACKING_URI." error={fieldError(state, "trackingUri")} />
      <TextField label="Registered model in MLflow" name="mlflowName" defaultValue={connector?.mlflowName ?? model} hint="Its name in MLflow's registry." error={fieldError(state, "mlflowName")} />
      <TextField
        label="MLflow token"
        name="token"
        type="password"
        autoComplete="off"
        hint={connector?.hasToken ? "A token is stored (never shown). Leave this empty to keep it." : "Sent as Authorization: Bearer, as MLFLOW_TRACKING_TOKEN. Leave empty if the server needs none."}
        error={fieldError(state, "token")}
      />
      {connector?.hasToken && (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="removeToken" /> Remove the stored token
        </label>
      )}
      <TextField label="Import every (minutes)" name="intervalMinutes" type="number" min={1} max={1440} defaultValue={String(connector?.intervalMinutes ?? 15)} error={fieldError(state, "intervalMinutes")} />
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="enabled" defaultChecked={connector?.enabled ?? true} /> Enabled: import on schedule and send alias moves to MLflow
      </label>
      <TextField label="Reason (recorded in the audit log)" name="reason" error={fieldError(state, "reason")} />
      <SubmitButton pending={pending} pendingLabel="Saving…">
        {connector ? "Save connection" : "Connect to MLflow"}
      </SubmitButton>
    </form>
  );
}

export function DisconnectButton({ model }: { model: string }) {
  return (
    <ConfirmActionButton
      action={removeConnectorAction.bind(null, model)}
      confirm={`Disconnect ${model} from MLflow? Imported versions and aliases stay; alias moves not yet sent to MLflow are dropped.`}
      label="Disconnect from MLflow"
      ariaLabel="Disconnect from MLflow"
      pendingLabel="Disconnecting…"
    />
  );
}
