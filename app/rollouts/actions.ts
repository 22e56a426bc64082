"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { actionError, type ActionState } from "@/lib/api/action-state";
import { formObject } from "@/lib/api/form";
import { getSessionActor } from "@/lib/auth/actor";
import { controlRollout, decideCheckpoint } from "@/lib/rollouts/control";
import { updateIncident } from "@/lib/rollouts/incidents";

// Thin wrappers: every rule (who may, comments, checkpoints, separation of duties) is in lib/rollouts.

type Control = "pause" | "resume" | "advance" | "abort";

export async function controlRolloutAction(id: string, action: Control, _prev: ActionState, form: FormData): Promise<ActionState> {
  let number: number;
  try {
    number = (await controlRollout({ actor: await getSessionActor(), id, action, input: { comment: formObject(form).comment ?? "" } })).number;
  } catch (err) {
    return actionError(err);
  }
  revalidatePath("/");
  redirect(`/rollouts/${number}?done=${action}`);
}

export async function checkpointAction(id: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  let number: number;
  try {
    const f = formObject(form);
    number = (await decideCheckpoint({ actor: await getSessionActor(), id, input: { decision: (f.decision ?? "") as "approve", comment: f.comment ?? "", password: f.password } })).number;
  } catch (err) {
    return actionError(err);
  }
  redirect(`/rollouts/${number}?done=checkpoint`);
}

export async function incidentAction(id: string, action: "acknowledge" | "resolve", _prev: ActionState, form: FormData): Promise<ActionState> {
  let number: number;
  try {
    number = (await updateIncident({ actor: await getSessionActor(), id, action, input: { comment: formObject(form).comment ?? "" } })).number;
  } catch (err) {
    return actionError(err);
  }
  redirect(`/incidents/${number}?done=${action}`);
}
