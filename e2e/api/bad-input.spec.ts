import { expect, test, type APIRequestContext } from "@playwright/test";
import { demoUser, expectError, sessionFor, unique } from "../support/api";

test.describe("hostile and malformed input", () => {
  let admin: APIRequestContext;
  test.beforeAll(async ({ baseURL }) => {
    admin = await sessionFor(baseURL!, demoUser("admin"));
  });
  test.afterAll(async () => admin.dispose());

  // [what, the value in JSON, the value as it would arrive in a query string (a lone surrogate cannot)]
  const unstorable: [string, string, string | null][] = [
    ["a NUL byte", "bad\u0000name", "bad%00name"],
    ["a lone surrogate", "bad\ud800name", null],
  ];
  for (const [what, value, query] of unstorable) {
    test(`${what} in a name, a search or a reason is a 400, never a 500`, async () => {
      const body = await expectError(await admin.post("/api/v1/teams", { data: { slug: unique("t"), name: value } }), 400, "invalid_input");
      expect(JSON.stringify(body)).toContain("cannot be stored");
      if (query) await expectError(await admin.get(`/api/v1/users?q=${query}`), 400);
      await expectError(await admin.post("/api/v1/users", { data: { email: `${unique("u")}@example.com`, name: "Fine", password: "long-enough-password", reason: value } }), 400);
    });
  }

  test("a NUL byte in a path id is refused cleanly", async () => {
    const res = await admin.get("/api/v1/users/%00");
    expect([400, 404]).toContain(res.status());
    await expectError(res, res.status());
  });

  test("oversized and wrongly typed fields say where", async () => {
    const body = await expectError(await admin.post("/api/v1/teams", { data: { slug: 42, name: "x".repeat(500) } }), 400);
    const paths = (body.error as unknown as { details: { path: string }[] }).details.map((d) => d.path).sort();
    expect(paths).toEqual(["name", "slug"]);
    await expectError(await admin.post("/api/v1/users", { data: { email: `${unique("u")}@example.com`, name: "Long", password: "é".repeat(40) } }), 400);
    await expectError(await admin.post("/api/v1/users", { data: [] }), 400);
  });

  test("two identical role grants racing: one succeeds, the other is a 409", async () => {
    const user = await (await admin.post("/api/v1/users", { data: { email: `${unique("race")}@example.com`, name: "Race", password: "long-enough-password" } })).json();
    const results = await Promise.all([1, 2, 3].map(() => admin.post(`/api/v1/users/${user.id}/roles`, { data: { role: "auditor" } })));
    expect(results.map((r) => r.status()).sort()).toEqual([201, 409, 409]);
    const after = await (await admin.get(`/api/v1/users/${user.id}`)).json();
    expect(after.grants.filter((g: { role: string }) => g.role === "auditor")).toHaveLength(1);
  });

  test("a cross-site request cannot use a browser session to change anything", async ({ baseURL }) => {
    const user = await (await admin.post("/api/v1/users", { data: { email: `${unique("csrf")}@example.com`, name: "Target", password: "long-enough-password" } })).json();
    const forged = await admin.post(`/api/v1/users/${user.id}/deactivate`, { headers: { origin: "http://evil.example", "sec-fetch-site": "cross-site" } });
    const body = await expectError(forged, 403, "forbidden");
    expect(body.error.message).toContain("Cross-site");
    expect((await (await admin.get(`/api/v1/users/${user.id}`)).json()).active).toBe(true);
    const otherOrigin = await admin.post(`/api/v1/users/${user.id}/deactivate`, { headers: { origin: "http://evil.example" } });
    await expectError(otherOrigin, 403, "forbidden");
    // The same call from Gatehouse's own pages goes through.
    const own = await admin.post(`/api/v1/users/${user.id}/deactivate`, { headers: { origin: new URL(baseURL!).origin, "sec-fetch-site": "same-origin" } });
    expect(own.status()).toBe(200);
  });
});
