import { expect, test } from "@playwright/test";
import { demoUser, sessionFor, unique } from "../support/api";
import { expectAccessible, signIn } from "../support/browser";

test("after five wrong passwords the sign-in form says the account is locked and when to try again", async ({ browser, baseURL }) => {
  const admin = await sessionFor(baseURL!, demoUser("admin"));
  const email = `${unique("form-locked")}@example.com`;
  const password = "the-right-password-3";
  expect((await admin.post("/api/v1/users", { data: { email, name: "Form Locked", password, roles: [{ role: "viewer" }] } })).status()).toBe(201);
  await admin.dispose();
  // A made-up address of its own (the test server trusts X-Forwarded-For), so 127.0.0.1's count stays untouched.
  const context = await browser.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": `192.0.2.${1 + Math.floor(Math.random() * 250)}` } });
  const page = await context.newPage();
  await page.goto("/signin");
  const emailField = page.getByLabel("Email", { exact: true });
  const passwordField = page.getByLabel("Password", { exact: true });
  await emailField.fill(email);
  // Each attempt's answer is awaited before the next, as a person would: the server has counted it by then.
  const submit = async (value: string) => {
    await passwordField.fill(value);
    await Promise.all([page.waitForResponse((r) => r.url().includes("/api/auth/callback/credentials")), passwordField.press("Enter")]);
  };
  for (let i = 0; i < 5; i++) {
    await submit(`wrong-password-${i}`);
    await expect(page.getByRole("alert").filter({ hasText: "That email and password do not match an active account." })).toBeVisible();
  }
  await submit(password);
  const alert = page.getByRole("alert").filter({ hasText: "Too many failed sign-in attempts." });
  await expect(alert).toBeVisible();
  await expect(alert).toHaveText(/Try again in ([1-9]|[12]\d|30) seconds?\./);
  await expect(page).toHaveURL(/\/signin/);
  await expectAccessible(page, "sign-in page with a lockout message");
  await context.close();
});

test("the admin gives a token its own rate limit; the list shows it beside the default", async ({ page }) => {
  await signIn(page, demoUser("admin"));
  const plain = unique("plain");
  expect((await page.request.post("/api/v1/tokens", { data: { name: plain, kind: "service", scopes: ["registry:read"] } })).status()).toBe(201);
  await page.goto("/admin/tokens");
  await expect(page.getByRole("row", { name: new RegExp(plain) })).toContainText("1,200 a minute (default)");
  const form = page.getByRole("form", { name: "Create an API token" });
  const name = unique("throttled");
  await form.getByLabel("Name").fill(name);
  await form.getByRole("checkbox", { name: /registry:read/ }).check();
  const limit = form.getByLabel("Rate limit (requests a minute)");
  await expect(form.getByText("Leave empty for the default: 1,200 a minute.")).toBeVisible();
  await limit.fill("0");
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(form.getByText("Allow at least 1 request a minute")).toBeVisible();
  await expect(limit).toHaveAttribute("aria-invalid", "true");
  await limit.fill("60");
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("new-token")).toBeVisible();
  await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("60 a minute");
  await expect(page.getByRole("row", { name: new RegExp(name) })).not.toContainText("default");
});
