import { expect, test, type APIRequestContext } from "@playwright/test";
import pg from "pg";
import { demoUser, sessionFor } from "../support/api";
import { expectAccessible, signIn } from "../support/browser";
import { createModel, versionBody } from "../support/registry";

// A production-style rollout as people meet it on the request page: where it is, why, and its timeline.
const DIRECT = "stages:\n  staging:\n    approvals:\n      quorum: []\n";
const CANARY = `${DIRECT}    rollout:\n      strategy: canary\n      canary:\n        steps:\n          - { percent: 10, hold: 1h }\n          - { percent: 100, hold: 1h }\n      minSamples: 5\n      criteria:\n        - { metric: latency_p95_ms, kind: percentile, direction: lower, advance: { relative: 10 }, rollback: { max: 250 } }\n`;
const REPORTS = [
  { kind: "tests", payload: { suites: [{ name: "unit", kind: "unit", passed: 12, failed: 0 }] } },
  { kind: "data-validation", payload: { dataset: "snapshot", checks: [{ name: "no nulls", passed: true }] } },
];

/** A model with v1 on @staging and v2 rolling out as a canary; returns the request and the rollout. */
async function canaryRollout(engineerApi: APIRequestContext, adminApi: APIRequestContext) {
  const { name } = await createModel(engineerApi);
  const put = async (document: string) => expect((await adminApi.put(`/api/v1/models/${name}/policy`, { data: { document, comment: "Staging without approvals for this test" } })).status()).toBe(200);
  await put(DIRECT);
  for (const n of [1, 2]) {
    expect((await engineerApi.post(`/api/v1/models/${name}/versions`, { data: versionBody() })).status()).toBe(201);
    for (const r of REPORTS) expect((await engineerApi.post(`/api/v1/models/${name}/versions/${n}/reports`, { data: r })).status()).toBe(201);
  }
  const first = await (await engineerApi.post("/api/v1/promotions", { data: { model: name, version: 1, stage: "staging", justification: "First candidate for the staging soak." } })).json();
  expect(first.status).toBe("applied");
  await put(CANARY);
  const request = await (await engineerApi.post("/api/v1/promotions", { data: { model: name, version: 2, stage: "staging", justification: "Second candidate, rolled out as a canary." } })).json();
  expect(request.status).toBe("rolling-out");
  const rollout = (await (await engineerApi.get(`/api/v1/rollouts?model=${name}`)).json()).items[0] as { id: string; number: number };
  return { name, request, rollout };
}

test("a request that rolls out shows its rollout: status, traffic, step and timeline", async ({ browser, baseURL }) => {
  const [engineerApi, adminApi] = await Promise.all((["engineer", "admin"] as const).map((r) => sessionFor(baseURL!, demoUser(r))));
  const { name, request } = await canaryRollout(engineerApi, adminApi);
  const page = await (await browser.newContext()).newPage();
  await signIn(page, demoUser("lead"));
  await page.goto(`/promotions/${request.id}`);
  const section = page.getByRole("region", { name: "Rollout" });
  await expect(section).toContainText("Running");
  await expect(section).toContainText(/Rollout \d+: canary, canary 10%/);
  await expect(section).toContainText("canary 10% (step 1 of 2)");
  await expect(section.getByRole("list", { name: "Rollout timeline" })).toContainText(`canary rollout of ${name} v2 against v1 started at canary 10%`);
  await expectAccessible(page, "promotion request page with a rollout");
  await Promise.all([engineerApi, adminApi].map((c) => c.dispose()));
});

