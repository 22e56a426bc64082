import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { expect, request as playwrightRequest, test, type APIRequestContext } from "@playwright/test";
import { demoUser, expectError, sessionFor, tokenClient, unique } from "../support/api";

// The test server trusts X-Forwarded-For (GATEHOUSE_TRUST_PROXY=true, as behind a load balancer), so each test acts
// from made-up addresses of its own and never touches the limits of 127.0.0.1, where the other tests sign in.
const octet = () => 1 + Math.floor(Math.random() * 250);

/** One password sign-in through next-auth's credentials callback from `ip`: the error code it answers with, or null. */
async function signInFrom(baseURL: string, ip: string, email: string, password: string, headers: Record<string, string> = {}) {
  const ctx = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": ip, ...headers } });
  const csrf = (await (await ctx.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await ctx.post("/api/auth/callback/credentials", { form: { email, password, csrfToken: csrf.csrfToken, json: "true" }, maxRedirects: 0 });
  const { url } = (await res.json()) as { url: string };
  const signedIn = (await ctx.get("/api/v1/me")).status() === 200;
  await ctx.dispose();
  return { status: res.status(), error: new URL(url).searchParams.get("error"), signedIn };
}

test.describe("sign-in limits", () => {
  let admin: APIRequestContext;
  test.beforeAll(async ({ baseURL }) => {
    admin = await sessionFor(baseURL!, demoUser("admin"));
  });
  test.afterAll(async () => admin.dispose());

  async function freshUser(password: string) {
    const email = `${unique("locked")}@example.com`;
    const created = await admin.post("/api/v1/users", { data: { email, name: "Lockable", password, roles: [{ role: "viewer" }] } });
    expect(created.status()).toBe(201);
    return { email, id: ((await created.json()) as { id: string }).id };
  }

  test("five wrong passwords lock the account: the right one is refused, with the wait, and the lockout is audited", async ({ baseURL }) => {
    const password = "the-right-password-1";
    const { email, id } = await freshUser(password);
    const ip = `203.0.113.${octet()}`;
    for (let i = 0; i < 5; i++) expect((await signInFrom(baseURL!, ip, email, `wrong-password-${i}`)).error).toBe("CredentialsSignin");
    const locked = await signInFrom(baseURL!, ip, email, password);
    expect(locked.status).toBe(401);
    expect(locked.signedIn).toBe(false);
    const seconds = Number(/^SignInLocked:(\d+)$/.exec(locked.error ?? "")?.[1]);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(30);
    // The account is locked, not the address: another address is refused the same way.
    expect((await signInFrom(baseURL!, `203.0.113.${octet()}`, email, password)).error).toMatch(/^SignInLocked:\d+$/);
    await expect
      .poll(async () => ((await (await admin.get(`/api/v1/audit?action=user.sign-in-locked&limit=200`)).json()) as { items: { target: { id: string } }[] }).items.filter((e) => JSON.stringify(e).includes(id)).length)
      .toBe(1);
  });

  test("an address with 30 failures is locked whatever the account (an IPv6 client's whole /64), and a forged client-address header changes nothing", async ({ baseURL }) => {
    const password = "the-right-password-2";
    const { email } = await freshUser(password);
    const net = `2001:db8:${octet().toString(16)}:${octet().toString(16)}`;
    for (let i = 0; i < 30; i++) expect((await signInFrom(baseURL!, `${net}::${i + 1}`, `${unique("nobody")}@example.com`, "guess-password")).error).toBe("CredentialsSignin");
    const locked = await signInFrom(baseURL!, `${net}::abcd`, email, password);
    expect(locked.error).toMatch(/^SignInLocked:\d+$/);
    expect(Number(locked.error!.split(":")[1])).toBeGreaterThan(800);
    expect((await signInFrom(baseURL!, `${net}::abcd`, email, password, { "x-gatehouse-client-ip": "192.0.2.200" })).error).toMatch(/^SignInLocked:/);
    // The same account from elsewhere is fine: the address was locked, not the account.
    expect(await signInFrom(baseURL!, `2001:db8:ffff:${octet().toString(16)}::1`, email, password)).toMatchObject({ error: null, signedIn: true });
  });
});

test.describe("API rate limits", () => {
  let admin: APIRequestContext;
  test.beforeAll(async ({ baseURL }) => {
    admin = await sessionFor(baseURL!, demoUser("admin"));
  });
  test.afterAll(async () => admin.dispose());

  test("a token over its own limit gets 429 with Retry-After; another token is unaffected", async ({ baseURL }) => {
    const created = await admin.post("/api/v1/tokens", { data: { name: unique("slow"), kind: "service", scopes: ["registry:read"], rateLimitPerMinute: 3 } });
    expect(created.status()).toBe(201);
    const slow = (await created.json()) as { id: string; token: string; rateLimitPerMinute: number };
    expect(slow.rateLimitPerMinute).toBe(3);
    const listed = (await (await admin.get("/api/v1/tokens?limit=200")).json()) as { items: { id: string; rateLimitPerMinute: number | null }[] };
    expect(listed.items.find((t) => t.id === slow.id)?.rateLimitPerMinute).toBe(3);
    const other = (await (await admin.post("/api/v1/tokens", { data: { name: unique("fast"), kind: "service", scopes: ["registry:read"] } })).json()) as { token: string; rateLimitPerMinute: null };
    expect(other.rateLimitPerMinute).toBeNull();

    const client = await tokenClient(baseURL!, slow.token);
    const remaining = [];
    for (let i = 0; i < 3; i++) {
      const res = await client.get("/api/v1/models");
      expect(res.status()).toBe(200);
      expect(res.headers()["ratelimit-limit"]).toBe("3");
      remaining.push(res.headers()["ratelimit-remaining"]);
    }
    expect(remaining).toEqual(["2", "1", "0"]);
    const refused = await client.get("/api/v1/models");
    const body = await expectError(refused, 429, "rate_limited");
    const retryAfter = Number(refused.headers()["retry-after"]);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 20).toBe(true);
    expect(body.error.message).toContain(`try again in ${retryAfter} s`);
    // Refused before anything else is looked at, whatever the route.
    await expectError(await client.get("/api/v1/users"), 429, "rate_limited");

    const fast = await tokenClient(baseURL!, other.token);
    const ok = await fast.get("/api/v1/models");
    expect(ok.status()).toBe(200);
    expect(ok.headers()["ratelimit-limit"]).toBe("1200");
    await Promise.all([client.dispose(), fast.dispose()]);
  });

  test("a token's own limit must be a whole number of requests a minute", async () => {
    for (const value of [0, 2.5, "lots", -3]) {
      const body = await expectError(await admin.post("/api/v1/tokens", { data: { name: unique("bad"), kind: "service", scopes: ["registry:read"], rateLimitPerMinute: value } }), 400, "invalid_input");
      expect(body.error.details?.[0].path).toBe("rateLimitPerMinute");
    }
  });

  test("the CLI gives a token its own limit with --rate-limit, and refuses one that is not a number", async ({ baseURL }) => {
    // `npm run gatehouse -- …` against the test server's database, as e2e/api/cli.spec.ts runs it.
    const gatehouse = (...args: string[]) => promisify(execFile)(process.execPath, [path.join(process.cwd(), "scripts", "gatehouse.mjs"), ...args], { cwd: process.cwd(), env: process.env });
    const { stdout, stderr } = await gatehouse("token", "create", "--name", unique("cli-limited"), "--scope", "registry:read", "--rate-limit", "2");
    expect(stderr).toContain("limited to 2 requests a minute");
    const client = await tokenClient(baseURL!, stdout.trimEnd().split("\n").at(-1)!);
    expect([(await client.get("/api/v1/me")).status(), (await client.get("/api/v1/me")).status(), (await client.get("/api/v1/me")).status()]).toEqual([200, 200, 429]);
    await client.dispose();
    const failed = await gatehouse("token", "create", "--name", unique("cli-bad"), "--scope", "registry:read", "--rate-limit", "lots").catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toContain("rateLimitPerMinute: Enter a number of requests a minute");
    expect((failed as { stdout: string }).stdout).not.toMatch(/ghk_/);
  });
});
