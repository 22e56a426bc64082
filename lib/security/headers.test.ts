import { describe, expect, it } from "vitest";
import { API_CSP, BASE_HEADERS, HSTS, isHttps, pageCsp, pageHeaders } from "./headers";

/** A CSP header as a map from directive to its sources. */
function directives(csp: string): Record<string, string[]> {
  return Object.fromEntries(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name, sources]),
  );
}

describe("isHttps", () => {
  it.each<[string | undefined, boolean]>([
    ["https://gatehouse.example.com", true],
    ["https://gatehouse.example.com:8443/base", true],
    ["HTTPS://GATEHOUSE.EXAMPLE.COM", true],
    ["http://127.0.0.1:3000", false],
    ["http://gatehouse.example.com", false],
    [undefined, false],
    ["", false],
    ["gatehouse.example.com", false],
  ])("%j -> %s", (url, expected) => {
    expect(isHttps(url)).toBe(expected);
  });
});

describe("pageHeaders", () => {
  it.each<[string, string | undefined, boolean]>([
    ["https public URL", "https://gatehouse.example.com", true],
    ["http public URL", "http://127.0.0.1:3000", false],
    ["no public URL", undefined, false],
  ])("%s: HSTS %s", (_name, publicUrl, hsts) => {
    const headers = Object.fromEntries(pageHeaders({ nonce: "abc", publicUrl }).map((h) => [h.key, h.value]));
    expect(headers["Strict-Transport-Security"]).toBe(hsts ? HSTS : undefined);
    expect(directives(headers["Content-Security-Policy"])["upgrade-insecure-requests"]).toEqual(hsts ? [] : undefined);
  });

  it("HSTS lasts two years and covers subdomains", () => {
    expect(HSTS).toBe("max-age=63072000; includeSubDomains");
  });
});

describe("pageCsp", () => {
  const csp = directives(pageCsp({ nonce: "n0nce", https: false }));

  it.each<[string, string[]]>([
    ["default-src", ["'self'"]],
    ["script-src", ["'self'", "'nonce-n0nce'", "'strict-dynamic'"]],
    ["style-src", ["'self'", "'unsafe-inline'"]],
    ["img-src", ["'self'", "data:", "blob:"]],
    ["font-src", ["'self'"]],
    ["connect-src", ["'self'"]],
    ["object-src", ["'none'"]],
    ["base-uri", ["'self'"]],
    ["form-action", ["'self'"]],
    ["frame-ancestors", ["'none'"]],
  ])("%s %j", (directive, sources) => {
    expect(csp[directive]).toEqual(sources);
  });

  it("never lets inline scripts run without the nonce, and evaluates code only in development", () => {
    expect(csp["script-src"]).not.toContain("'unsafe-inline'");
    expect(csp["script-src"]).not.toContain("'unsafe-eval'");
    expect(directives(pageCsp({ nonce: "n", https: false, dev: true }))["script-src"]).toContain("'unsafe-eval'");
  });

  it("a nonce in style-src would silently disable 'unsafe-inline', so styles carry none", () => {
    expect(csp["style-src"].some((s) => s.startsWith("'nonce-"))).toBe(false);
  });

  it("each response gets its own nonce", () => {
    expect(pageCsp({ nonce: "one", https: true })).not.toBe(pageCsp({ nonce: "two", https: true }));
  });
});

describe("static headers", () => {
  const base = Object.fromEntries(BASE_HEADERS.map((h) => [h.key, h.value]));
  it.each<[string, string | RegExp]>([
    ["X-Frame-Options", "DENY"],
    ["X-Content-Type-Options", "nosniff"],
    ["Referrer-Policy", "strict-origin-when-cross-origin"],
    ["Permissions-Policy", /camera=\(\).*microphone=\(\).*geolocation=\(\)/],
    ["Cross-Origin-Opener-Policy", "same-origin"],
  ])("%s", (key, value) => {
    if (typeof value === "string") expect(base[key]).toBe(value);
    else expect(base[key]).toMatch(value);
  });

  it("HSTS is never a static header: it depends on the public URL at run time", () => {
    expect(base["Strict-Transport-Security"]).toBeUndefined();
  });

  it("the API's CSP allows nothing and no framing", () => {
    expect(directives(API_CSP)).toMatchObject({ "default-src": ["'none'"], "frame-ancestors": ["'none'"] });
  });
});
