"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { actionError, type ActionState } from "@/lib/api/action-state";
import { formObject } from "@/lib/api/form";
import { getSessionActor } from "@/lib/auth/actor";
import { decidePromotion } from "@/lib/promotions/decide";
import { cancelPromotion, requestPromotion, resubmitPromotion } from "@/lib/promotions/request";
import { reviewEmergencyPromotion } from "@/lib/promotions/rollback";
import type { PromotionView } from "@/lib/promotions/views";

// Thin wrappers: every rule (permissions, separation of duties, comment quality, signatures) is in lib/promotions.

export async function requestPromotionAction(model: string, version: number, _prev: ActionState, form: FormData): Promise<ActionState> {
  let id: string;
  try {
    const f = formObject(form);
    const r = await requestPromotion({ actor: await getSessionActor(), input: { model, version, stage: f.stage ?? "", justification: f.justification ?? "", emergency: f.emergency === "on" } });
    id = r.id;
  } catch (err) {
    return actionError(err);
  }
  redirect(`/promotions/${id}`);
}

function done(view: PromotionView, message: string): ActionState {
  revalidatePath(`/promotions/${view.id}`);
  revalidatePath("/approvals");
  return { status: "ok", message };
}

export async function decideAction(id: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    const f = formObject(form);
    const view = await decidePromotion({ actor: await getSessionActor(), id, input: { decision: (f.decision ?? "") as "approve", comment: f.comment ?? "", password: f.password } });
    return done(view, `Decision recorded. The request is now ${view.statusLabel.toLowerCase()}${view.status === "applied" ? `: ${view.move.sentence}` : ""}.`);
  } catch (err) {
    return actionError(err);
  }
}

export async function cancelAction(id: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    return done(await cancelPromotion({ actor: await getSessionActor(), id, input: { comment: formObject(form).comment ?? "" } }), "The request is cancelled.");
  } catch (err) {
    return actionError(err);
  }
}

export async function resubmitAction(id: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    const view = await resubmitPromotion({ actor: await getSessionActor(), id, input: { comment: formObject(form).comment ?? "" } });
    return done(view, `Resubmitted. The request is now ${view.statusLabel.toLowerCase()}.`);
  } catch (err) {
    return actionError(err);
  }
}

export async function reviewAction(id: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    return done(await reviewEmergencyPromotion({ actor: await getSessionActor(), id, input: { comment: formObject(form).comment ?? "" } }), "Review recorded.");
  } catch (err) {
    return actionError(err);
  }
}
