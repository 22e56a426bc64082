"use server";

import { actionError, type ActionState } from "@/lib/api/action-state";
import { formObject } from "@/lib/api/form";
import { acceptInvitation } from "@/lib/auth/invitations";
import { ZAcceptInvitationInput } from "@/lib/auth/schemas";

// Public by design: the unguessable link is the credential; it works once, for a limited time.
export async function acceptInvitationAction(token: string, _prev: ActionState<{ email: string }>, form: FormData): Promise<ActionState<{ email: string }>> {
  try {
    const { email } = await acceptInvitation({ token, input: ZAcceptInvitationInput.parse(formObject(form)) });
    return { status: "ok", message: "Your password is set.", data: { email } };
  } catch (err) {
    return actionError(err);
  }
}
