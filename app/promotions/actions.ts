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

/** After a change the request page reloads with a notice: the dialog that made it may no longer be offered. */
function shown(view: PromotionView, done: "decided" | "cancelled" | "resubmitted" | "reviewed"): never {
  revalidatePath("/approvals");
  redirect(`/promotions/${view.id}?done=${done}`);
}

export async function decideAction(id: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  let view: PromotionView;
  try {
    const f = formObject(form);
    view = await decidePromotion({ actor: await getSessionActor(), id, input: { decision: (f.decision ?? "") as "approve", comment: f.comment ?? "", password: f.password } });
  } catch (err) {
    return actionError(err);
  }
  shown(view, "decided");
}

export async function cancelAction(id: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  let view: PromotionView;
  try {
    view = await cancelPromotion({ actor: await getSessionActor(), id, input: { comment: formObject(form).comment ?? "" } });
  } catch (err) {
    return actionError(err);
  }
  shown(view, "cancelled");
}

export async function resubmitAction(id: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  let view: PromotionView;
  try {
    view = await resubmitPromotion({ actor: await getSessionActor(), id, input: { comment: formObject(form).comment ?? "" } });
  } catch (err) {
    return actionError(err);
  }
  shown(view, "resubmitted");
}

export async function reviewAction(id: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  let view: PromotionView;
  try {
    view = await reviewEmergencyPromotion({ actor: await getSessionActor(), id, input: { comment: formObject(form).comment ?? "" } });
  } catch (err) {
    return actionError(err);
  }
  shown(view, "reviewed");
}
