import { expect, test } from "@playwright/test";
import { demoUser, unique } from "../support/api";
import { signIn } from "../support/browser";

// The demo registry seeded by `npm test`: fraud-detector (regulated, v1–v4, @champion v3, @challenger v4),
// credit-risk (regulated, v3 not reproducible), recsys-ranker and churn-predictor.

test("browse models → model → version, with every report kind rendered", async ({ page }) => {
  await signIn(page, demoUser("viewer"));
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Models" }).click();
  const table = page.getByRole("table", { name: "Models" });
  await expect(table.getByRole("row", { name: /fraud-detector/ })).toContainText("@champion → v3");
  await table.getByRole("link", { name: "fraud-detector" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("fraud-detector");
  await expect(page.getByRole("list", { name: "Current aliases" })).toContainText("@challenger → v4");
  await page.getByRole("table", { name: "Versions of fraud-detector" }).getByRole("link", { name: "v4" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("fraud-detector v4");
  for (const kind of ["offline-metrics", "tests", "data-validation", "drift", "fairness", "latency", "security-scan", "observability", "custom"]) {
    await expect(page.getByRole("heading", { level: 3, name: kind, exact: true })).toBeVisible();
  }
  await expect(page.getByRole("table", { name: "Per-group rates" })).toContainText("18-29");
  await expect(page.getByRole("table", { name: "Drift per feature" })).toContainText("amount");
  await expect(page.getByRole("button", { name: "Copy Commit SHA" })).toBeVisible();
  await page.getByText("Raw JSON").first().click();
  await expect(page.locator("details[open] pre").first()).toContainText('"metrics"');
});

test("a version without its full lineage is flagged not reproducible, saying what is missing", async ({ page }) => {
  await signIn(page, demoUser("viewer"));
  await page.goto("/models/credit-risk/versions/3");
  await expect(page.getByText("not reproducible").first()).toBeVisible();
  await expect(page.getByText("its data snapshot hash is not recorded")).toBeVisible();
  await page.goto("/models/credit-risk");
  await expect(page.getByRole("row", { name: /v3/ })).toContainText("not reproducible");
});

test("compare challenger against champion: deltas marked better or worse by sign and icon, differences flagged", async ({ page }) => {
  await signIn(page, demoUser("viewer"));
  await page.goto("/models/fraud-detector");
  await page.getByRole("link", { name: "Compare challenger with champion" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("fraud-detector: v4 (@challenger) against v3 (@champion)");
  const metrics = page.getByRole("table", { name: "Offline metrics compared" });
  await expect(metrics.getByRole("row", { name: /^auc/ })).toContainText("▲ better");
  await expect(metrics.getByRole("row", { name: /^log_loss/ })).toContainText("-0.006");
  await expect(metrics.getByRole("row", { name: /^log_loss/ })).toContainText("▲ better");
  const diff = page.getByRole("table", { name: "Lineage and environment compared" });
  await expect(diff.getByRole("row", { name: /Accelerator/ })).toContainText("≠ differs");
  await expect(diff.getByRole("row", { name: /Runtime/ })).toContainText("same");

  await page.getByLabel("Version", { exact: true }).selectOption("1");
  await page.getByRole("button", { name: "Compare" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("fraud-detector: v1 against v3 (@champion)");
  await expect(page.getByRole("table", { name: "Offline metrics compared" }).getByRole("row", { name: /^auc/ })).toContainText("▼ worse");
});

test("an engineer sets and deletes an unprotected alias, and the history says who and why", async ({ page }) => {
  await signIn(page, demoUser("engineer"));
  await page.goto("/models/fraud-detector");
  const alias = unique("cand").replace(/-/g, "_");
  const form = page.getByRole("form", { name: "Set an alias" });
  await form.getByLabel("Alias", { exact: true }).fill("v2");
  await form.getByRole("button", { name: "Set alias" }).click();
  await expect(form.getByText("Names like v1, V23 are reserved for version numbers")).toBeVisible();
  await form.getByLabel("Alias", { exact: true }).fill(alias);
  await form.getByLabel("Version").selectOption("2");
  await form.getByLabel("Reason (recorded in the alias history)").fill("shadow test candidate");
  await form.getByRole("button", { name: "Set alias" }).click();
  await expect(form.getByRole("status")).toHaveText(`@${alias} now points at version 2.`);
  const aliases = page.getByRole("list", { name: "Current aliases" });
  await expect(aliases).toContainText(`@${alias} → v2`);
  const history = page.getByRole("table", { name: "Alias history" });
  await expect(history.getByRole("row", { name: new RegExp(alias) }).first()).toContainText("shadow test candidate");
  await expect(history.getByRole("row", { name: new RegExp(alias) }).first()).toContainText(demoUser("engineer"));

  page.once("dialog", (d) => void d.accept());
  await page.getByRole("button", { name: `Delete alias ${alias}` }).click();
  await expect(aliases).not.toContainText(`@${alias}`);
  await expect(history.getByRole("row", { name: new RegExp(alias) }).first()).toContainText("deleted (was v2)");
});

test("a viewer sees aliases but no alias controls", async ({ page }) => {
  await signIn(page, demoUser("viewer"));
  await page.goto("/models/fraud-detector");
  await expect(page.getByRole("list", { name: "Current aliases" })).toBeVisible();
  await expect(page.getByRole("form", { name: "Set an alias" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Delete alias/ })).toHaveCount(0);
});

test("search by commit SHA from the header finds the version", async ({ page }) => {
  await signIn(page, demoUser("viewer"));
  const v3 = await (await page.request.get("/api/v1/models/fraud-detector/versions/3")).json();
  await page.getByRole("searchbox", { name: "Search models, commits and data hashes" }).fill(v3.lineage.commitSha.slice(0, 10));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/search\?q=/);
  const results = page.getByRole("table", { name: "Versions matching by lineage" });
  await expect(results.getByRole("row", { name: /fraud-detector v3/ })).toContainText("commit");
  await results.getByRole("link", { name: "fraud-detector v3" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("fraud-detector v3");
});

test("models filter by risk tier and team, and say so when nothing matches", async ({ page }) => {
  await signIn(page, demoUser("viewer"));
  await page.goto("/models");
  await page.getByLabel("Risk tier").selectOption("regulated");
  await page.getByRole("button", { name: "Filter" }).click();
  const table = page.getByRole("table", { name: "Models" });
  await expect(table.getByRole("link", { name: "fraud-detector" })).toBeVisible();
  await expect(table.getByRole("link", { name: "credit-risk" })).toBeVisible();
  await expect(table.getByRole("link", { name: "churn-predictor" })).toHaveCount(0);
  await page.getByLabel("Team").selectOption("growth");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText("No models match these filters")).toBeVisible();
});
