import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, demoUser, sessionFor, unique } from "../support/api";
import { expectAccessible, signIn } from "../support/browser";
import { createModel, versionBody } from "../support/registry";

// An auditor's questions, in a real browser: find a promotion by what someone wrote, open its evidence, export the log.
test("an auditor finds a promotion by comment text, opens its evidence, and exports the filtered log", async ({ page, baseURL }) => {
  const [engineer, admin, lead] = await Promise.all((["engineer", "admin", "lead"] as const).map((r) => sessionFor(baseURL!, demoUser(r))));
  const { name } = await createModel(engineer);
  await admin.put(`/api/v1/models/${name}/policy`, { data: { document: "stages:\n  staging:\n    approvals:\n      quorum: [{ role: ml-lead }]\n      electronicSignature: always\n", comment: "One signed approval for staging" } });
  await engineer.post(`/api/v1/models/${name}/versions`, { data: versionBody() });
  for (const report of [
    { kind: "tests", payload: { suites: [{ name: "unit", kind: "unit", passed: 12, failed: 0 }] } },
    { kind: "data-validation", payload: { dataset: "snapshot", checks: [{ name: "no nulls", passed: true }] } },
  ])
    await engineer.post(`/api/v1/models/${name}/versions/1/reports`, { data: report });
  const r = await (await engineer.post("/api/v1/promotions", { data: { model: name, version: 1, stage: "staging", justification: "First candidate for the staging soak." } })).json();
  const phrase = unique("checked-the-holdout-drift");
  const decided = await lead.post(`/api/v1/promotions/${r.id}/decisions`, { data: { decision: "approve", comment: `Reviewed: ${phrase} is within limits.`, password: DEMO_PASSWORD } });
  expect(decided.status()).toBe(201);
  await Promise.all([engineer, admin, lead].map((c) => c.dispose()));

  await signIn(page, demoUser("auditor"));
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Audit log");
  await expectAccessible(page, "audit log");
  const filter = page.getByRole("search", { name: "Filter the audit log" });
  await filter.getByLabel("Search comments").fill(phrase);
  await filter.getByRole("button", { name: "Apply filters" }).click();
  const table = page.getByRole("table", { name: "Audit events, newest first" });
  await expect(table.getByRole("row")).toHaveCount(2);
  await expect(table).toContainText("promotion.decide");
  await expect(table).toContainText(`Reviewed: ${phrase} is within limits.`);
  await table.getByText("Changes and hash").click();
  await expect(table.getByRole("table", { name: "Values before and after" })).toContainText("evidenceHash");

  // The filtered export holds exactly the event found.
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const csv = readFileSync(await (await download).path(), "utf8").trim().split("\r\n");
  expect(csv[0]).toBe("id,occurred_at,actor_type,actor_id,actor_label,action,target_type,target_id,team_id,reason,before,after,prev_hash,hash");
  expect(csv).toHaveLength(2);
  expect(csv[1]).toContain("promotion.decide");

  // From the event to the request, and on to its evidence.
  await table.getByRole("link", { name: new RegExp(`request #${r.number}`) }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`#${r.number} ${name} v1 → staging`);
  await page.getByRole("link", { name: "Evidence" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Evidence: request #${r.number}, ${name} v1 → staging`);
  await expect(page.getByText("verifies", { exact: true })).toBeVisible();
  await expect(page.getByRole("list", { name: "Verification checks" })).toContainText("recorded in the audit chain as it reads here, on the same evidence");
  await expect(page.getByRole("paragraph").filter({ hasText: `Reviewed: ${phrase} is within limits.` })).toBeVisible();
  await expect(page.getByRole("table", { name: "The request's audit events with their hashes" })).toContainText("alias.set");
  await expectAccessible(page, "evidence bundle");
});

test("the alias history answers which version held the alias at a time", async ({ page }) => {
  await signIn(page, demoUser("viewer"));
  await page.goto("/models/fraud-detector/aliases/staging");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("fraud-detector@staging");
  await expect(page.getByRole("status")).toContainText("Now, fraud-detector@staging pointed at v6");
  await expect(page.getByRole("table", { name: /History of fraud-detector@staging/ })).toContainText("promotion #1");
  await page.getByLabel("Time (UTC)").fill("2020-01-01T00:00:00");
  await page.getByRole("button", { name: "Look up" }).click();
  await expect(page.getByRole("status")).toContainText("pointed at no version (it had not been set yet)");
});
