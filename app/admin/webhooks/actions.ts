"use server";

import { revalidatePath } from "next/cache";
import { actionError, type ActionState } from "@/lib/api/action-state";
import { formObject } from "@/lib/api/form";
import { getSessionActor } from "@/lib/auth/actor";
import { createWebhook } from "@/lib/webhooks/endpoints";
import { ZCreateWebhookInput } from "@/lib/webhooks/schemas";

export type CreatedWebhook = { id: string; url: string; secret: string };

export async function createWebhookAction(_prev: ActionState<CreatedWebhook>, form: FormData): Promise<ActionState<CreatedWebhook>> {
  try {
    const f = formObject(form);
    const input = ZCreateWebhookInput.parse({ url: f.url, description: f.description, events: form.getAll("events").map(String), enabled: f.enabled !== "false" });
    const { webhook, secret } = await createWebhook({ actor: await getSessionActor(), input });
    revalidatePath("/admin/webhooks");
    return { status: "ok", message: `Registered ${webhook.url}.`, data: { id: webhook.id, url: webhook.url, secret } };
  } catch (err) {
    return actionError(err);
  }
}
