import { expect, test } from "@playwright/test";
import { demoUser, unique } from "../support/api";
import { signIn } from "../support/browser";

test("the admin adds a user, with inline validation first, then grants and revokes a team role", async ({ page }) => {
  await signIn(page, demoUser("admin"));
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Users");

  const form = page.getByRole("form", { name: "Add a user" });
  await form.getByLabel("Email").fill("not-an-email");
  await form.getByLabel("Initial password").fill("short");
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(form.getByText("Enter a valid email address")).toBeVisible();
  await expect(form.getByText("Enter a name")).toBeVisible();
  await expect(form.getByText("Use at least 12 characters")).toBeVisible();
  await expect(form.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");

  const email = `${unique("new")}@example.com`;
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Name").fill("Nova Newcomer");
  await form.getByLabel("Initial password").fill("a-good-long-password");
  await form.getByLabel("Role").selectOption("engineer");
  await form.getByLabel("For team").selectOption("risk");
  await form.getByRole("button", { name: "Add user" }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Nova Newcomer");
  await expect(page.getByText("User created.")).toBeVisible();
  const roles = page.getByRole("list", { name: "Granted roles" });
  await expect(roles).toContainText("engineer of risk");

  const grant = page.getByRole("form", { name: "Grant a role" });
  await grant.getByLabel("Role").selectOption("viewer");
  await grant.getByLabel("Reason (recorded in the audit log)").fill("needs to read payments models");
  await grant.getByRole("button", { name: "Grant role" }).click();
  await expect(grant.getByRole("status")).toHaveText("Granted viewer on all teams.");
  await expect(roles).toContainText("viewer on all teams");

  await page.getByRole("button", { name: "Revoke engineer of risk" }).click();
  await expect(roles).not.toContainText("engineer of risk");

  // The new user appears in the searchable list.
  await page.goto("/admin/users");
  await page.getByRole("searchbox", { name: "Search users by email or name" }).fill(email);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("table", { name: "Users" }).getByRole("row")).toHaveCount(2);
  await expect(page.getByRole("link", { name: email })).toBeVisible();
});

test("the admin creates a service token, sees it once, and revokes it", async ({ page }) => {
  await signIn(page, demoUser("admin"));
  await page.goto("/admin/tokens");
  const form = page.getByRole("form", { name: "Create an API token" });
  const name = unique("pipeline");
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(form.getByText("Enter a name")).toBeVisible();
  await form.getByLabel("Name").fill(name);
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(form.getByText("Choose at least one scope")).toBeVisible();

  await form.getByRole("checkbox", { name: /registry:write/ }).check();
  await form.getByRole("checkbox", { name: /promotions:request/ }).check();
  await form.getByRole("button", { name: "Create token" }).click();
  const secret = await page.getByTestId("new-token").textContent();
  expect(secret).toMatch(/^ghk_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByText("It is shown only this once")).toBeVisible();

  const row = page.getByRole("row", { name: new RegExp(name) });
  await expect(row).toContainText("registry:write");
  await expect(row).toContainText(secret!.slice(0, 10));
  await expect(row).toContainText("never");

  // The secret works for the API, and the list then shows it was used.
  const me = await page.request.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } });
  expect(me.status()).toBe(200);
  await page.reload();
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  await expect(page.getByRole("row", { name: new RegExp(name) })).not.toContainText("never");

  page.once("dialog", (d) => void d.accept());
  await page.getByRole("button", { name: `Revoke token ${name}` }).click();
  await expect(page.getByRole("row", { name: new RegExp(name) })).toHaveCount(0);
  const after = await page.request.get("/api/v1/me", { headers: { authorization: `Bearer ${secret}` } });
  expect(after.status()).toBe(401);
});

test("the admin creates a team and a duplicate slug is refused inline", async ({ page }) => {
  await signIn(page, demoUser("admin"));
  await page.goto("/admin/teams");
  const slug = unique("ml");
  const form = page.getByRole("form", { name: "Create a team" });
  await form.getByLabel("Slug").fill(slug);
  await form.getByLabel("Name").fill("Machine Learning");
  await form.getByRole("button", { name: "Create team" }).click();
  await expect(form.getByRole("status")).toHaveText(`Created team ${slug}.`);
  await expect(page.getByRole("cell", { name: slug })).toBeVisible();

  await form.getByLabel("Slug").fill(slug);
  await form.getByLabel("Name").fill("Again");
  await form.getByRole("button", { name: "Create team" }).click();
  await expect(form.getByText("Already taken")).toBeVisible();
});

test("a deactivated user's open browser session ends at once", async ({ browser, page }) => {
  await signIn(page, demoUser("admin"));
  const email = `${unique("leaver")}@example.com`;
  const res = await page.request.post("/api/v1/users", { data: { email, name: "Lou Leaver", password: "leaver-password-1", roles: [{ role: "viewer" }] } });
  const user = await res.json();

  const other = await browser.newPage();
  await signIn(other, email, "leaver-password-1");
  await expect(other.getByTestId("signed-in-user")).toContainText("Lou Leaver");

  await page.goto(`/admin/users/${user.id}`);
  await page.getByRole("form", { name: "Deactivate user" }).getByLabel("Reason (recorded in the audit log)").fill("left the team");
  await page.getByRole("button", { name: "Deactivate and sign out" }).click();
  await expect(page.getByText(`${email} is deactivated and signed out everywhere.`)).toBeVisible();

  await other.reload();
  await expect(other).toHaveURL(/\/signin/);
  await other.close();
});

test("admin forms work from the keyboard: tab between fields, Enter submits, errors are announced", async ({ page }) => {
  await signIn(page, demoUser("admin"));
  await page.goto("/admin/teams");
  const slug = unique("kb");
  await page.getByRole("form", { name: "Create a team" }).getByLabel("Slug").focus();
  await page.keyboard.type("Not A Slug");
  await page.keyboard.press("Tab");
  await page.keyboard.type("Keyboard team");
  await page.keyboard.press("Enter");
  const error = page.getByText("Use lowercase letters, digits and dashes, starting with a letter or digit");
  await expect(error).toBeVisible();
  await expect(error).toHaveAttribute("role", "alert");
  await page.getByRole("form", { name: "Create a team" }).getByLabel("Slug").fill(slug);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("cell", { name: slug })).toBeVisible();
});
