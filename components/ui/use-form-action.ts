"use client";

import { startTransition, useActionState, useEffect, useRef, type FormEvent } from "react";
import type { ActionState } from "@/lib/api/action-state";

/**
 * Submits a form to a server action without React's automatic form reset, so a refused submission keeps what
 * the user typed next to the inline errors; the form is cleared only after it succeeded.
 */
export function useFormAction<T>(action: (prev: ActionState<T>, form: FormData) => Promise<ActionState<T>>) {
  const [state, dispatch, pending] = useActionState(action, { status: "idle" } as ActionState<T>);
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.status === "ok") ref.current?.reset();
  }, [state]);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    startTransition(() => dispatch(data));
  };
  return { state, pending, onSubmit, ref };
}
