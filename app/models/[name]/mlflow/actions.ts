"use server";

import { revalidatePath } from "next/cache";
import { actionError, type ActionState } from "@/lib/api/action-state";
import { formObject } from "@/lib/api/form";
import { getSessionActor } from "@/lib/auth/actor";
import { importNow, pushAliases, removeConnector, saveConnector } from "@/lib/mlflow/connector";

function refresh(model: string) {
  revalidatePath(`/models/${model}`);
  revalidatePath(`/models/${model}/mlflow`);
}

export async function saveConnectorAction(model: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    const f = formObject(form);
    // An empty token field keeps the stored token; the checkbox removes it.
    const token = form.get("removeToken") === "on" ? null : f.token ? f.token : undefined;
    await saveConnector({
      actor: await getSessionActor(),
      model,
      input: { trackingUri: f.trackingUri ?? "", mlflowName: f.mlflowName || undefined, token, intervalMinutes: (f.intervalMinutes ?? "") as unknown as number, enabled: form.get("enabled") === "on", reason: f.reason },
    });
    refresh(model);
    return { status: "ok", message: "Saved. Gatehouse imports from MLflow within a minute, and at every interval after." };
  } catch (err) {
    return actionError(err);
  }
}

export async function removeConnectorAction(model: string, _prev: ActionState, form: FormData): Promise<ActionState> {
  try {
    await removeConnector({ actor: await getSessionActor(), model, reason: formObject(form).reason });
    refresh(model);
    return { status: "ok", message: "Disconnected from MLflow. Imported versions and aliases stay." };
  } catch (err) {
    return actionError(err);
  }
}

export async function importNowAction(model: string): Promise<ActionState> {
  try {
    const r = await importNow({ actor: await getSessionActor(), model });
    refresh(model);
    return r.status === "ok" ? { status: "ok", message: r.message } : { status: "error", message: r.message, fieldErrors: {} };
  } catch (err) {
    return actionError(err);
  }
}

export async function pushAliasesAction(model: string): Promise<ActionState> {
  try {
    const r = await pushAliases({ actor: await getSessionActor(), model });
    refresh(model);
    const kept = r.kept.length ? ` Kept ${r.kept.map((a) => `@${a}`).join(", ")} (protected; Gatehouse does not delete ${r.kept.length > 1 ? "them" : "it"} in MLflow).` : "";
    return { status: "ok", message: `Queued for MLflow: ${r.queued.map((a) => `@${a}`).join(", ")}.${kept} The next import checks that MLflow follows.` };
  } catch (err) {
    return actionError(err);
  }
}
