import { expect, test } from "@playwright/test";
import { demoUser } from "../support/api";
import { signIn } from "../support/browser";

const people = [
  { who: "admin", name: "Avery Admin", roles: "admin", nav: ["Overview", "Models", "Promotions", "Releases", "Approvals", "Rollouts", "Policy", "Audit", "Users", "Teams", "API tokens", "Webhooks"] },
  { who: "lead", name: "Lee Lead", roles: "ml-lead@payments", nav: ["Overview", "Models", "Promotions", "Releases", "Approvals", "Rollouts", "Policy"] },
  { who: "compliance", name: "Casey Compliance", roles: "compliance-officer", nav: ["Overview", "Models", "Promotions", "Releases", "Approvals", "Rollouts", "Policy", "Audit"] },
  { who: "engineer", name: "Emery Engineer", roles: "engineer@payments", nav: ["Overview", "Models", "Promotions", "Releases", "Approvals", "Rollouts", "Policy"] },
  { who: "auditor", name: "Aubrey Auditor", roles: "auditor", nav: ["Overview", "Models", "Promotions", "Releases", "Approvals", "Rollouts", "Policy", "Audit"] },
  { who: "viewer", name: "Val Viewer", roles: "viewer", nav: ["Overview", "Models", "Promotions", "Releases", "Approvals", "Rollouts", "Policy"] },
] as const;

for (const p of people) {
  test(`${p.roles} signs in, sees their name, roles and navigation, and signs out`, async ({ page }) => {
    await signIn(page, demoUser(p.who));
    const user = page.getByTestId("signed-in-user");
    await expect(user).toContainText(p.name);
    await expect(user).toContainText(p.roles);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Welcome, ${p.name}`);
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText([...p.nav]);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin/);
    await expect(page.getByText("You have signed out.")).toBeVisible();
    await page.goto("/");
    await expect(page).toHaveURL(/\/signin/);
  });
}

test("a wrong password is refused with a message and no session", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email", { exact: true }).fill(demoUser("admin"));
  await page.getByLabel("Password", { exact: true }).fill("wrong-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "That email and password do not match an active account." })).toBeVisible();
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin/);
});

test("empty fields are flagged inline before anything is sent", async ({ page }) => {
  await page.goto("/signin");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByText("Enter your email")).toBeVisible();
  await expect(page.getByLabel("Email", { exact: true })).toHaveAttribute("aria-invalid", "true");
});

test("a signed-out visit to a page returns there after signing in", async ({ page }) => {
  await page.goto("/admin/teams");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fadmin%2Fteams/);
  await page.getByLabel("Email", { exact: true }).fill(demoUser("admin"));
  await page.getByLabel("Password", { exact: true }).fill("gatehouse-demo");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Teams");
});

test("a page the role may not see says so instead of failing", async ({ page }) => {
  await signIn(page, demoUser("viewer"));
  await page.goto("/admin/users");
  await expect(page.getByText("You do not have access to this page")).toBeVisible();
  await expect(page.getByText(/users\.manage/)).toBeVisible();
});

test("the sign-in form works from the keyboard alone", async ({ page }) => {
  await page.goto("/signin");
  await page.keyboard.type(demoUser("viewer")); // the email field has focus on arrival
  await page.keyboard.press("Tab");
  await page.keyboard.type("gatehouse-demo");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("signed-in-user")).toContainText("Val Viewer");
});

for (const evil of ["/%5Cevil.example", "/%09/evil.example", "//evil.example", "https://evil.example/"]) {
  test(`after sign-in a crafted callbackUrl ${decodeURIComponent(evil)} stays on Gatehouse`, async ({ page, baseURL }) => {
    await page.goto(`/signin?callbackUrl=${evil}`);
    await page.getByLabel("Email", { exact: true }).fill(demoUser("viewer"));
    await page.getByLabel("Password", { exact: true }).fill("gatehouse-demo");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByTestId("signed-in-user")).toBeVisible();
    expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
  });
}
