"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { signOutUser } from "@/lib/auth/sign-in";
import { getSessionActor } from "@/lib/auth/actor";
import { env } from "@/lib/env";
import { sessionCookiePolicy } from "@/lib/security/cookies";

/**
 * Signs out by clearing next-auth's session cookies (sessions are stateless JWTs). A server action, so the
 * header's sign-out button works even before the page's JavaScript has loaded.
 */
export async function signOutAction(): Promise<void> {
  const actor = await getSessionActor();
  if (actor) await signOutUser(actor);
  const jar = await cookies();
  for (const c of jar.getAll()) {
    // Deleted with the flags it was set with: a browser ignores a `__Secure-` cookie set without Secure.
    if (/^(__Secure-)?next-auth\.session-token(\.\d+)?$/.test(c.name)) jar.delete({ name: c.name, ...sessionCookiePolicy(env().NEXTAUTH_URL).options });
  }
  redirect("/signin?signedOut=1");
}
