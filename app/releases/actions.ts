"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { actionError, type ActionState } from "@/lib/api/action-state";
import { formObject } from "@/lib/api/form";
import { getSessionActor } from "@/lib/auth/actor";
import { cancelRelease, decideRelease, rollbackRelease } from "@/lib/releases/release";
import type { ReleaseView } from "@/lib/releases/views";

// Thin wrappers: every rule (who may decide on which member, signatures, all or nothing) is in lib/releases.

export type ReleaseDecisionResult = { decided: string[]; skipped: { member: string; reason: string }[]; status: string };

const label = (r: ReleaseView, n: number) => {
  const m = r.members.find((x) => x.number === n);
  return m ? `#${n} ${m.model} v${m.version}` : `#${n}`;
};
const list = (items: string[]) => (items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`);

/**
 * Stays in the dialog (the decision may apply the release, and then no one decides on it any more): the page behind
 * reloads with the outcome, the dialog says which members the decision was recorded on and which were skipped, and why.
 */
export async function decideReleaseAction(id: string, _prev: ActionState<ReleaseDecisionResult>, form: FormData): Promise<ActionState<ReleaseDecisionResult>> {
  try {
    const f = formObject(form);
    const r = await decideRelease({ actor: await getSessionActor(), id, input: { decision: (f.decision ?? "") as "approve", comment: f.comment ?? "", password: f.password } });
    revalidatePath("/releases/[id]", "page");
    revalidatePath("/approvals");
    const decided = r.decided.map((n) => label(r, n));
    return {
      status: "ok",
      message: `Your decision is recorded on ${list(decided)}. Release ${r.number} is ${r.statusLabel.toLowerCase()}.${r.statusReason ? ` ${r.statusReason}` : ""}`,
      data: { decided, skipped: r.skipped.map((s) => ({ member: label(r, s.number), reason: s.reason })), status: r.statusLabel },
    };
  } catch (err) {
    return actionError(err);
  }
}

/** After a cancel or a rollback the page reloads with a notice: the dialog that made it is no longer offered. */
function shown(view: ReleaseView, done: "cancelled" | "rolled-back"): never {
  revalidatePath("/approvals");
  redirect(`/releases/${view.number}?done=${done}`);
}

export async function cancelReleaseAction(id: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  let view: ReleaseView;
  try {
    view = await cancelRelease({ actor: await getSessionActor(), id, input: { comment: formObject(form).comment ?? "" } });
  } catch (err) {
    return actionError(err);
  }
  shown(view, "cancelled");
}

export async function rollbackReleaseAction(id: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  let view: ReleaseView;
  try {
    view = await rollbackRelease({ actor: await getSessionActor(), id, input: { comment: formObject(form).comment ?? "" } });
  } catch (err) {
    return actionError(err);
  }
  shown(view, "rolled-back");
}
