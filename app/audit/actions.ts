"use server";

import { revalidatePath } from "next/cache";
import { actionError, type ActionState } from "@/lib/api/action-state";
import { getSessionActor } from "@/lib/auth/actor";
import { verifyAndRecord } from "@/lib/audit/verifications";

export async function verifyChainAction(_prev: ActionState, _form: FormData): Promise<ActionState> {
  try {
    const v = await verifyAndRecord({ actor: await getSessionActor() });
    revalidatePath("/audit");
    return v.ok ? { status: "ok", message: `The chain verifies: ${v.checked.toLocaleString("en-GB")} events checked.` } : { status: "error", message: `The chain is broken at event ${v.firstBrokenId}: it or an event before it was altered or removed.`, fieldErrors: {} };
  } catch (err) {
    return actionError(err);
  }
}
