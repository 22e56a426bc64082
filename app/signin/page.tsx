import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { Card } from "@/components/ui/layout";
import { getSessionActor } from "@/lib/auth/actor";
import { env } from "@/lib/env";
import { lockoutMessage } from "@/lib/ratelimit/sign-in-message";

export const metadata: Metadata = { title: "Sign in" };

const ERRORS: Record<string, string> = {
  OAuthSignin: "The single sign-on provider could not be reached.",
  OAuthCallback: "The single sign-on provider's answer could not be checked.",
  AccessDenied: "Your account is deactivated or has no email address. Ask a Gatehouse admin.",
  SessionRequired: "Sign in to continue.",
  DatabaseUnavailable: "Gatehouse cannot reach its database right now; try again in a moment.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // A repeated query parameter arrives as an array; the first one counts.
  const params = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  if (await getSessionActor().catch(() => null)) redirect("/");
  const e = env();
  const notice = params.signedOut ? "You have signed out." : params.invited ? "Your password is set. Sign in with your email and new password." : undefined;
  const error = params.error ? (lockoutMessage(params.error) ?? ERRORS[params.error] ?? "Sign-in failed; try again.") : undefined;
  return (
    <div className="mx-auto max-w-md pt-6">
      <h1 className="mb-2 text-2xl font-semibold tracking-tight">Sign in to Gatehouse</h1>
      <p className="mb-6 text-sm text-slate-700 dark:text-slate-300">Model promotions, approvals and their audit trail.</p>
      <Card>
        <SignInForm callbackUrl={params.callbackUrl} oidcName={e.oidcEnabled ? e.OIDC_DISPLAY_NAME : null} notice={notice} initialError={error} />
      </Card>
    </div>
  );
}
