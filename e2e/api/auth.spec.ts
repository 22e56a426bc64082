import { expect, test } from "@playwright/test";
import { demoUser, expectError, sessionFor } from "../support/api";

test.describe("authentication", () => {
  test("the API refuses anonymous callers with a JSON 401", async ({ request }) => {
    await expectError(await request.get("/api/v1/me"), 401, "unauthenticated");
    await expectError(await request.get("/api/v1/users"), 401, "unauthenticated");
  });

  test("a malformed or unknown bearer token is refused", async ({ request }) => {
    for (const header of ["Bearer nonsense", "Bearer ghk_" + "A".repeat(43), "Basic abc"]) {
      await expectError(await request.get("/api/v1/me", { headers: { authorization: header } }), 401, "unauthenticated");
    }
  });

  const roles = [
    ["admin", "admin", null],
    ["lead", "ml-lead", "payments"],
    ["compliance", "compliance-officer", null],
    ["engineer", "engineer", "payments"],
    ["auditor", "auditor", null],
    ["viewer", "viewer", null],
  ] as const;
  for (const [who, role, team] of roles) {
    test(`${role} signs in with a password and sees their own roles`, async ({ baseURL }) => {
      const api = await sessionFor(baseURL!, demoUser(who));
      const me = await (await api.get("/api/v1/me")).json();
      expect(me).toMatchObject({ kind: "user", label: demoUser(who), roles: [{ role, team }] });
      await api.dispose();
    });
  }

  test("a wrong password gives no session", async ({ baseURL }) => {
    await expect(sessionFor(baseURL!, demoUser("admin"), "not-the-password")).rejects.toThrow(/401/);
  });
});
