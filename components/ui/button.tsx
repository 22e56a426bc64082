"use client";

import type { ButtonHTMLAttributes } from "react";
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
  return (
    <Button type="submit" variant={variant} disabled={pending || props.disabled} aria-disabled={pending} {...props}>
      {pending ? (pendingLabel ?? "Working…") : children}
    </Button>
  );
}
