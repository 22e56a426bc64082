import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";

/**
 * Only sends signed-out browsers to the sign-in page. It is not an authorization layer: every page, action
 * and route handler checks permissions itself, against roles read from the database.
 */
export async function proxy(request: NextRequest) {
  const token = await getToken({ req: request, secret: env().NEXTAUTH_SECRET });
  if (token) return NextResponse.next();
  const url = request.nextUrl.clone();
  url.pathname = "/signin";
  url.search = "";
  const back = request.nextUrl.pathname + request.nextUrl.search;
  if (back !== "/") url.searchParams.set("callbackUrl", back);
  return NextResponse.redirect(url);
}

export const config = {
  // Everything but the API (which answers 401 itself), the sign-in and invitation pages and static files.
  matcher: ["/((?!api/|signin|invite/|_next/|favicon\\.ico|.*\\.(?:png|svg|ico|txt)$).*)"],
};
