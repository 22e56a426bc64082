"use server";

import { revalidatePath } from "next/cache";
import { actionError, type ActionState } from "@/lib/api/action-state";
import { getSessionActor } from "@/lib/auth/actor";
import { markRead } from "@/lib/notifications/inbox";

export async function markAllReadAction(_prev: ActionState, _form: FormData): Promise<ActionState> {
  try {
    const { marked } = await markRead({ actor: await getSessionActor(), input: { all: true } });
    revalidatePath("/notifications");
    return { status: "ok", message: marked === 0 ? "Nothing was unread." : `Marked ${marked} notification${marked === 1 ? "" : "s"} as read.` };
  } catch (err) {
    return actionError(err);
  }
}

export async function markNotificationReadAction(id: string, _prev: ActionState, _form: FormData): Promise<ActionState> {
  try {
    await markRead({ actor: await getSessionActor(), input: { ids: [id] } });
    revalidatePath("/notifications");
    return { status: "ok", message: "Marked as read." };
  } catch (err) {
    return actionError(err);
  }
}
