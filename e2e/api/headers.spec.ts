import { expect, request as playwrightRequest, test, type APIResponse } from "@playwright/test";
import { BASE_HEADERS } from "../../lib/security/headers";
import { DEMO_PASSWORD, demoUser, sessionFor, unique } from "../support/api";
import { createModel, versionBody } from "../support/registry";

// The security headers as a browser receives them (lib/security/headers.ts holds the values; docs/security.md says
// why). The test server is plain http, so HSTS must be absent everywhere and the session cookie is not Secure.

function expectBaseHeaders(res: APIResponse, label: string) {
  const headers = res.headers();
  for (const { key, value } of BASE_HEADERS) expect(headers[key.toLowerCase()], `${key} on ${label}`).toBe(value);
  expect(headers["strict-transport-security"], `HSTS on ${label} over http`).toBeUndefined();
}

/** script-src's sources, and the nonce in it. */
function scriptSources(res: APIResponse) {
  const csp = res.headers()["content-security-policy"] ?? "";
  const scriptSrc = csp.split(";").map((d) => d.trim().split(/\s+/)).find((d) => d[0] === "script-src")?.slice(1) ?? [];
  const nonce = /^'nonce-(.+)'$/.exec(scriptSrc.find((s) => s.startsWith("'nonce-")) ?? "")?.[1];
  return { csp, scriptSrc, nonce };
}

test.describe("security headers", () => {
  test("a page whose path ends like a file still gets the page CSP (a model may be named x.png)", async ({ baseURL }) => {
    const engineer = await sessionFor(baseURL!, demoUser("engineer"));
    const { name } = await createModel(engineer, { name: `${unique("dotted")}.png` });
    const res = await engineer.get(`/models/${name}`);
    expect(res.status()).toBe(200);
    expect(await res.text()).toContain(name);
    expectBaseHeaders(res, name);
    expect(scriptSources(res).nonce, `a nonce on /models/${name}`).toBeTruthy();
    await engineer.dispose();
  });

  test("pages: a CSP whose scripts need this response's nonce, framing refused, and every script carrying the nonce", async ({ baseURL }) => {
    const anonymous = await playwrightRequest.newContext({ baseURL });
    const viewer = await sessionFor(baseURL!, demoUser("viewer"));
    const pages = [
      { label: "sign-in", res: await anonymous.get("/signin") },
      { label: "invitation", res: await anonymous.get(`/invite/${unique("bogus")}`) },
      { label: "overview", res: await viewer.get("/") },
      { label: "models", res: await viewer.get("/models") },
    ];
    const nonces = new Set<string>();
    for (const { label, res } of pages) {
      expect(res.status(), label).toBe(200);
      expectBaseHeaders(res, label);
      const { csp, scriptSrc, nonce } = scriptSources(res);
      expect(csp, label).toContain("frame-ancestors 'none'");
      expect(csp, label).toContain("object-src 'none'");
      expect(scriptSrc, label).toContain("'strict-dynamic'");
      expect(scriptSrc, label).not.toContain("'unsafe-inline'");
      expect(nonce, label).toBeTruthy();
      nonces.add(nonce!);
      const scripts = (await res.text()).match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length, label).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, `${label}: every script runs by the nonce`).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size, "a fresh nonce per response").toBe(pages.length);
    await Promise.all([anonymous.dispose(), viewer.dispose()]);
  });

  test("a signed-out browser's redirect to sign-in carries the headers too", async ({ request }) => {
    const res = await request.get("/models", { maxRedirects: 0 });
    expect(res.status()).toBe(307);
    expect(res.headers()["location"]).toMatch(/^\/signin\?callbackUrl=%2Fmodels$/);
    expectBaseHeaders(res, "redirect");
    expect(scriptSources(res).csp).toContain("frame-ancestors 'none'");
  });

  test("API answers, errors included, and static files get the fixed set; the API's CSP allows nothing", async ({ request }) => {
    const answers = [
      { label: "health", res: await request.get("/api/v1/health"), status: 200 },
      { label: "401", res: await request.get("/api/v1/me"), status: 401 },
      { label: "unknown API path", res: await request.get("/api/v1/no-such-thing"), status: 404 },
      { label: "OpenAPI", res: await request.get("/api/v1/openapi.json"), status: 200 },
    ];
    for (const { label, res, status } of answers) {
      expect(res.status(), label).toBe(status);
      expectBaseHeaders(res, label);
      expect(res.headers()["content-security-policy"], label).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    }
    const html = await (await request.get("/signin")).text();
    const script = /<script[^>]+src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeTruthy();
    const asset = await request.get(script!);
    expect(asset.status()).toBe(200);
    expectBaseHeaders(asset, "static script");
  });

  test("the serving fast path's answers are nosniff too", async ({ baseURL }) => {
    const [engineer, admin] = await Promise.all([sessionFor(baseURL!, demoUser("engineer")), sessionFor(baseURL!, demoUser("admin"))]);
    const { name } = await createModel(engineer);
    await engineer.post(`/api/v1/models/${name}/versions`, { data: versionBody() });
    expect((await engineer.put(`/api/v1/models/${name}/aliases/headers_test`, { data: { version: 1 } })).status()).toBe(200);
    const t = await (await admin.post("/api/v1/tokens", { data: { name: unique("serving"), kind: "service", scopes: ["serving:read"] } })).json();
    const serving = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${t.token}` } });
    for (const path of [`/api/v1/models/${name}/aliases/headers_test`, `/api/v1/models/${name}/routing`]) {
      const res = await serving.get(path);
      expect(res.status(), path).toBe(200);
      expect(res.headers()["x-gatehouse-served-by"], path).toBe("snapshot");
      expect(res.headers()["x-content-type-options"], path).toBe("nosniff");
      expect(res.headers()["strict-transport-security"], path).toBeUndefined();
    }
    await Promise.all([engineer.dispose(), admin.dispose(), serving.dispose()]);
  });
});

test("the session cookie is httpOnly, SameSite=Lax, for the whole site, and not Secure over http", async ({ baseURL }) => {
  const ctx = await playwrightRequest.newContext({ baseURL });
  const csrf = (await (await ctx.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await ctx.post("/api/auth/callback/credentials", {
    form: { email: demoUser("viewer"), password: DEMO_PASSWORD, csrfToken: csrf.csrfToken, json: "true" },
    maxRedirects: 0,
  });
  const cookies = res.headersArray().filter((h) => h.name.toLowerCase() === "set-cookie").map((h) => h.value);
  const session = cookies.find((c) => /^next-auth\.session-token=/.test(c));
  expect(session, cookies.join("\n")).toBeTruthy();
  const attributes = session!.split(";").slice(1).map((a) => a.trim().toLowerCase());
  expect(attributes).toContain("httponly");
  expect(attributes).toContain("samesite=lax");
  expect(attributes).toContain("path=/");
  expect(attributes).not.toContain("secure");
  expect((await ctx.get("/api/v1/me")).status()).toBe(200);
  await ctx.dispose();
});
