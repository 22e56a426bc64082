import { expect, test } from "@playwright/test";
import { demoUser, sessionFor } from "../support/api";
import { expectAccessible, signIn } from "../support/browser";
import { createModel, versionBody } from "../support/registry";

test("an admin edits a policy: sees an error at its line, fixes it, reviews the diff, saves with a comment; the readiness panel changes", async ({ page, baseURL }) => {
  // A model of its own, so other tests' demo data stays as it is.
  const engineer = await sessionFor(baseURL!, demoUser("engineer"));
  const model = await createModel(engineer);
  await engineer.post(`/api/v1/models/${model.name}/versions`, { data: versionBody() });
  await engineer.post(`/api/v1/models/${model.name}/versions/1/reports`, { data: { kind: "offline-metrics", payload: { dataset: { name: "holdout" }, metrics: { auc: 0.91 } } } });
  await engineer.dispose();

  await signIn(page, demoUser("admin"));
  await page.goto(`/models/${model.name}/versions/1`);
  const staging = page.getByRole("list", { name: "Gates for staging" });
  await expect(staging).toContainText("lineage");
  await expect(staging).not.toContainText("AUC is 0.91");

  await page.goto(`/models/${model.name}`);
  await page.getByRole("link", { name: "Promotion policy" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${model.name} policy`);
  await expectAccessible(page, "policy page");
  const editor = page.getByLabel("Policy YAML");
  await editor.fill("stages:\n  staging:\n    gates:\n      - id: auc\n        type: metric\n        metric: auc\n        min: high\n");
  await page.getByRole("button", { name: "Check" }).click();
  const problems = page.getByRole("alert").filter({ hasText: "The policy has" });
  await expect(problems).toContainText("The policy has 1 problem");
  await expect(problems).toContainText("stages.staging.gates[0].min: Expected a number");
  await problems.getByRole("button", { name: "Line 7, column 14" }).click();
  await expect(editor).toBeFocused();

  await editor.fill("stages:\n  staging:\n    gates:\n      - id: auc\n        type: metric\n        metric: auc\n        min: 0.95\n        onFail: Retrain with the merchant features.\n");
  await page.getByRole("button", { name: "Review changes" }).click();
  const review = page.getByRole("region", { name: "Review and save" });
  await expect(review).toContainText("Changes against version 0");
  await expect(review.getByRole("region", { name: "Changes against version 0" })).toContainText("added: min: 0.95");
  const save = review.getByRole("button", { name: "Save as version 1" });
  await expect(save).toBeDisabled();
  await review.getByLabel("Why does the policy change?").fill("Staging needs AUC 0.95 after the Q4 review");
  await save.click();
  await expect(page.getByRole("status").filter({ hasText: "Saved as version" })).toContainText("Saved as version 1.");
  await expect(page.getByRole("table", { name: "Policy versions" }).getByRole("row", { name: /v1 \(in force\)/ })).toContainText("Staging needs AUC 0.95 after the Q4 review");

  await page.getByRole("link", { name: "Changes in v1" }).click();
  await expect(page.getByRole("region", { name: "Policy v0 (inherits the default) → v1" })).toContainText("added: min: 0.95");

  await page.goto(`/models/${model.name}/versions/1`);
  await expect(page.getByText(`${model.name}'s policy v1`)).toBeVisible();
  await expect(staging).toContainText("AUC is 0.91, below the required minimum of 0.95.");
  await expect(staging).toContainText("Retrain with the merchant features.");
  await expectAccessible(page, "version page with readiness");
});

test("readiness shows each demo outcome in plain words; a viewer cannot edit policies", async ({ page }) => {
  await signIn(page, demoUser("viewer"));
  await page.goto("/models/fraud-detector/versions/5");
  await expect(page.getByRole("list", { name: "Gates for staging" })).toContainText("Data drifted on 1 critical feature: amount");
  await page.goto("/models/credit-risk/versions/3");
  await expect(page.getByRole("list", { name: "Gates for production" })).toContainText("The parity ratio across age_band is 0.5789");
  await page.goto("/models/churn-predictor/versions/2");
  await expect(page.getByRole("list", { name: "Gates for staging" })).toContainText("No tests report is attached");
  await page.goto("/policies");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Organisation default policy");
  await expect(page.getByLabel("Policy YAML")).toHaveCount(0);
  await expect(page.getByText("Only admins change policies")).toBeVisible();
  await expect(page.getByRole("region", { name: "Policy v0 (built in)" })).toContainText("mandatory: true");
});
