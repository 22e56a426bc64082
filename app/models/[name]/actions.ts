"use server";

import { revalidatePath } from "next/cache";
import { actionError, type ActionState } from "@/lib/api/action-state";
import { formObject } from "@/lib/api/form";
import { getSessionActor } from "@/lib/auth/actor";
import { rollbackAlias } from "@/lib/promotions/rollback";
import { deleteAlias, setAlias } from "@/lib/registry/aliases";

export async function setAliasAction(model: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    const f = formObject(form);
    const view = await setAlias({ actor: await getSessionActor(), model, alias: f.alias ?? "", input: { version: f.version ? Number(f.version) : undefined, reason: f.reason } });
    revalidatePath(`/models/${model}`);
    return { status: "ok", message: `@${view.alias} now points at version ${view.version}.` };
  } catch (err) {
    return actionError(err);
  }
}

export async function deleteAliasAction(model: string, alias: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    await deleteAlias({ actor: await getSessionActor(), model, alias, reason: formObject(form).reason });
    revalidatePath(`/models/${model}`);
    return { status: "ok", message: `@${alias} deleted.` };
  } catch (err) {
    return actionError(err);
  }
}

export async function rollbackAliasAction(model: string, alias: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    const f = formObject(form);
    const result = await rollbackAlias({ actor: await getSessionActor(), model, alias, input: { comment: f.comment ?? "", toVersion: f.toVersion ? Number(f.toVersion) : undefined } });
    revalidatePath(`/models/${model}`);
    return { status: "ok", message: `${model}@${alias} rolled back from v${result.from} to v${result.to}.` };
  } catch (err) {
    return actionError(err);
  }
}
