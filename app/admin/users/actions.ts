"use server";

import { revalidatePath } from "next/cache";
import { actionError, type ActionState } from "@/lib/api/action-state";
import { formObject } from "@/lib/api/form";
import { getSessionActor } from "@/lib/auth/actor";
import { ZCreateUserInput, ZResetPasswordInput, ZRoleGrantInput } from "@/lib/auth/schemas";
import { createUser, grantRole, resetPassword, revokeRole, setUserActive } from "@/lib/auth/users";

export async function createUserAction(_prev: ActionState<{ id: string }>, form: FormData): Promise<ActionState<{ id: string }>> {
  try {
    const f = formObject(form);
    const input = ZCreateUserInput.parse({ ...f, roles: f.role ? [{ role: f.role, team: f.team ?? null }] : [] });
    const user = await createUser({ actor: await getSessionActor(), input });
    revalidatePath("/admin/users");
    return { status: "ok", message: `Created ${user.email}.`, data: { id: user.id } };
  } catch (err) {
    return actionError(err);
  }
}

export async function setUserActiveAction(id: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    const f = formObject(form);
    const active = f.active === "true";
    const user = await setUserActive({ actor: await getSessionActor(), id, input: { active, reason: f.reason } });
    revalidatePath(`/admin/users/${id}`);
    revalidatePath("/admin/users");
    return { status: "ok", message: user.active ? `${user.email} can sign in again.` : `${user.email} is deactivated and signed out everywhere.` };
  } catch (err) {
    return actionError(err);
  }
}

export async function resetPasswordAction(id: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    const input = ZResetPasswordInput.parse(formObject(form));
    const user = await resetPassword({ actor: await getSessionActor(), id, input });
    revalidatePath(`/admin/users/${id}`);
    return { status: "ok", message: `Password changed; ${user.email} is signed out everywhere.` };
  } catch (err) {
    return actionError(err);
  }
}

export async function grantRoleAction(id: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    const f = formObject(form);
    const input = ZRoleGrantInput.parse({ role: f.role, team: f.team ?? null });
    await grantRole({ actor: await getSessionActor(), id, input, reason: f.reason });
    revalidatePath(`/admin/users/${id}`);
    return { status: "ok", message: `Granted ${input.team ? `${input.role} of ${input.team}` : `${input.role} on all teams`}.` };
  } catch (err) {
    return actionError(err);
  }
}

export async function revokeRoleAction(id: string, grantId: string, _prev: ActionState, _form: FormData): Promise<ActionState> {
  try {
    await revokeRole({ actor: await getSessionActor(), id, grantId });
    revalidatePath(`/admin/users/${id}`);
    return { status: "ok", message: "Role revoked." };
  } catch (err) {
    return actionError(err);
  }
}