test("an ML Lead pauses and resumes a rollout; a breach rolls it back with an incident, acknowledged and resolved", async ({ browser, baseURL }) => {
  const [engineerApi, adminApi] = await Promise.all((["engineer", "admin"] as const).map((r) => sessionFor(baseURL!, demoUser(r))));
  const { name, rollout } = await canaryRollout(engineerApi, adminApi);
  const page = await (await browser.newContext()).newPage();
  await signIn(page, demoUser("lead"));
  await page.goto(`/rollouts/${rollout.number}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Rollout ${rollout.number}: ${name} v2 against v1`);
  await expect(page.getByRole("list", { name: "Rollout steps" })).toContainText("canary 10%");
  await expect(page.getByRole("combobox", { name: "Metric" })).toHaveValue("latency_p95_ms");
  await expectAccessible(page, "rollout page");

  await page.getByRole("button", { name: "Pause" }).click();
  await page.getByRole("dialog").getByLabel(/^Comment/).fill("Pausing while the feature store is migrated.");
  await page.getByRole("dialog").getByRole("button", { name: "Pause" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Paused." })).toBeVisible();
  await expect(page.getByText("Paused", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Resume" }).click();
  await page.getByRole("dialog").getByLabel(/^Comment/).fill("Feature store migrated; resuming the canary.");
  await page.getByRole("dialog").getByRole("button", { name: "Resume" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Resumed." })).toBeVisible();
  await expect(page.getByRole("list", { name: "Rollout timeline" })).toContainText("resumed");

  // Half an hour of live traffic, as if the rollout had started then: the challenger's latency breaks the rollback bound.
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query("UPDATE rollouts SET started_at = started_at - interval '30 minutes', step_started_at = step_started_at - interval '30 minutes' WHERE id = $1", [rollout.id]);
  } finally {
    await client.end();
  }
  const minutes = (challenger: number) =>
    Array.from({ length: 20 }, (_, i) => {
      const timestamp = new Date(Date.now() - (20 - i) * 60_000).toISOString();
      return [{ version: 1, metric: "latency_p95_ms", timestamp, value: 120 + (i % 3) }, { version: 2, metric: "latency_p95_ms", timestamp, value: challenger + (i % 3) }];
    }).flat();
  const judgedAt = async () => (await (await engineerApi.get(`/api/v1/rollouts/${rollout.id}`)).json()).judgedAt as string | null;
  // Healthy at first: the running rollout is judged and charted, both versions against the thresholds.
  const before = await judgedAt();
  expect((await engineerApi.post(`/api/v1/models/${name}/metrics`, { data: { items: minutes(122) } })).status()).toBe(200);
  await expect.poll(judgedAt, { timeout: 30_000 }).not.toBe(before);
  await page.goto(`/rollouts/${rollout.number}`);
  const running = page.getByTestId("metric-chart");
  await expect(running.locator("path.recharts-line-curve")).toHaveCount(2);
  for (const path of await running.locator("path.recharts-line-curve").all()) expect(((await path.getAttribute("d")) ?? "").split(/[LC]/).length).toBeGreaterThan(10);
  await expect(running).toContainText("rollback: at most 250");
  await expect(page.getByRole("figure", { name: "Challenger traffic (%)" }).locator("path.recharts-line-curve")).toHaveCount(1);
  await expect(page.getByRole("table", { name: "Latest verdict per metric" })).toContainText("latency_p95_ms");
  await page.screenshot({ path: test.info().outputPath("rollout-page.png"), fullPage: true });
  // Then the challenger's latency breaks the rollback bound.
  expect((await engineerApi.post(`/api/v1/models/${name}/metrics`, { data: { items: minutes(400) } })).status()).toBe(200);
  await expect.poll(async () => (await (await engineerApi.get(`/api/v1/rollouts/${rollout.id}`)).json()).status, { timeout: 30_000 }).toBe("rolled-back");

  await page.goto(`/rollouts/${rollout.number}`);
  await expect(page.getByText("Rolled back", { exact: true })).toBeVisible();
  await expect(page.getByTestId("metric-chart").locator(".recharts-reference-line")).not.toHaveCount(0);
  await page.getByRole("link", { name: /^Incident \d+/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("latency_p95_ms breached during the rollout");
  await expect(page.getByRole("list", { name: "Breached criteria" })).toContainText("latency_p95_ms");
  await expect(page.getByTestId("evidence-chart").locator("path.recharts-line-curve")).toHaveCount(2);
  await page.getByText("Show as table").first().click();
  await expect(page.getByRole("table", { name: /latency_p95_ms: challenger and champion/ })).toContainText(/26[123]/);
  await expectAccessible(page, "incident page");
  await page.getByRole("button", { name: "Acknowledge" }).click();
  await page.getByRole("dialog").getByLabel(/^Comment/).fill("Looking at the latency of the new feature join.");
  await page.getByRole("dialog").getByRole("button", { name: "Acknowledge" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Acknowledged" })).toBeVisible();
  await page.getByRole("button", { name: "Resolve" }).click();
  await page.getByRole("dialog").getByLabel(/^Comment/).fill("The join is fixed in v3; v2 stays retired.");
  await page.getByRole("dialog").getByRole("button", { name: "Resolve" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Resolved." })).toBeVisible();
  await expect(page.getByText("The join is fixed in v3; v2 stays retired.")).toBeVisible();
  await Promise.all([engineerApi, adminApi].map((c) => c.dispose()));
});
