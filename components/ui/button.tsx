"use client";

import type { ButtonHTMLAttributes } from "react";
import { useHydrated } from "./use-hydrated";
import { buttonStyles } from "./styles";

type Variant = "primary" | "secondary" | "danger" | "ghost";

export function Button({ variant = "primary", className = "", ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }) {
  return <button {...props} className={`${buttonStyles.base} ${buttonStyles[variant]} ${className}`} />;
}

/** A form's submit button: disabled and labelled as working while the form is being sent. */
export function SubmitButton({
  children,
  pending,
  pendingLabel,
  variant = "primary",
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; pending: boolean; pendingLabel?: string }) {
  const hydrated = useHydrated();
  return (
    <Button type="submit" variant={variant} {...props} disabled={pending || !hydrated || props.disabled} aria-disabled={pending}>
      {pending ? (pendingLabel ?? "Working…") : children}
    </Button>
  );
}
