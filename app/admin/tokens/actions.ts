"use server";

import { revalidatePath } from "next/cache";
import { actionError, type ActionState } from "@/lib/api/action-state";
import { formObject } from "@/lib/api/form";
import { getSessionActor } from "@/lib/auth/actor";
import { ZCreateTokenInput } from "@/lib/auth/schemas";
import { createToken, revokeToken } from "@/lib/auth/tokens";

export async function createTokenAction(_prev: ActionState<{ secret: string; name: string }>, form: FormData): Promise<ActionState<{ secret: string; name: string }>> {
  try {
    const f = formObject(form);
    const input = ZCreateTokenInput.parse({ ...f, scopes: form.getAll("scopes").map(String) });
    const { token, secret } = await createToken({ actor: await getSessionActor(), input });
    revalidatePath("/admin/tokens");
    return { status: "ok", message: `Created token ${token.name}.`, data: { secret, name: token.name } };
  } catch (err) {
    return actionError(err);
  }
}

export async function revokeTokenAction(id: string, _prev: ActionState, _form: FormData): Promise<ActionState> {
  try {
    const token = await revokeToken({ actor: await getSessionActor(), id });
    revalidatePath("/admin/tokens");
    return { status: "ok", message: `Revoked ${token.name}.` };
  } catch (err) {
    return actionError(err);
  }
}
