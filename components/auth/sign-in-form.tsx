"use client";

import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/layout";
import { SubmitButton } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { buttonStyles } from "@/components/ui/styles";
import { lockoutMessage } from "@/lib/ratelimit/sign-in-message";

/**
 * Only paths on this site are followed after sign-in, so a crafted link cannot bounce a user elsewhere
 * (browsers read "/\\evil.com" and "/\t/evil.com" as another host, hence resolving rather than string checks).
 */
function safeCallback(url: string | undefined): string {
  if (!url) return "/";
  try {
    const target = new URL(url, window.location.origin);
    return target.origin === window.location.origin ? `${target.pathname}${target.search}${target.hash}` : "/";
  } catch {
    return "/";
  }
}

export function SignInForm({ callbackUrl, oidcName, notice, initialError }: { callbackUrl?: string; oidcName: string | null; notice?: string; initialError?: string }) {
  const [error, setError] = useState<string | null>(initialError ?? null);
  const [fieldErrors, setFieldErrors] = useState<{ email?: string; password?: string }>({});
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    const errs = { email: email ? undefined : "Enter your email", password: password ? undefined : "Enter your password" };
    setFieldErrors(errs);
    setError(null);
    if (errs.email || errs.password) return;
    setPending(true);
    const res = await signIn("credentials", { email, password, redirect: false });
    if (!res || res.error) {
      setPending(false);
      // A lockout is refused with 401 too: its code says so, and for how long.
      setError(lockoutMessage(res?.error) ?? (res?.status === 401 || res?.error === "CredentialsSignin" ? "That email and password do not match an active account." : res?.error === "DatabaseUnavailable" ? "Gatehouse cannot reach its database right now; try again in a moment." : "Sign-in failed; try again."));
      return;
    }
    // A full navigation, so the whole shell (header, roles) renders for the signed-in user from the server.
    window.location.assign(safeCallback(callbackUrl));
  }

  return (
    <div className="space-y-5">
      {notice && <Alert tone="success">{notice}</Alert>}
      {error && <Alert tone="error">{error}</Alert>}
      <form method="post" onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Sign in with email and password">
        <TextField label="Email" name="email" type="email" autoComplete="username" autoFocus required error={fieldErrors.email} />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" required error={fieldErrors.password} />
        <SubmitButton className="w-full" pending={pending} pendingLabel="Signing in…">
          Sign in
        </SubmitButton>
      </form>
      {oidcName && (
        <>
          <div className="flex items-center gap-3 text-xs text-slate-600 dark:text-slate-400">
            <span className="h-px flex-1 bg-slate-200 dark:bg-slate-700" /> or <span className="h-px flex-1 bg-slate-200 dark:bg-slate-700" />
          </div>
          <button type="button" className={`${buttonStyles.base} ${buttonStyles.secondary} w-full`} onClick={() => void signIn("oidc", { callbackUrl: safeCallback(callbackUrl) })}>
            Continue with {oidcName}
          </button>
        </>
      )}
    </div>
  );
}
