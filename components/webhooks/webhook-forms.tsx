"use client";

import Link from "next/link";
import { useState } from "react";
import { createWebhookAction } from "@/app/admin/webhooks/actions";
import { updateWebhookAction } from "@/app/admin/webhooks/[id]/actions";
import { Button, SubmitButton } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { FormMessage, fieldError } from "@/components/ui/form-message";
import { Alert } from "@/components/ui/layout";
import { linkStyles } from "@/components/ui/styles";
import { useFormAction } from "@/components/ui/use-form-action";
import { ALL_EVENTS, WEBHOOK_EVENTS, WEBHOOK_EVENT_DESCRIPTIONS } from "@/lib/webhooks/events";

/** A signing secret, shown the one time Gatehouse has it in the clear, with a copy button. */
export function SecretShownOnce({ title, secret }: { title: string; secret: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Alert tone="warning" title={title}>
      <p>It is shown only this once; Gatehouse keeps it encrypted and cannot show it again. Receivers verify each delivery&apos;s signature with it.</p>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <code className="break-all rounded bg-white px-2 py-1 font-mono text-xs text-slate-900 dark:bg-slate-900 dark:text-slate-100" data-testid="webhook-secret">
          {secret}
        </code>
        <Button
          type="button"
          variant="secondary"
          className="py-1"
          onClick={() => void navigator.clipboard?.writeText(secret).then(() => setCopied(true), () => setCopied(false))}
        >
          {copied ? "Copied" : "Copy secret"}
        </Button>
      </div>
    </Alert>
  );
}

/** The event filter as checkboxes; entries set through the API that are not listed here (e.g. "alias.*") stay checked. */
function EventChoices({ selected = [], error }: { selected?: readonly string[]; error?: string }) {
  const extra = selected.filter((e) => e !== ALL_EVENTS && !(WEBHOOK_EVENTS as readonly string[]).includes(e));
  return (
    <fieldset className="space-y-1.5" aria-describedby={error ? "webhook-events-error" : undefined}>
      <legend className="text-sm font-medium">Events</legend>
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" name="events" value={ALL_EVENTS} defaultChecked={selected.includes(ALL_EVENTS)} className="mt-1" />
        <span>
          <span className="font-medium">Every event</span> <span className="text-slate-700 dark:text-slate-300">— including kinds added later</span>
        </span>
      </label>
      {[...WEBHOOK_EVENTS, ...extra].map((e) => (
        <label key={e} className="flex items-start gap-2 text-sm">
          <input type="checkbox" name="events" value={e} defaultChecked={selected.includes(e)} className="mt-1" />
          <span>
            <code className="font-mono text-xs">{e}</code>{" "}
            <span className="text-slate-700 dark:text-slate-300">— {(WEBHOOK_EVENT_DESCRIPTIONS as Record<string, string>)[e] ?? "every event of this family"}</span>
          </span>
        </label>
      ))}
      {error && (
        <p id="webhook-events-error" role="alert" className="text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** The first error of the events field, whichever entry it is about. */
const eventsError = (state: Parameters<typeof fieldError>[0]) =>
  state.status === "error" ? Object.entries(state.fieldErrors).find(([k]) => k === "events" || k.startsWith("events."))?.[1] : undefined;

export function CreateWebhookForm() {
  const { state, pending, onSubmit, ref } = useFormAction(createWebhookAction);
  const created = state.status === "ok" ? state.data : undefined;
  return (
    <div className="space-y-4">
      {created ? (
        <div className="space-y-2">
          <SecretShownOnce title={`Copy the signing secret for ${created.url} now`} secret={created.secret} />
          <p className="text-sm">
            <Link className={linkStyles} href={`/admin/webhooks/${created.id}`}>
              Open the webhook
            </Link>{" "}
            to send a test event and watch its deliveries.
          </p>
        </div>
      ) : (
        <FormMessage state={state} />
      )}
      <form ref={ref} method="post" onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Register a webhook">
        <TextField label="URL" name="url" type="url" required placeholder="https://hooks.example.com/gatehouse" hint="Gatehouse POSTs signed JSON here." error={fieldError(state, "url")} />
        <TextField label="Description (optional)" name="description" hint="What receives it, e.g. the deploy pipeline." error={fieldError(state, "description")} />
        <EventChoices error={eventsError(state)} />
        <SubmitButton pending={pending} pendingLabel="Registering…">
          Register webhook
        </SubmitButton>
      </form>
    </div>
  );
}

export function WebhookSettingsForm({ webhook }: { webhook: { id: string; url: string; description: string; events: string[] } }) {
  const { state, pending, onSubmit } = useFormAction(updateWebhookAction.bind(null, webhook.id));
  return (
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Webhook settings">
      <FormMessage state={state} />
      <TextField label="URL" name="url" type="url" required defaultValue={webhook.url} error={fieldError(state, "url")} />
      <TextField label="Description (optional)" name="description" defaultValue={webhook.description} error={fieldError(state, "description")} />
      <EventChoices selected={webhook.events} error={eventsError(state)} />
      <SubmitButton pending={pending} pendingLabel="Saving…">
        Save changes
      </SubmitButton>
    </form>
  );
}
