"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { actionError, type ActionState } from "@/lib/api/action-state";
import { formObject } from "@/lib/api/form";
import { getSessionActor } from "@/lib/auth/actor";
import { redeliverWebhook, sendTestWebhook } from "@/lib/webhooks/deliveries";
import { deleteWebhook, rotateWebhookSecret, updateWebhook } from "@/lib/webhooks/endpoints";
import { ZUpdateWebhookInput } from "@/lib/webhooks/schemas";

const refresh = (id: string) => {
  revalidatePath(`/admin/webhooks/${id}`);
  revalidatePath("/admin/webhooks");
};

export async function updateWebhookAction(id: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    const f = formObject(form);
    const input = ZUpdateWebhookInput.parse({ url: f.url, description: f.description ?? "", events: form.getAll("events").map(String) });
    await updateWebhook({ actor: await getSessionActor(), id, input });
    refresh(id);
    return { status: "ok", message: "Saved." };
  } catch (err) {
    return actionError(err);
  }
}

export async function setWebhookEnabledAction(id: string, enabled: boolean, _prev: ActionState, _form: FormData): Promise<ActionState> {
  try {
    await updateWebhook({ actor: await getSessionActor(), id, input: { enabled } });
    refresh(id);
    return { status: "ok", message: enabled ? "Enabled: new events are delivered again." : "Disabled: no events are delivered until it is enabled." };
  } catch (err) {
    return actionError(err);
  }
}

export async function rotateWebhookSecretAction(id: string, _prev: ActionState<{ secret: string }>, _form: FormData): Promise<ActionState<{ secret: string }>> {
  try {
    const { secret } = await rotateWebhookSecret({ actor: await getSessionActor(), id });
    refresh(id);
    return { status: "ok", message: "The secret was replaced.", data: { secret } };
  } catch (err) {
    return actionError(err);
  }
}

export async function deleteWebhookAction(id: string, _prev: ActionState, _form: FormData): Promise<ActionState> {
  try {
    await deleteWebhook({ actor: await getSessionActor(), id });
    revalidatePath("/admin/webhooks");
  } catch (err) {
    return actionError(err);
  }
  redirect("/admin/webhooks?deleted=1");
}

export async function sendTestWebhookAction(id: string, _prev: ActionState, _form: FormData): Promise<ActionState> {
  try {
    const d = await sendTestWebhook({ actor: await getSessionActor(), id });
    refresh(id);
    return { status: "ok", message: `Test event queued (delivery ${d.id}); the log below shows how it went.` };
  } catch (err) {
    return actionError(err);
  }
}

export async function redeliverWebhookAction(id: string, deliveryId: string, _prev: ActionState, _form: FormData): Promise<ActionState> {
  try {
    await redeliverWebhook({ actor: await getSessionActor(), id, deliveryId });
    refresh(id);
    return { status: "ok", message: "Queued again." };
  } catch (err) {
    return actionError(err);
  }
}
