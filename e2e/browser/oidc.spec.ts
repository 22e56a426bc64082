import { expect, test, type Page } from "@playwright/test";
import { demoUser, unique } from "../support/api";
import { signIn } from "../support/browser";

// npm test starts a small OIDC provider and Gatehouse with OIDC_ROLE_MAP =
// "ml-leads=ml-lead@payments, auditors=auditor, everyone=viewer".
async function signInWithSso(page: Page, who: { sub: string; email: string; name: string; groups: string; verified?: boolean }) {
  await page.goto("/signin");
  await page.getByRole("button", { name: "Continue with Test IdP" }).click();
  await expect(page.getByRole("heading", { name: "Test identity provider" })).toBeVisible();
  const fields = { Subject: who.sub, Email: who.email, Name: who.name, Groups: who.groups, "Email verified": who.verified ? "yes" : "no" };
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole("button", { name: "Continue" }).click();
}

test("single sign-on creates the user and maps the provider's groups to roles, anew at every sign-in", async ({ browser }) => {
  const who = { sub: unique("sub"), email: `${unique("sso")}@example.com`, name: "Sam Sso", groups: "ml-leads,everyone,unmapped" };
  const first = await browser.newContext();
  const page = await first.newPage();
  await signInWithSso(page, who);
  const header = page.getByTestId("signed-in-user");
  await expect(header).toContainText("Sam Sso");
  await expect(header).toContainText("ml-lead@payments");
  await expect(header).toContainText("viewer");
  await first.close();

  // Groups changed at the provider: the mapped roles follow at the next sign-in.
  const second = await browser.newContext();
  const again = await second.newPage();
  await signInWithSso(again, { ...who, groups: "auditors" });
  await expect(again.getByTestId("signed-in-user")).toContainText("auditor");
  await expect(again.getByTestId("signed-in-user")).not.toContainText("ml-lead");
  await second.close();
});

test("a deactivated user cannot come back through single sign-on", async ({ browser, page }) => {
  const who = { sub: unique("sub"), email: `${unique("sso-gone")}@example.com`, name: "Gone Sso", groups: "everyone" };
  const context = await browser.newContext();
  const sso = await context.newPage();
  await signInWithSso(sso, who);
  await expect(sso.getByTestId("signed-in-user")).toContainText("Gone Sso");

  await signIn(page, demoUser("admin"));
  const users = await (await page.request.get(`/api/v1/users?q=${encodeURIComponent(who.email)}`)).json();
  expect(users.items[0]).toMatchObject({ email: who.email, sso: true });
  expect((await page.request.post(`/api/v1/users/${users.items[0].id}/deactivate`, { data: { reason: "left" } })).status()).toBe(200);

  await sso.reload();
  await expect(sso).toHaveURL(/\/signin/);
  await signInWithSso(sso, who);
  await expect(sso).toHaveURL(/\/signin\?.*error=AccessDenied/);
  await expect(sso.getByText("Your account is deactivated or has no email address.")).toBeVisible();
  await context.close();
});

test("an existing account is linked only through a verified email, and never taken over by another subject", async ({ browser, page }) => {
  await signIn(page, demoUser("admin"));
  const email = `${unique("linked")}@example.com`;
  const created = await page.request.post("/api/v1/users", { data: { email, name: "Lina Linked", roles: [{ role: "engineer", team: "payments" }] } });
  expect(created.status()).toBe(201);

  const context = await browser.newContext();
  const sso = await context.newPage();
  await signInWithSso(sso, { sub: unique("sub"), email, name: "Lina", groups: "", verified: false });
  await expect(sso).toHaveURL(/error=AccessDenied/);

  const subject = unique("sub");
  await signInWithSso(sso, { sub: subject, email, name: "Lina", groups: "", verified: true });
  await expect(sso.getByTestId("signed-in-user")).toContainText("Lina Linked");
  await expect(sso.getByTestId("signed-in-user")).toContainText("engineer@payments");
  await context.close();

  // A different provider account claiming the same (verified) email is refused: the account is bound to `subject`.
  const other = await browser.newContext();
  const intruder = await other.newPage();
  await signInWithSso(intruder, { sub: unique("other-sub"), email, name: "Mallory", groups: "", verified: true });
  await expect(intruder).toHaveURL(/error=AccessDenied/);
  await other.close();
});
