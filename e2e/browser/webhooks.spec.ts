import { expect, test } from "@playwright/test";
import { loadDocumentedVerifier, startWebhookReceiver, type WebhookReceiver } from "../../lib/webhooks/testing";
import { demoUser } from "../support/api";
import { signIn } from "../support/browser";

// An admin registers an endpoint with the keyboard, copies its secret, sends a test event, redelivers it from the
// log and deletes the endpoint; a receiver on this machine checks every delivery's signature.
let receiver: WebhookReceiver;
test.beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
test.afterAll(async () => receiver.close());

test("the admin registers a webhook, sees its secret once, sends a test event and redelivers it from the log", async ({ page }) => {
  await signIn(page, demoUser("admin"));
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Webhooks");

  const form = page.getByRole("form", { name: "Register a webhook" });
  await form.getByRole("button", { name: "Register webhook" }).click();
  await expect(form.getByText("Enter the receiver's URL")).toBeVisible();
  await expect(form.getByText("Choose at least one event")).toBeVisible();
  await expect(form.getByLabel("URL")).toHaveAttribute("aria-invalid", "true");

  // From the keyboard alone: the URL, then Tab to the description and on to "Every event", Space to tick it, Enter to send.
  const url = `${receiver.url}?browser=${Date.now()}`;
  await form.getByLabel("URL").fill(url);
  await page.keyboard.press("Tab");
  await page.keyboard.type("Browser test receiver");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Space");
  await expect(form.getByRole("checkbox", { name: /Every event/ })).toBeChecked();
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Enter");

  const secret = (await page.getByTestId("webhook-secret").textContent())!.trim();
  expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByText("It is shown only this once")).toBeVisible();
  await expect(page.getByRole("button", { name: "Copy secret" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Webhooks" })).toContainText(url);

  await page.getByRole("link", { name: "Open the webhook" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(url);
  await expect(page.getByText("No deliveries yet")).toBeVisible();
  // The secret is not on the endpoint's page.
  await expect(page.getByText(secret)).toHaveCount(0);

  await page.getByRole("button", { name: "Send test event" }).click();
  await expect(page.getByText(/Test event queued/)).toBeVisible();
  const row = page.getByTestId("delivery-row").first();
  await expect(row).toContainText("webhook.test");
  // The page refreshes itself while a delivery is queued.
  await expect(row.getByText("delivered", { exact: true })).toBeVisible({ timeout: 20_000 });
  await expect(row).toContainText("HTTP 204");
  const deliveryId = (await row.locator("[title='X-Gatehouse-Delivery-Id']").textContent())!.trim();

  const verify = await loadDocumentedVerifier();
  const first = receiver.requests.filter((r) => r.deliveryId === deliveryId);
  expect(first).toHaveLength(1);
  expect(verify({ secret, headers: first[0].headers, body: first[0].body })).toBe(true);

  await row.getByRole("button", { name: `Redeliver webhook.test delivery ${deliveryId}` }).click();
  await expect(row).toContainText("redelivered 1×");
  await expect.poll(() => receiver.requests.filter((r) => r.deliveryId === deliveryId).length, { timeout: 20_000 }).toBe(2);
  await expect(row.getByText("delivered", { exact: true })).toBeVisible({ timeout: 20_000 });
  const second = receiver.requests.filter((r) => r.deliveryId === deliveryId)[1];
  expect(second.body).toBe(first[0].body);
  expect(verify({ secret, headers: second.headers, body: second.body })).toBe(true);

  // Disable, then delete.
  await page.getByRole("button", { name: "Disable" }).click();
  await expect(page.getByText("Disabled: no events are delivered")).toBeVisible();
  await expect(page.getByRole("button", { name: "Send test event" })).toBeDisabled();
  page.once("dialog", (d) => void d.accept());
  await page.getByRole("button", { name: `Delete the webhook to ${url}` }).click();
  await expect(page).toHaveURL(/\/admin\/webhooks\?deleted=1$/);
  await expect(page.getByText("The webhook was deleted.")).toBeVisible();
  await expect(page.getByRole("link", { name: url })).toHaveCount(0);
});

test("other roles see that the page is not for them", async ({ page }) => {
  await signIn(page, demoUser("lead"));
  await page.goto("/admin/webhooks");
  await expect(page.getByText("You do not have access to this page")).toBeVisible();
  await expect(page.getByText(/webhooks\.manage/)).toBeVisible();
});
