"use client";

import { useFormStatus } from "react-dom";
import { signOutAction } from "@/app/signin/actions";
import { buttonStyles } from "@/components/ui/styles";

function Submit() {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending} className={`${buttonStyles.base} ${buttonStyles.secondary} py-1.5`}>
      {pending ? "Signing out…" : "Sign out"}
    </button>
  );
}

export function SignOutButton() {
  return (
    <form action={signOutAction}>
      <Submit />
    </form>
  );
}
