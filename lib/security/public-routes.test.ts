import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PUBLIC_ACTIONS, PUBLIC_ROUTES, isPublicPage, routeRegExp } from "./public-routes";

describe("isPublicPage", () => {
  it.each<[string, boolean]>([
    ["/signin", true],
    ["/signin/", true],
    ["/invite/abc123", true],
    ["/", false],
    ["/models", false],
    ["/signin-elsewhere", false],
    ["/signin/extra", false],
    ["/invite", false],
    ["/invite/abc/extra", false],
    ["/admin/invite/abc", false],
    ["/api/v1/health", false], // an API route, not a page: route handlers answer for themselves
  ])("%s -> %s", (path, expected) => {
    expect(isPublicPage(path)).toBe(expected);
  });
});

describe("routeRegExp", () => {
  it.each<[string, string, boolean]>([
    ["/api/auth/[...nextauth]", "/api/auth/session", true],
    ["/api/auth/[...nextauth]", "/api/auth/callback/oidc", true],
    ["/api/auth/[...nextauth]", "/api/auth", false],
    ["/docs/[[...slug]]", "/docs", true],
    ["/docs/[[...slug]]", "/docs/a/b", true],
    ["/api/v1/openapi.json", "/api/v1/openapiXjson", false],
    ["/", "/", true],
  ])("%s matches %s: %s", (route, path, expected) => {
    expect(routeRegExp(route).test(path)).toBe(expected);
  });
});

it("every public route and action says why it is public", () => {
  for (const entry of [...PUBLIC_ROUTES, ...PUBLIC_ACTIONS]) expect(entry.reason.length).toBeGreaterThan(20);
});

it("docs/security.md lists every public route and action with its reason", () => {
  const doc = readFileSync(path.join(__dirname, "../../docs/security.md"), "utf8");
  for (const r of PUBLIC_ROUTES) expect(doc).toContain(`| \`${r.route}\``);
  for (const a of PUBLIC_ACTIONS) expect(doc).toContain(`| \`${a.name}\` (\`${a.file}\`)`);
  for (const entry of [...PUBLIC_ROUTES, ...PUBLIC_ACTIONS]) expect(doc).toContain(entry.reason);
});
