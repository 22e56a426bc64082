import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { DEMO_PASSWORD, demoUser, sessionFor } from "../support/api";
import { expectAccessible, signIn } from "../support/browser";
import { createModel, versionBody } from "../support/registry";

// The heart of Gatehouse, in a real browser: an engineer asks, an ML Lead approves, a compliance officer signs, the
// alias moves, and an ML Lead rolls it back.
const POLICY = "stages:\n  staging:\n    approvals:\n      quorum: [{ role: ml-lead }, { role: compliance-officer }]\n      electronicSignature: always\n";
const REPORTS = [
  { kind: "tests", payload: { suites: [{ name: "unit", kind: "unit", passed: 12, failed: 0 }] } },
  { kind: "data-validation", payload: { dataset: "snapshot", checks: [{ name: "no nulls", passed: true }] } },
  { kind: "offline-metrics", payload: { dataset: { name: "holdout" }, metrics: { auc: 0.91 } } },
];

async function version(api: APIRequestContext, name: string, n: number, auc: number) {
  expect((await api.post(`/api/v1/models/${name}/versions`, { data: versionBody() })).status()).toBe(201);
  for (const r of REPORTS) {
    const report = r.kind === "offline-metrics" ? { ...r, payload: { ...r.payload, metrics: { auc } } } : r;
    expect((await api.post(`/api/v1/models/${name}/versions/${n}/reports`, { data: report })).status()).toBe(201);
  }
}

async function as(browser: Browser, who: "engineer" | "lead" | "compliance"): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, demoUser(who));
  return page;
}

