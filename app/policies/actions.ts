"use server";

import { revalidatePath } from "next/cache";
import { actionError } from "@/lib/api/action-state";
import { AppError } from "@/lib/api/errors";
import { getSessionActor } from "@/lib/auth/actor";
import type { PolicyError } from "@/lib/policy/parse";
import { putDefaultPolicy, putModelPolicy, validatePolicy } from "@/lib/policy/policies";

/** What the policy editor gets back: a message, and every problem with its line and column. */
export type PolicyActionResult = { status: "ok"; message: string; version?: number } | { status: "error"; message: string; errors: PolicyError[]; fieldErrors: Record<string, string> };

function failure(err: unknown): PolicyActionResult {
  if (err instanceof AppError && err.status === 422) {
    const errors = (err.details ?? []).map((d) => ({ path: d.path, line: d.line ?? 1, column: d.column ?? 1, message: d.message }));
    return { status: "error", message: `The policy has ${errors.length} problem${errors.length === 1 ? "" : "s"}; fix ${errors.length === 1 ? "it" : "them"} before saving.`, errors, fieldErrors: {} };
  }
  const state = actionError(err);
  return state.status === "error" ? { status: "error", message: state.message, errors: [], fieldErrors: state.fieldErrors } : { status: "error", message: "Something went wrong", errors: [], fieldErrors: {} };
}

/** model: null for the organisation default. */
export async function checkPolicyAction(model: string | null, document: string): Promise<PolicyActionResult> {
  try {
    await validatePolicy({ actor: await getSessionActor(), input: { document, model: model ?? undefined } });
    return { status: "ok", message: "No problems found." };
  } catch (err) {
    return failure(err);
  }
}

export async function savePolicyAction(model: string | null, input: { document: string; comment: string; expectedVersion: number }): Promise<PolicyActionResult> {
  try {
    const actor = await getSessionActor();
    const saved = model ? await putModelPolicy({ actor, model, input }) : await putDefaultPolicy({ actor, input });
    revalidatePath(model ? `/models/${model}/policy` : "/policies");
    return { status: "ok", message: saved.version === input.expectedVersion ? "Nothing changed: the policy is already this text." : `Saved as version ${saved.version}.`, version: saved.version };
  } catch (err) {
    return failure(err);
  }
}
