"use server";

import { revalidatePath } from "next/cache";
import { actionError, type ActionState } from "@/lib/api/action-state";
import { getSessionActor } from "@/lib/auth/actor";
import { updatePreferences } from "@/lib/notifications/preferences";
import { preferencesFromForm } from "@/lib/notifications/schemas";

export async function updateNotificationPreferencesAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    await updatePreferences({ actor: await getSessionActor(), input: preferencesFromForm(form) });
    revalidatePath("/settings/notifications");
    return { status: "ok", message: "Saved your notification settings." };
  } catch (err) {
    return actionError(err);
  }
}
