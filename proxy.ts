import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { sessionCookiePolicy } from "@/lib/security/cookies";
import { pageHeaders } from "@/lib/security/headers";
import { isPublicPage } from "@/lib/security/public-routes";

/**
 * Runs before every page. It gives each response its Content-Security-Policy with a fresh nonce (Next.js reads
 * the nonce from the request's CSP header and puts it on its own scripts; the layout hands `x-nonce` to ours) and
 * HSTS over https, and sends signed-out browsers to the sign-in page. It is not an authorization layer: every page,
 * action and route handler checks permissions itself, against roles read from the database.
 */
export async function proxy(request: NextRequest) {
  const e = env();
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  // NODE_ENV is fixed by `next build` / `next dev`, not a setting: development alone needs eval for React's tooling.
  const headers = pageHeaders({ nonce, publicUrl: e.NEXTAUTH_URL, dev: process.env.NODE_ENV === "development" });
  const withHeaders = (response: NextResponse) => {
    for (const h of headers) response.headers.set(h.key, h.value);
    return response;
  };

  const { pathname, search } = request.nextUrl;
  if (!isPublicPage(pathname)) {
    const token = await getToken({ req: request, secret: e.NEXTAUTH_SECRET, cookieName: sessionCookiePolicy(e.NEXTAUTH_URL).name });
    if (!token) {
      const url = request.nextUrl.clone();
      url.pathname = "/signin";
      url.search = "";
      const back = pathname + search;
      if (back !== "/") url.searchParams.set("callbackUrl", back);
      return withHeaders(NextResponse.redirect(url));
    }
  }

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  for (const h of headers) if (h.key === "Content-Security-Policy") requestHeaders.set(h.key, h.value);
  return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }));
}

export const config = {
  // Every page, the sign-in and invitation pages included. Not the API (route handlers answer 401 themselves; its
  // headers come from next.config.ts) nor Next's own files and the icons at the root. Only root-level files are
  // exempt: a model may be named "x.png", and /models/x.png is a page like any other.
  matcher: ["/((?!api/|_next/|favicon\\.ico$|[^/]+\\.(?:png|svg|ico|txt)$).*)"],
};
