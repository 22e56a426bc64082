"use server";

import { revalidatePath } from "next/cache";
import { actionError, type ActionState } from "@/lib/api/action-state";
import { formObject } from "@/lib/api/form";
import { getSessionActor } from "@/lib/auth/actor";
import { reissueInvitation } from "@/lib/auth/invitations";
import { ZCreateUserInput, ZResetPasswordInput, ZRoleGrantInput } from "@/lib/auth/schemas";
import { createUser, grantRole, resetPassword, revokeRole, setUserActive } from "@/lib/auth/users";

type Created = { id: string; email: string; invitationPath: string | null };

export async function createUserAction(_prev: ActionState<Created>, form: FormData): Promise<ActionState<Created>> {
  try {
    const f = formObject(form);
    const input = ZCreateUserInput.parse({ ...f, roles: f.role ? [{ role: f.role, team: f.team ?? null }] : [] });
    const user = await createUser({ actor: await getSessionActor(), input });
    revalidatePath("/admin/users");
    const message = user.invitation ? `Invited ${user.email}.` : `Created ${user.email}.`;
    return { status: "ok", message, data: { id: user.id, email: user.email, invitationPath: user.invitation?.path ?? null } };
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
    const input = ZRoleGrantInput.parse({ role: f.role, team: f.team ?? null, reason: f.reason });
    await grantRole({ actor: await getSessionActor(), id, input });
    revalidatePath(`/admin/users/${id}`);
    return { status: "ok", message: `Granted ${input.team ? `${input.role} of ${input.team}` : `${input.role} on all teams`}.` };
  } catch (err) {
    return actionError(err);
  }
}

export async function reissueInvitationAction(id: string, _prev: ActionState<{ path: string }>, _form: FormData): Promise<ActionState<{ path: string }>> {
  try {
    const invitation = await reissueInvitation({ actor: await getSessionActor(), id });
    return { status: "ok", message: "New invitation link created; the previous one no longer works.", data: { path: invitation.path } };
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
