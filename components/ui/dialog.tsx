"use client";

import { useId, useRef, type ReactNode } from "react";
import { Button } from "./button";

/**
 * A button that opens a modal dialog (the native <dialog>: focus moves in and is kept there, Escape closes it,
 * focus returns to the button). `children` gets a `close` function for after a successful submission.
 */
export function DialogButton({ label, title, variant = "secondary", children }: { label: string; title: string; variant?: "primary" | "secondary" | "danger" | "ghost"; children: (close: () => void) => ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const close = () => ref.current?.close();
  return (
    <>
      <Button type="button" variant={variant} onClick={() => ref.current?.showModal()} aria-haspopup="dialog">
        {label}
      </Button>
      <dialog
        ref={ref}
        aria-labelledby={`${id}-title`}
        className="m-auto w-full max-w-xl rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-950/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
      >
        <div className="p-5">
          <div className="mb-3 flex items-start justify-between gap-4">
            <h2 id={`${id}-title`} className="text-lg font-semibold">
              {title}
            </h2>
            <Button type="button" variant="ghost" className="px-2 py-1" onClick={close} aria-label="Close">
              ✕
            </Button>
          </div>
          {children(close)}
        </div>
      </dialog>
    </>
  );
}
