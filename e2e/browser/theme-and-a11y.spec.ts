import { expect, test } from "@playwright/test";
import { demoUser } from "../support/api";
import { expectAccessible, signIn } from "../support/browser";

test("dark mode follows the system and the toggle overrides it, remembered across reloads", async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: "dark" });
  const page = await context.newPage();
  await page.goto("/signin");
  await expect(page.locator("html")).toHaveClass(/dark/);
  await signIn(page, demoUser("viewer"));
  const toggle = page.getByTestId("theme-toggle");
  await expect(toggle).toHaveText(/Theme: System/);
  await toggle.click();
  await expect(toggle).toHaveText(/Theme: Light/);
  await expect(page.locator("html")).not.toHaveClass(/dark/);
  await toggle.click();
  await expect(toggle).toHaveText(/Theme: Dark/);
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await expect(page.getByTestId("theme-toggle")).toHaveText(/Theme: Dark/);
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).not.toBe("rgb(248, 250, 252)"); // not the light theme's slate-50
  await context.close();
});

test("times show in the viewer's zone with the UTC time on hover", async ({ browser }) => {
  const context = await browser.newContext({ timezoneId: "Asia/Tokyo", locale: "en-GB" });
  const page = await context.newPage();
  await signIn(page, demoUser("admin"));
  await page.goto("/admin/teams");
  const time = page.locator("time").first();
  await expect(time).toHaveAttribute("title", /UTC$/);
  await expect(time).toContainText(/GMT\+9|JST/);
  await context.close();
});

const pages: { path: string; who: "admin" | "viewer" | "engineer" | "lead" | "auditor" | null; label: string }[] = [
  { path: "/signin", who: null, label: "sign-in" },
  { path: "/", who: "viewer", label: "overview (viewer)" },
  { path: "/", who: "admin", label: "overview (admin)" },
  { path: "/admin/users", who: "admin", label: "users" },
  { path: "/admin/teams", who: "admin", label: "teams" },
  { path: "/admin/tokens", who: "admin", label: "tokens" },
  { path: "/admin/webhooks", who: "admin", label: "webhooks" },
  { path: "/admin/users", who: "viewer", label: "forbidden page" },
  { path: "/no-such-page", who: "viewer", label: "not found" },
  { path: "/models", who: "viewer", label: "models" },
  { path: "/models/fraud-detector", who: "engineer", label: "model (with alias controls)" },
  { path: "/models/fraud-detector/versions/4", who: "viewer", label: "version with every report kind" },
  { path: "/models/fraud-detector/compare", who: "viewer", label: "compare" },
  { path: "/search?q=fraud", who: "viewer", label: "search" },
  { path: "/policies", who: "admin", label: "organisation policy (editor)" },
  { path: "/models/credit-risk/policy?from=0&to=1", who: "viewer", label: "policy diff" },
  { path: "/promotions", who: "viewer", label: "promotion requests" },
  { path: "/promotions/2", who: "lead", label: "promotion request awaiting the viewer's decision (demo #2)" },
  { path: "/promotions/4", who: "viewer", label: "blocked promotion request (demo #4)" },
  { path: "/approvals", who: "lead", label: "approvals inbox" },
  { path: "/models/fraud-detector/versions/6", who: "engineer", label: "version with the request form" },
  { path: "/audit", who: "auditor", label: "audit log" },
  { path: "/promotions/1/evidence", who: "auditor", label: "evidence bundle (demo #1)" },
  { path: "/models/fraud-detector/aliases/staging", who: "viewer", label: "alias history" },
  { path: "/rollouts", who: "viewer", label: "rollouts" },
  { path: "/incidents", who: "viewer", label: "incidents" },
];

for (const scheme of ["light", "dark"] as const) {
  for (const p of pages) {
    test(`axe finds no serious or critical problems: ${p.label}, ${scheme}`, async ({ browser }) => {
      const context = await browser.newContext({ colorScheme: scheme });
      const page = await context.newPage();
      if (p.who) await signIn(page, demoUser(p.who));
      await page.goto(p.path);
      await page.waitForLoadState("networkidle");
      await expectAccessible(page, `${p.label} (${scheme})`);
      await context.close();
    });
  }
}

test("axe finds no serious or critical problems on a user's page", async ({ page }) => {
  await signIn(page, demoUser("admin"));
  await page.goto(`/admin/users?q=${demoUser("lead")}`);
  await page.getByRole("link", { name: demoUser("lead") }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Lee Lead");
  await expectAccessible(page, "user detail");
});

for (const scheme of ["light", "dark"] as const) {
  test(`axe finds no serious or critical problems on a webhook's page with its delivery log, ${scheme}`, async ({ browser }) => {
    const context = await browser.newContext({ colorScheme: scheme });
    const page = await context.newPage();
    await signIn(page, demoUser("admin"));
    // Nothing listens on port 9: the test event's delivery fails and waits for its retry, filling every column.
    const created = await page.request.post("/api/v1/webhooks", { data: { url: `http://127.0.0.1:9/a11y-${scheme}`, events: ["promotion.applied"] } });
    expect(created.status()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await page.request.post(`/api/v1/webhooks/${id}/test`)).status()).toBe(202);
    await page.goto(`/admin/webhooks/${id}`);
    await expect(page.getByTestId("delivery-row").first()).toContainText("ECONNREFUSED");
    await expectAccessible(page, `webhook detail (${scheme})`);
    await page.request.delete(`/api/v1/webhooks/${id}`);
    await context.close();
  });
}
