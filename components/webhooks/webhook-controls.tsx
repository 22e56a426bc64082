"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { deleteWebhookAction, redeliverWebhookAction, rotateWebhookSecretAction, sendTestWebhookAction, setWebhookEnabledAction } from "@/app/admin/webhooks/[id]/actions";
import { SubmitButton } from "@/components/ui/button";
import { ConfirmActionButton } from "@/components/ui/confirm-action";
import { FormMessage } from "@/components/ui/form-message";
import { useFormAction } from "@/components/ui/use-form-action";
import { SecretShownOnce } from "./webhook-forms";

export function EnableToggle({ id, enabled }: { id: string; enabled: boolean }) {
  const { state, pending, onSubmit } = useFormAction(setWebhookEnabledAction.bind(null, id, !enabled));
  return (
    <form method="post" onSubmit={onSubmit} className="space-y-2" aria-label={enabled ? "Disable the webhook" : "Enable the webhook"}>
      <FormMessage state={state} />
      <SubmitButton pending={pending} variant={enabled ? "secondary" : "primary"} pendingLabel={enabled ? "Disabling…" : "Enabling…"}>
        {enabled ? "Disable" : "Enable"}
      </SubmitButton>
    </form>
  );
}

export function SendTestButton({ id, enabled }: { id: string; enabled: boolean }) {
  const { state, pending, onSubmit } = useFormAction(sendTestWebhookAction.bind(null, id));
  return (
    <form method="post" onSubmit={onSubmit} className="space-y-2" aria-label="Send a test event">
      <FormMessage state={state} />
      <SubmitButton pending={pending} variant="secondary" pendingLabel="Queueing…" disabled={!enabled} aria-describedby={enabled ? undefined : "test-disabled-hint"}>
        Send test event
      </SubmitButton>
      {!enabled && (
        <p id="test-disabled-hint" className="text-xs text-slate-700 dark:text-slate-300">
          Enable the webhook to send a test event.
        </p>
      )}
    </form>
  );
}

export function RotateSecretForm({ id }: { id: string }) {
  const { state, pending, onSubmit } = useFormAction(rotateWebhookSecretAction.bind(null, id));
  return (
    <form
      method="post"
      className="space-y-3"
      aria-label="Rotate the signing secret"
      onSubmit={(e) => {
        if (window.confirm("Replace the signing secret? The receiver must be given the new one: deliveries from now on are signed with it.")) onSubmit(e);
        else e.preventDefault();
      }}
    >
      {state.status === "ok" && state.data ? <SecretShownOnce title="Copy the new signing secret now" secret={state.data.secret} /> : <FormMessage state={state} />}
      <SubmitButton pending={pending} variant="secondary" pendingLabel="Rotating…">
        Rotate secret
      </SubmitButton>
    </form>
  );
}

export function DeleteWebhookButton({ id, url }: { id: string; url: string }) {
  return (
    <ConfirmActionButton
      action={deleteWebhookAction.bind(null, id)}
      confirm={`Delete the webhook to ${url}? Its delivery log goes with it, and queued deliveries are dropped.`}
      label="Delete webhook"
      ariaLabel={`Delete the webhook to ${url}`}
      pendingLabel="Deleting…"
    />
  );
}

export function RedeliverButton({ id, deliveryId, event }: { id: string; deliveryId: string; event: string }) {
  const { state, pending, onSubmit } = useFormAction(redeliverWebhookAction.bind(null, id, deliveryId));
  return (
    <form method="post" onSubmit={onSubmit} className="inline-flex flex-col items-end gap-1">
      <SubmitButton pending={pending} variant="secondary" className="px-2 py-1 text-xs" aria-label={`Redeliver ${event} delivery ${deliveryId}`} pendingLabel="Queueing…">
        Redeliver
      </SubmitButton>
      {state.status === "error" && (
        <span role="alert" className="text-xs text-red-700 dark:text-red-400">
          {state.message}
        </span>
      )}
    </form>
  );
}

/** Re-reads the page every few seconds while `active`, for at most `forMs` (a retry an hour away is not worth polling for). */
export function AutoRefresh({ active, everyMs = 2_000, forMs = 60_000 }: { active: boolean; everyMs?: number; forMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const started = Date.now();
    const timer = setInterval(() => {
      if (Date.now() - started > forMs) clearInterval(timer);
      else router.refresh();
    }, everyMs);
    return () => clearInterval(timer);
  }, [active, everyMs, forMs, router]);
  return null;
}
