import type { ActionState } from "@/lib/api/action-state";
import { Alert } from "./layout";

/** The outcome of a form submission, announced to screen readers. */
export function FormMessage({ state }: { state: ActionState<unknown> }) {
  if (state.status === "idle") return null;
  return <Alert tone={state.status === "ok" ? "success" : "error"}>{state.message}</Alert>;
}

export function fieldError(state: ActionState<unknown>, name: string): string | undefined {
  return state.status === "error" ? state.fieldErrors[name] : undefined;
}
