import { expect, test } from "@playwright/test";
import { demoUser, sessionFor, unique } from "../support/api";
import { expectAccessible, signIn } from "../support/browser";
import { startFakeMlflow, type FakeMlflow } from "../support/fake-mlflow";
import { sha, STAGING_REPORTS } from "../support/registry";

let mlflow: FakeMlflow;
test.beforeAll(async () => {
  mlflow = await startFakeMlflow();
});
test.afterAll(async () => mlflow.close());

test("an admin connects a model to MLflow, imports, sees drift on the model page and pushes Gatehouse's aliases back; the request page shows the MLflow outcome", async ({ page, baseURL }) => {
  const engineer = await sessionFor(baseURL!, demoUser("engineer"));
  const name = unique("mlfb");
  expect((await engineer.post("/api/v1/models", { data: { name, team: "payments", description: "Governed in MLflow" } })).status()).toBe(201);
  mlflow.addModel(name);
  for (const version of [1, 2]) {
    mlflow.addVersion(name, {
      version,
      source: `s3://models/${name}/${version}`,
      tags: [
        { key: "mlflow.source.git.commit", value: sha() },
        { key: "gatehouse.data.hash", value: `sha256:${sha()}` },
        { key: "gatehouse.feature_set.name", value: "fraud-features" },
        { key: "gatehouse.feature_set.version", value: "12" },
      ],
    });
  }

  await signIn(page, demoUser("admin"));
  await page.goto(`/models/${name}`);
  await page.getByRole("link", { name: "Connect to MLflow" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("MLflow connector");
  await expect(page.getByText(`${name} is not connected to MLflow`)).toBeVisible();
  const form = page.getByRole("form", { name: "MLflow connection" });
  // A bad URL is reported at its field, and nothing is saved.
  await form.getByLabel("MLflow tracking URI").fill("mlflow.example.com");
  await form.getByRole("button", { name: "Connect to MLflow" }).click();
  await expect(form.getByText("an http(s) URL")).toBeVisible();
  await form.getByLabel("MLflow tracking URI").fill(mlflow.url);
  await form.getByLabel("MLflow token").fill(mlflow.token!);
  await form.getByLabel("Reason (recorded in the audit log)").fill("Govern the MLflow model from Gatehouse");
  await form.getByRole("button", { name: "Connect to MLflow" }).click();
  await expect(form.getByRole("status")).toContainText("Saved");
  await expect(page.getByText("A token is stored (never shown)")).toBeVisible();
  await expectAccessible(page, "the MLflow connector page");

  await page.getByRole("button", { name: "Import now" }).click();
  // This import, or the scheduled one a new connection runs at once, brought versions 1 and 2.
  await expect(page.getByRole("form", { name: "Import from MLflow now" }).getByRole("status")).toContainText(/Imported versions 1, 2\.|2 already imported/);
  await page.getByRole("link", { name: name }).first().click();
  await expect(page.getByRole("table", { name: `Versions of ${name}` }).getByRole("link", { name: "v2" })).toBeVisible();
  await expect(page.getByText(`Governs ${name} at`)).toBeVisible();

  // A promotion applied in Gatehouse is made in MLflow; its page says so.
  for (const report of STAGING_REPORTS) expect((await engineer.post(`/api/v1/models/${name}/versions/2/reports`, { data: report })).status()).toBe(201);
  const request = await (await engineer.post("/api/v1/promotions", { data: { model: name, version: 2, stage: "staging", justification: "Imported from MLflow; gates are green." } })).json();
  await expect.poll(() => mlflow.aliases(name).staging, { timeout: 20_000 }).toBe(2);
  await page.goto(`/promotions/${request.id}`);
  const inMlflow = page.getByRole("list", { name: "Alias moves in MLflow" });
  await expect(inMlflow).toContainText("set in MLflow");
  await expect(inMlflow).toContainText("@staging → v2: done");

  // Someone moves the alias in MLflow by hand: the next import finds the drift, and the model page raises it.
  mlflow.setAlias(name, "staging", 1);
  await page.goto(`/models/${name}`);
  await page.getByRole("button", { name: "Import now" }).click();
  const alert = page.getByRole("alert").filter({ hasText: "MLflow's aliases have drifted from Gatehouse's" });
  await expect(alert).toContainText("@staging points at version 1 in MLflow, version 2 in Gatehouse");
  // The push says what it will change in MLflow before it does.
  page.once("dialog", async (dialog) => {
    expect(dialog.message()).toContain("@staging: set to version 2");
    await dialog.accept();
  });
  const push = page.getByRole("form", { name: "Push Gatehouse's aliases to MLflow" });
  await push.getByRole("button", { name: "Push Gatehouse's aliases to MLflow" }).click();
  await expect(push.getByRole("status")).toContainText("Queued for MLflow: @staging");
  await expect.poll(() => mlflow.aliases(name).staging, { timeout: 20_000 }).toBe(2);
  // The form still shows the last import's message (with its drift) until the new one answers.
  await page.getByRole("button", { name: "Import now" }).click();
  await expect(page.getByRole("form", { name: "Import from MLflow now" }).getByRole("status")).not.toContainText("Drift");
  await page.reload();
  await expect(page.getByText("MLflow's aliases have drifted")).toHaveCount(0);
  await engineer.dispose();
});
