"use server";

import { revalidatePath } from "next/cache";
import { actionError, type ActionState } from "@/lib/api/action-state";
import { formObject } from "@/lib/api/form";
import { getSessionActor } from "@/lib/auth/actor";
import { ZCreateTeamInput } from "@/lib/auth/schemas";
import { createTeam } from "@/lib/auth/teams";

export async function createTeamAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    const team = await createTeam({ actor: await getSessionActor(), input: ZCreateTeamInput.parse(formObject(form)) });
    revalidatePath("/admin/teams");
    return { status: "ok", message: `Created team ${team.slug}.` };
  } catch (err) {
    return actionError(err);
  }
}
