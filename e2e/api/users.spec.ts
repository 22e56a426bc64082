import { expect, test, type APIRequestContext } from "@playwright/test";
import { demoUser, expectError, sessionFor, tokenClient, unique } from "../support/api";

test.describe("user administration over HTTP", () => {
  let admin: APIRequestContext;
  test.beforeAll(async ({ baseURL }) => {
    admin = await sessionFor(baseURL!, demoUser("admin"));
  });
  test.afterAll(async () => admin.dispose());

  test("bad input is refused with a 400 saying what and where, and nothing is written", async () => {
    const email = `${unique("bad")}@example.com`;
    const res = await admin.post("/api/v1/users", { data: { email: "not-an-email", name: "", password: "short" } });
    const body = await expectError(res, 400, "invalid_input");
    const paths = (body.error as unknown as { details: { path: string }[] }).details.map((d) => d.path).sort();
    expect(paths).toEqual(["email", "name", "password"]);
    await expectError(await admin.post("/api/v1/users", { data: { email, name: "X", password: "long-enough-password", roles: [{ role: "wizard" }] } }), 400);
    await expectError(await admin.post("/api/v1/users", { data: { email, name: "X", password: "long-enough-password", roles: [{ role: "viewer", team: "no-such-team" }] } }), 400);
    const list = await (await admin.get(`/api/v1/users?q=${encodeURIComponent(email)}`)).json();
    expect(list.items).toEqual([]);
  });

  test("malformed JSON and a non-JSON body get clear errors", async () => {
    const broken = await admin.fetch("/api/v1/users", { method: "POST", headers: { "content-type": "application/json" }, data: Buffer.from("{ nope") });
    const body = await expectError(broken, 400, "invalid_input");
    expect(body.error.message).toMatch(/not valid JSON/);
    await expectError(await admin.fetch("/api/v1/users", { method: "POST", headers: { "content-type": "text/plain" }, data: Buffer.from("email=x") }), 415);
  });

  test("a duplicate email is a 409 and emails are case-insensitive", async () => {
    const email = `${unique("dup")}@example.com`;
    expect((await admin.post("/api/v1/users", { data: { email, name: "One", password: "long-enough-password" } })).status()).toBe(201);
    await expectError(await admin.post("/api/v1/users", { data: { email: email.toUpperCase(), name: "Two", password: "long-enough-password" } }), 409, "conflict");
  });

  test("unknown ids are 404s and forged cursors 400s", async () => {
    await expectError(await admin.get("/api/v1/users/does-not-exist"), 404, "not_found");
    await expectError(await admin.get("/api/v1/users?cursor=garbage"), 400);
    await expectError(await admin.get("/api/v1/users?limit=100000"), 400);
  });

  test("lists are paginated with a cursor", async () => {
    const first = await (await admin.get("/api/v1/users?limit=2")).json();
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBeTruthy();
    const second = await (await admin.get(`/api/v1/users?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items[0].email > first.items[1].email).toBe(true);
  });

  test("deactivation ends the user's sessions and tokens at once; reactivation restores sign-in", async ({ baseURL }) => {
    const email = `${unique("leaver")}@example.com`;
    const user = await (await admin.post("/api/v1/users", { data: { email, name: "Leaver", password: "long-enough-password", roles: [{ role: "viewer" }] } })).json();
    const session = await sessionFor(baseURL!, email, "long-enough-password");
    const token = await (await admin.post("/api/v1/tokens", { data: { name: unique("leaver"), kind: "user", userEmail: email } })).json();
    const bearer = await tokenClient(baseURL!, token.token);
    expect((await bearer.get("/api/v1/me")).status()).toBe(200);

    const off = await admin.post(`/api/v1/users/${user.id}/deactivate`, { data: { reason: "left the company" } });
    expect(off.status()).toBe(200);
    expect((await off.json()).active).toBe(false);
    await expectError(await session.get("/api/v1/me"), 401);
    await expectError(await bearer.get("/api/v1/me"), 401);
    await expect(sessionFor(baseURL!, email, "long-enough-password")).rejects.toThrow();

    expect((await admin.post(`/api/v1/users/${user.id}/reactivate`, { data: {} })).status()).toBe(200);
    const again = await sessionFor(baseURL!, email, "long-enough-password");
    expect((await again.get("/api/v1/me")).status()).toBe(200);
    await Promise.all([session.dispose(), bearer.dispose(), again.dispose()]);
  });

  test("an admin cannot deactivate themselves", async () => {
    const me = await (await admin.get("/api/v1/users?q=admin%40gatehouse.local")).json();
    await expectError(await admin.post(`/api/v1/users/${me.items[0].id}/deactivate`, { data: {} }), 400);
  });

  test("a password reset signs the user out everywhere and only the new password works", async ({ baseURL }) => {
    const email = `${unique("reset")}@example.com`;
    const user = await (await admin.post("/api/v1/users", { data: { email, name: "Reset", password: "first-password-123", roles: [{ role: "viewer" }] } })).json();
    const session = await sessionFor(baseURL!, email, "first-password-123");
    await expectError(await admin.post(`/api/v1/users/${user.id}/password`, { data: { password: "short" } }), 400);
    expect((await admin.post(`/api/v1/users/${user.id}/password`, { data: { password: "second-password-456" } })).status()).toBe(200);
    await expectError(await session.get("/api/v1/me"), 401);
    await expect(sessionFor(baseURL!, email, "first-password-123")).rejects.toThrow();
    const fresh = await sessionFor(baseURL!, email, "second-password-456");
    await Promise.all([session.dispose(), fresh.dispose()]);
  });

  test("team-scoped grants show on the user and duplicates are refused", async () => {
    const email = `${unique("scoped")}@example.com`;
    const user = await (await admin.post("/api/v1/users", { data: { email, name: "Scoped", password: "long-enough-password" } })).json();
    const granted = await (await admin.post(`/api/v1/users/${user.id}/roles`, { data: { role: "ml-lead", team: "payments" } })).json();
    expect(granted.grants).toMatchObject([{ role: "ml-lead", team: { slug: "payments" } }]);
    await expectError(await admin.post(`/api/v1/users/${user.id}/roles`, { data: { role: "ml-lead", team: "payments" } }), 409);
  });
});