async function decide(page: Page, id: string, comment: string, completes = false) {
  await page.goto(`/promotions/${id}`);
  await page.getByRole("button", { name: "Decide…" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("If approved and the quorum is complete:");
  await dialog.getByLabel("Approve").check();
  await dialog.getByLabel(/^Comment/).fill(comment);
  await dialog.getByLabel("Password (electronic signature)").fill(DEMO_PASSWORD);
  await dialog.getByRole("button", { name: "Sign and record decision" }).click();
  // The page reloads with the outcome (the decision that completes the quorum also closes the request).
  await expect(page.getByRole("status").filter({ hasText: "Your decision is recorded." })).toContainText(completes ? "The request is applied" : "The request is awaiting approval");
}

test("engineer requests, ML Lead approves, compliance officer signs, the alias moves, an ML Lead rolls it back", async ({ browser, baseURL }) => {
  const [engineerApi, adminApi, leadApi, complianceApi] = await Promise.all((["engineer", "admin", "lead", "compliance"] as const).map((r) => sessionFor(baseURL!, demoUser(r))));
  const { name } = await createModel(engineerApi, { riskTier: "regulated" });
  expect((await adminApi.put(`/api/v1/models/${name}/policy`, { data: { document: POLICY, comment: "Two signed approvals for staging" } })).status()).toBe(200);
  await version(engineerApi, name, 1, 0.9);
  // v1 reaches @staging through the same flow (by API), so there is a holder to roll back to.
  const first = await (await engineerApi.post("/api/v1/promotions", { data: { model: name, version: 1, stage: "staging", justification: "First candidate for the staging soak." } })).json();
  for (const api of [leadApi, complianceApi]) expect((await api.post(`/api/v1/promotions/${first.id}/decisions`, { data: { decision: "approve", comment: "Reviewed the evidence; approving v1.", password: DEMO_PASSWORD } })).status()).toBe(201);
  await version(engineerApi, name, 2, 0.93);

  // The engineer asks from the version page.
  const engineer = await as(browser, "engineer");
  await engineer.goto(`/models/${name}/versions/2`);
  const form = engineer.getByRole("form", { name: "Request a promotion" });
  await form.getByLabel("Target stage").selectOption("staging");
  await form.getByLabel("Justification").fill("AUC 0.93 against 0.90; same features and runtime.");
  await form.getByRole("button", { name: "Request promotion" }).click();
  await expect(engineer.getByRole("heading", { level: 1 })).toContainText(`${name} v2 → staging`);
  await expect(engineer.getByText(`${name}@staging moves from v1 to v2`).first()).toBeVisible();
  await expect(engineer.getByText("Awaiting approval", { exact: true })).toBeVisible();
  const id = engineer.url().split("/").pop()!;
  await expect(engineer.getByRole("button", { name: "Decide…" })).toHaveCount(0);
  await expectAccessible(engineer, "promotion request page");

  // The ML Lead hears of it (the bell), finds it in the inbox and approves with a comment and a signature.
  const { number } = await (await engineerApi.get(`/api/v1/promotions/${id}`)).json();
  const lead = await as(browser, "lead");
  await lead.goto("/notifications");
  await expect(lead.getByText(`Approval needed: #${number} ${name} v2 to staging (@staging)`)).toBeVisible();
  await lead.goto("/approvals");
  const waiting = lead.getByRole("table", { name: "Requests waiting for my decision" });
  await expect(waiting).toContainText(`${name} v2 → staging`);
  await expect(waiting).toContainText("ml-lead");
  await expectAccessible(lead, "approvals inbox");
  await decide(lead, id, "Offline AUC up 0.03, lineage complete, tests pass.");
  await expect(lead.getByRole("list", { name: "Decisions" })).toContainText("counts as ml-lead");
  await expect(lead.getByRole("list", { name: "Decisions" })).toContainText("Signed (approved)");

  // The compliance officer signs; the quorum is complete and the alias moves.
  const compliance = await as(browser, "compliance");
  await decide(compliance, id, "Fairness and data provenance reviewed; compliant.", true);
  await expect(compliance.getByText(`${name}@staging moved from v1 to v2`).first()).toBeVisible();
  expect((await (await engineerApi.get(`/api/v1/models/${name}/aliases/staging`)).json()).version).toBe(2);

  // The ML Lead rolls it back from the model page.
  await lead.goto(`/models/${name}`);
  await lead.getByRole("button", { name: "Roll back" }).click();
  const dialog = lead.getByRole("dialog");
  await dialog.getByLabel(/^Why/).fill("Latency p95 doubled in staging after the switch.");
  await dialog.getByRole("button", { name: "Roll back" }).click();
  await expect(dialog.getByRole("status")).toContainText(`${name}@staging rolled back from v2 to v1`);
  expect((await (await engineerApi.get(`/api/v1/models/${name}/aliases/staging`)).json()).version).toBe(1);
  await lead.goto(`/promotions/${id}`);
  await expect(lead.getByText("Rolled back", { exact: true })).toBeVisible();

  await Promise.all([engineerApi, adminApi, leadApi, complianceApi].map((c) => c.dispose()));
});

test("a decision without a real comment, or with a wrong password, is refused in the dialog and nothing is recorded", async ({ browser, baseURL }) => {
  const [engineerApi, adminApi] = await Promise.all((["engineer", "admin"] as const).map((r) => sessionFor(baseURL!, demoUser(r))));
  const { name } = await createModel(engineerApi, { riskTier: "regulated" });
  await adminApi.put(`/api/v1/models/${name}/policy`, { data: { document: POLICY, comment: "Two signed approvals for staging" } });
  await version(engineerApi, name, 1, 0.9);
  const r = await (await engineerApi.post("/api/v1/promotions", { data: { model: name, version: 1, stage: "staging", justification: "First candidate for the staging soak." } })).json();

  const lead = await as(browser, "lead");
  await lead.goto(`/promotions/${r.id}`);
  await lead.getByRole("button", { name: "Decide…" }).click();
  const dialog = lead.getByRole("dialog");
  await expect(dialog.getByRole("heading", { name: `Decide on request #${r.number}` })).toBeVisible();
  await expectAccessible(lead, "decision dialog");
  await dialog.getByLabel(/^Comment/).fill("lgtm!!!");
  await dialog.getByLabel("Password (electronic signature)").fill(DEMO_PASSWORD);
  await dialog.getByRole("button", { name: "Sign and record decision" }).click();
  await expect(dialog.getByText(/at least 20 characters/)).toBeVisible();
  await dialog.getByLabel(/^Comment/).fill("Reviewed everything and it looks right.");
  await dialog.getByLabel("Password (electronic signature)").fill("not my password");
  await dialog.getByRole("button", { name: "Sign and record decision" }).click();
  await expect(dialog.getByRole("alert").first()).toContainText("The password is not correct");
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toBeHidden();
  await expect(lead.getByRole("button", { name: "Decide…" })).toBeFocused();
  expect((await (await engineerApi.get(`/api/v1/promotions/${r.id}`)).json()).decisions).toEqual([]);
  await Promise.all([engineerApi, adminApi].map((c) => c.dispose()));
});
