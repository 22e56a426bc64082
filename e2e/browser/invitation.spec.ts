import { expect, test } from "@playwright/test";
import { demoUser, unique } from "../support/api";
import { expectAccessible, signIn } from "../support/browser";

test("an invited user chooses their own password through a one-time link", async ({ page, browser }) => {
  await signIn(page, demoUser("admin"));
  await page.goto("/admin/users");
  const email = `${unique("invitee")}@example.com`;
  const form = page.getByRole("form", { name: "Add a user" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Name").fill("Ivy Invitee");
  await form.getByLabel("Role").selectOption("viewer");
  await form.getByRole("button", { name: "Add user" }).click();
  const link = (await page.getByTestId("invitation-link").textContent())!;
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/invite\/[A-Za-z0-9_-]{43}$/);
  await page.goto("/admin/users?q=" + encodeURIComponent(email));
  await expect(page.getByRole("row", { name: new RegExp(email) })).toContainText("invited");

  const context = await browser.newContext();
  const invitee = await context.newPage();
  await invitee.goto(link);
  await expect(invitee.getByText(`Choose a password for ${email}`)).toBeVisible();
  await expectAccessible(invitee, "invitation page");
  await invitee.getByLabel("New password").fill("my-own-password-1");
  await invitee.getByLabel("Repeat the password").fill("my-own-password-2");
  await invitee.getByRole("button", { name: "Set password" }).click();
  await expect(invitee.getByText("The passwords do not match")).toBeVisible();
  await invitee.getByLabel("Repeat the password").fill("my-own-password-1");
  await invitee.getByRole("button", { name: "Set password" }).click();
  await expect(invitee.getByText("Your password is set. Sign in with your email and new password.")).toBeVisible();
  await signIn(invitee, email, "my-own-password-1");
  await expect(invitee.getByTestId("signed-in-user")).toContainText("Ivy Invitee");

  // The link is used up.
  await invitee.goto(link);
  await expect(invitee.getByText("This link cannot be used")).toBeVisible();
  await expect(invitee.getByText(/already been used or replaced/)).toBeVisible();
  await context.close();
});

test("a new invitation link replaces the old one, and a forged link is refused", async ({ page }) => {
  await signIn(page, demoUser("admin"));
  const res = await page.request.post("/api/v1/users", { data: { email: `${unique("twice")}@example.com`, name: "Twice Invited" } });
  expect(res.status()).toBe(201);
  const user = await res.json();
  expect(user).toMatchObject({ invited: true, invitation: { url: expect.stringMatching(/\/invite\//) } });

  await page.goto(`/admin/users/${user.id}`);
  await page.getByRole("button", { name: "New invitation link" }).click();
  const fresh = (await page.getByTestId("invitation-link").textContent())!;
  expect(fresh).not.toBe(user.invitation.url);

  await page.goto(new URL(user.invitation.url).pathname);
  await expect(page.getByText(/already been used or replaced/)).toBeVisible();
  await page.goto(new URL(fresh).pathname);
  await expect(page.getByRole("form", { name: "Choose your password" })).toBeVisible();
  await page.goto("/invite/not-a-real-token");
  await expect(page.getByText(/not valid/)).toBeVisible();
});
