"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";
import { buttonStyles } from "@/components/ui/styles";

export function SignOutButton() {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signOut({ callbackUrl: "/signin?signedOut=1" });
      }}
      className={`${buttonStyles.base} ${buttonStyles.secondary} py-1.5`}
    >
      {pending ? "Signing out…" : "Sign out"}
    </button>
  );
}
