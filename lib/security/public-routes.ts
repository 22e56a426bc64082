/**
 * Everything Gatehouse answers without a session or an API token, each with the reason it may. This is the one list:
 * proxy.ts lets signed-out browsers reach these pages, and e2e/api/unauthenticated.spec.ts enumerates every page,
 * route handler and server action in the build and fails on any that is reachable without credentials and not named
 * here. docs/security.md publishes it. Adding an entry is a security decision: say why in the reason.
 */

export type PublicRoute = { route: string; kind: "page" | "api"; reason: string };

/** Routes as their folders under app/ name them (dynamic segments in brackets). */
export const PUBLIC_ROUTES: readonly PublicRoute[] = [
  { route: "/signin", kind: "page", reason: "Where signed-out browsers are sent; it shows the sign-in form and nothing else." },
  { route: "/invite/[token]", kind: "page", reason: "An invited user has no password yet: the unguessable, single-use, 7-day link is the credential." },
  { route: "/api/auth/[...nextauth]", kind: "api", reason: "next-auth's own endpoints: CSRF token, providers, the sign-in callbacks and the (empty when signed out) session." },
  { route: "/api/v1/health", kind: "api", reason: "Load balancers and probes call it without credentials; it reports up/down, migration state and the version only." },
  { route: "/api/v1/openapi.json", kind: "api", reason: "The API's description, built from the same schemas as the handlers; no data." },
];

/** Server actions that run without a session, by the file that defines them and their exported name. */
export const PUBLIC_ACTIONS: readonly { file: string; name: string; reason: string }[] = [
  { file: "app/signin/actions.ts", name: "signOutAction", reason: "The header's sign-out button is on every page; without a session it only clears cookies and sends the browser to /signin." },
  { file: "app/invite/[token]/actions.ts", name: "acceptInvitationAction", reason: "Sets the invited user's first password; refused unless its token is a live invitation's." },
];

/** A route pattern as a regular expression over URL paths: `[x]` is one segment, `[...x]` one or more, `[[...x]]` any. */
export function routeRegExp(route: string): RegExp {
  const source = route
    .split("/")
    .filter(Boolean)
    .map((segment) => {
      if (/^\[\[\.\.\..+\]\]$/.test(segment)) return "(?:/.*)?";
      if (/^\[\.\.\..+\]$/.test(segment)) return "/.+";
      if (/^\[.+\]$/.test(segment)) return "/[^/]+";
      return "/" + segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return new RegExp(`^${source || "/"}/?$`);
}

const PUBLIC_PAGES = PUBLIC_ROUTES.filter((r) => r.kind === "page").map((r) => routeRegExp(r.route));

/** Whether a signed-out browser may open this page (the proxy sends it to /signin otherwise). */
export function isPublicPage(pathname: string): boolean {
  return PUBLIC_PAGES.some((re) => re.test(pathname));
}
