import { isHttps } from "./headers";

/**
 * How the session cookie is set, decided from the public URL (NEXTAUTH_URL). Always httpOnly, so scripts never
 * read the session; sameSite=lax, because the single sign-on provider sends the browser back to us with a top-level
 * cross-site redirect that must carry the cookies next-auth set before leaving (strict would drop them); secure
 * over https, with the `__Secure-` prefix, so a browser never sends or accepts it over plain http.
 */
export type SessionCookiePolicy = {
  secure: boolean;
  name: string;
  options: { httpOnly: true; sameSite: "lax"; path: "/"; secure: boolean };
};

export function sessionCookiePolicy(publicUrl: string | undefined): SessionCookiePolicy {
  const secure = isHttps(publicUrl);
  return {
    secure,
    // next-auth's own names: its client and `getToken` find the cookie without being told.
    name: `${secure ? "__Secure-" : ""}next-auth.session-token`,
    options: { httpOnly: true, sameSite: "lax", path: "/", secure },
  };
}
