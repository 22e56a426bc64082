import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { DEMO_PASSWORD, demoUser, sessionFor, unique } from "../support/api";
import { expectAccessible, signIn } from "../support/browser";

// A person of their own, so notifications other tests cause (promotions, approvals) never reach this one's bell.
async function freshViewer(baseURL: string): Promise<string> {
  const admin = await sessionFor(baseURL, demoUser("admin"));
  const email = `${unique("bell")}@example.com`;
  const res = await admin.post("/api/v1/users", { data: { email, name: "Bell Reader", password: DEMO_PASSWORD, roles: [{ role: "viewer" }] } });
  expect(res.status(), await res.text()).toBe(201);
  await admin.dispose();
  return email;
}

/**
 * Bell rows written straight into the test database (as serving.spec.ts does), standing in for the promotion
 * flows that will create them: the screens are what is tested here. Oldest first; `read` marks some read.
 */
async function insertNotifications(email: string, titles: string[], read: string[] = []) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>("SELECT id FROM users WHERE email = $1", [email]);
    const start = Date.now() - titles.length * 1_000;
    for (const [i, title] of titles.entries()) {
      await client.query(
        "INSERT INTO notifications (id, user_id, event, title, body, link, read_at, created_at) VALUES ($1, $2, 'decision.made', $3, 'Approved with a comment.', '/models', $4, $5)",
        [randomUUID(), rows[0].id, title, read.includes(title) ? new Date() : null, new Date(start + i * 1_000)],
      );
    }
  } finally {
    await client.end();
  }
}

const emailBox = (page: Page, label: string) => page.getByRole("checkbox", { name: `Email: ${label}` });
const appBox = (page: Page, label: string) => page.getByRole("checkbox", { name: new RegExp(`^In Gatehouse: ${label}`) });

test("the bell says there is nothing unread and leads to an empty list", async ({ page, baseURL }) => {
  await signIn(page, await freshViewer(baseURL!), DEMO_PASSWORD);
  const bell = page.getByRole("link", { name: "Notifications, none unread" });
  await expect(bell).toBeVisible();
  await bell.click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Notifications");
  await expect(page.getByText("No notifications yet")).toBeVisible();
  await expect(page.getByRole("button", { name: "Mark all as read" })).toBeDisabled();
  await expect(page.getByRole("link", { name: "Notifications, none unread" })).toHaveAttribute("aria-current", "page");
  await page.getByRole("link", { name: "Unread (0)" }).click();
  await expect(page.getByText("Nothing unread")).toBeVisible();
  await expectAccessible(page, "notifications (empty)");
});

test("unread notifications: counted on the bell, marked, opened, marked all read, a page at a time", async ({ page, baseURL }) => {
  const email = await freshViewer(baseURL!);
  await insertNotifications(email, ["Old and read", "Second", "Newest"], ["Old and read"]);
  await signIn(page, email, DEMO_PASSWORD);
  await page.getByRole("link", { name: "Notifications, 2 unread" }).click();
  const list = page.getByRole("list", { name: "Notifications" });
  await expect(list.getByRole("listitem")).toHaveCount(3);
  await expect(list.getByRole("listitem").first()).toContainText("Newest");
  await expect(list.getByText("Unread", { exact: true })).toHaveCount(2);
  await expectAccessible(page, "notifications with unread ones");

  await page.getByRole("button", { name: "Mark “Second” as read" }).click();
  await expect(page.getByRole("link", { name: "Notifications, 1 unread" })).toBeVisible();
  await expect(list.getByText("Unread", { exact: true })).toHaveCount(1);

  await list.getByRole("link", { name: "Newest" }).click();
  await expect(page).toHaveURL(/\/models$/);
  await expect(page.getByRole("link", { name: "Notifications, none unread" })).toBeVisible();

  const more = Array.from({ length: 27 }, (_, i) => `Batch ${String(i + 1).padStart(2, "0")}`);
  await insertNotifications(email, more);
  await page.goto("/notifications?unread=true");
  await expect(page.getByRole("list", { name: "Unread notifications" }).getByRole("listitem")).toHaveCount(25);
  await page.getByRole("link", { name: "Next page →" }).click();
  await expect(page.getByRole("list", { name: "Unread notifications" }).getByRole("listitem")).toHaveCount(2);
  await expect(page.getByRole("list", { name: "Unread notifications" })).toContainText("Batch 01");
  await page.getByRole("button", { name: "Mark all as read" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Marked 27 notifications as read." })).toBeVisible();
  await expect(page.getByRole("link", { name: "Notifications, none unread" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Mark all as read" })).toBeDisabled();
});

test("notification settings: defaults shown, changed with the keyboard, saved, and kept after a reload", async ({ page, baseURL }) => {
  await signIn(page, await freshViewer(baseURL!), DEMO_PASSWORD);
  await page.goto("/notifications");
  await page.getByRole("link", { name: "Notification settings" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Notification settings");
  await expectAccessible(page, "notification settings");

  // Approvals always reach the bell; the defaults email approvals but not decisions.
  await expect(appBox(page, "Approval needed")).toBeChecked();
  await expect(appBox(page, "Approval needed")).toBeDisabled();
  await expect(appBox(page, "Review required")).toBeDisabled();
  await expect(emailBox(page, "Approval needed")).toBeChecked();
  await expect(emailBox(page, "Decision made")).not.toBeChecked();
  await expect(appBox(page, "Promotion applied")).toBeEnabled();

  await emailBox(page, "Approval needed").focus();
  await page.keyboard.press("Space");
  await emailBox(page, "Decision made").focus();
  await page.keyboard.press("Space");
  await appBox(page, "Promotion applied").focus();
  await page.keyboard.press("Space");
  await page.getByRole("button", { name: "Save settings" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: "Saved your notification settings." })).toBeVisible();

  await page.reload();
  await expect(emailBox(page, "Approval needed")).not.toBeChecked();
  await expect(emailBox(page, "Decision made")).toBeChecked();
  await expect(appBox(page, "Promotion applied")).not.toBeChecked();
  await expect(appBox(page, "Approval needed")).toBeChecked();

  // The API reads what the form saved.
  const api = await page.request.get("/api/v1/me/notification-preferences");
  expect(api.status()).toBe(200);
  const body = await api.json();
  expect(body.preferences["approval.needed"]).toEqual({ inApp: true, email: false });
  expect(body.preferences["decision.made"]).toEqual({ inApp: true, email: true });
  expect(body.preferences["promotion.applied"]).toEqual({ inApp: false, email: false });
});

for (const scheme of ["light", "dark"] as const) {
  test(`axe finds no serious or critical problems: notifications pages, ${scheme}`, async ({ browser }) => {
    const context = await browser.newContext({ colorScheme: scheme });
    const page = await context.newPage();
    await signIn(page, demoUser("lead"));
    for (const path of ["/notifications", "/settings/notifications"]) {
      await page.goto(path);
      await page.waitForLoadState("networkidle");
      await expectAccessible(page, `${path} (${scheme})`);
    }
    await context.close();
  });
}
