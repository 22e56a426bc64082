"use client";

import { useState } from "react";
import { createTokenAction, revokeTokenAction } from "@/app/admin/tokens/actions";
import { Button, SubmitButton } from "@/components/ui/button";
import { ConfirmActionButton } from "@/components/ui/confirm-action";
import { TextField } from "@/components/ui/field";
import { FormMessage, fieldError } from "@/components/ui/form-message";
import { Alert } from "@/components/ui/layout";
import { useFormAction } from "@/components/ui/use-form-action";
import { SCOPES } from "@/lib/auth/permissions";
import { rateLimitLabel } from "@/lib/ratelimit/words";

const SCOPE_HELP: Record<(typeof SCOPES)[number], string> = {
  "registry:read": "read models, versions and promotions",
  "registry:write": "register models, versions and reports; set unprotected aliases",
  "promotions:request": "request promotions",
  "metrics:write": "send live metrics",
  "serving:read": "resolve aliases and routing",
  "aliases:rollback": "roll protected aliases back",
  "policies:write": "set promotion policies (CI)",
};

function ShownOnce({ name, secret }: { name: string; secret: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Alert tone="warning" title={`Copy the token for “${name}” now`}>
      <p>It is shown only this once; Gatehouse keeps only a hash of it.</p>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <code className="break-all rounded bg-white px-2 py-1 font-mono text-xs text-slate-900 dark:bg-slate-900 dark:text-slate-100" data-testid="new-token">
          {secret}
        </code>
        <Button
          type="button"
          variant="secondary"
          className="py-1"
          onClick={() => void navigator.clipboard?.writeText(secret).then(() => setCopied(true), () => setCopied(false))}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
    </Alert>
  );
}

export function CreateTokenForm({ defaultRateLimit }: { defaultRateLimit: number | null }) {
  const { state, pending, onSubmit, ref } = useFormAction(createTokenAction);
  const [kind, setKind] = useState<"service" | "user">("service");
  const scopesError = fieldError(state, "scopes");
  return (
    <div className="space-y-4">
      {state.status === "ok" && state.data ? <ShownOnce name={state.data.name} secret={state.data.secret} /> : <FormMessage state={state} />}
      <form ref={ref} method="post" onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Create an API token">
        <TextField label="Name" name="name" required hint="What uses it, e.g. fraud-detector CI." error={fieldError(state, "name")} />
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Acts as</legend>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="kind" value="service" checked={kind === "service"} onChange={() => setKind("service")} />
            A service, with the scopes chosen below
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="kind" value="user" checked={kind === "user"} onChange={() => setKind("user")} />
            A user, with that user&apos;s roles
          </label>
        </fieldset>
        {kind === "user" ? (
          <TextField label="User's email" name="userEmail" type="email" required error={fieldError(state, "userEmail")} />
        ) : (
          <fieldset className="space-y-1.5" aria-describedby={scopesError ? "scopes-error" : undefined}>
            <legend className="text-sm font-medium">Scopes</legend>
            {SCOPES.map((s) => (
              <label key={s} className="flex items-start gap-2 text-sm">
                <input type="checkbox" name="scopes" value={s} className="mt-1" />
                <span>
                  <code className="font-mono text-xs">{s}</code> <span className="text-slate-700 dark:text-slate-300">— {SCOPE_HELP[s]}</span>
                </span>
              </label>
            ))}
            {scopesError && (
              <p id="scopes-error" role="alert" className="text-sm text-red-700 dark:text-red-400">
                {scopesError}
              </p>
            )}
          </fieldset>
        )}
        <TextField
          label="Rate limit (requests a minute)"
          name="rateLimitPerMinute"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          hint={`Leave empty for the default: ${rateLimitLabel(defaultRateLimit)}.`}
          error={fieldError(state, "rateLimitPerMinute")}
        />
        <SubmitButton pending={pending} pendingLabel="Creating…">Create token</SubmitButton>
      </form>
    </div>
  );
}

export function RevokeTokenButton({ id, name }: { id: string; name: string }) {
  return (
    <ConfirmActionButton
      action={revokeTokenAction.bind(null, id)}
      confirm={`Revoke “${name}”? Anything using it stops working at once.`}
      label="Revoke"
      ariaLabel={`Revoke token ${name}`}
      pendingLabel="Revoking…"
    />
  );
}
