import { expect, test } from "@playwright/test";
import { demoUser, sessionFor } from "../support/api";
import { expectAccessible, signIn } from "../support/browser";
import { createModel, versionBody } from "../support/registry";

// A production-style rollout as people meet it on the request page: where it is, why, and its timeline.
const DIRECT = "stages:\n  staging:\n    approvals:\n      quorum: []\n";
const CANARY = `${DIRECT}    rollout:\n      strategy: canary\n      canary:\n        steps:\n          - { percent: 10, hold: 1h }\n          - { percent: 100, hold: 1h }\n      criteria:\n        - { metric: latency_p95_ms, kind: percentile, direction: lower, advance: { relative: 10 }, rollback: { max: 250 } }\n`;
const REPORTS = [
  { kind: "tests", payload: { suites: [{ name: "unit", kind: "unit", passed: 12, failed: 0 }] } },
  { kind: "data-validation", payload: { dataset: "snapshot", checks: [{ name: "no nulls", passed: true }] } },
];

test("a request that rolls out shows its rollout: status, traffic, step and timeline", async ({ browser, baseURL }) => {
  const [engineerApi, adminApi] = await Promise.all((["engineer", "admin"] as const).map((r) => sessionFor(baseURL!, demoUser(r))));
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
  const second = await (await engineerApi.post("/api/v1/promotions", { data: { model: name, version: 2, stage: "staging", justification: "Second candidate, rolled out as a canary." } })).json();
  expect(second.status).toBe("rolling-out");

  const page = await (await browser.newContext()).newPage();
  await signIn(page, demoUser("lead"));
  await page.goto(`/promotions/${second.id}`);
  const section = page.getByRole("region", { name: "Rollout" });
  await expect(section).toContainText("Running");
  await expect(section).toContainText(/Rollout \d+: canary, canary 10%/);
  await expect(section).toContainText("canary 10% (step 1 of 2)");
  await expect(section.getByRole("list", { name: "Rollout timeline" })).toContainText(`canary rollout of ${name} v2 against v1 started at canary 10%`);
  await expectAccessible(page, "promotion request page with a rollout");
  await Promise.all([engineerApi, adminApi].map((c) => c.dispose()));
});
