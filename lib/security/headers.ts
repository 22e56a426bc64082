/**
 * The security headers Gatehouse sends, as data. Pure and free of `server-only`: next.config.ts (static headers for
 * the API and static files), proxy.ts (pages, with a per-request nonce) and the tests all read them from here.
 * docs/security.md explains each one.
 */

export type Header = { key: string; value: string };

/** Two years, and every subdomain: the preload list's minimum, and long enough to outlast any visit gap. */
export const HSTS = "max-age=63072000; includeSubDomains";

/** Sent on every response Next.js makes: pages, route handlers, static files, redirects. */
export const BASE_HEADERS: readonly Header[] = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** JSON answers render nothing and may be framed by nothing; a browser opening one directly gets no script or style. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** True when the public URL users reach (NEXTAUTH_URL) is https: only then do HSTS and secure cookies apply. */
export function isHttps(publicUrl: string | undefined): boolean {
  return publicUrl !== undefined && URL.canParse(publicUrl) && new URL(publicUrl).protocol === "https:";
}

/**
 * The pages' Content-Security-Policy. Scripts run only with this response's nonce (Next.js puts it on its own
 * scripts; the theme script reads it from the `x-nonce` request header) or when loaded by such a script
 * ('strict-dynamic'), never inline without it. Styles keep 'unsafe-inline': React's `style` props, Recharts' SVG
 * attributes and Next.js's injected styles are all inline, and a nonce in style-src would switch 'unsafe-inline' off.
 */
export function pageCsp(opts: { nonce: string; https: boolean; dev?: boolean }): string {
  const directives = [
    "default-src 'self'",
    // React's development build evaluates code to rebuild server stacks; production never needs 'unsafe-eval'.
    `script-src 'self' 'nonce-${opts.nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    // Forms post to this origin only; single sign-on leaves by a script navigation, which form-action does not govern.
    "form-action 'self'",
    "frame-ancestors 'none'",
    // Over plain http (a laptop, the tests) upgrading would send the page's own requests to a port with no TLS.
    ...(opts.https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** What proxy.ts adds to a page response (BASE_HEADERS come from next.config.ts): the CSP, and HSTS over https. */
export function pageHeaders(opts: { nonce: string; publicUrl: string | undefined; dev?: boolean }): Header[] {
  const https = isHttps(opts.publicUrl);
  return [
    { key: "Content-Security-Policy", value: pageCsp({ nonce: opts.nonce, https, dev: opts.dev }) },
    ...(https ? [{ key: "Strict-Transport-Security", value: HSTS }] : []),
  ];
}
