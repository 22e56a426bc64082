import { expect, test } from "@playwright/test";
import { demoUser, sessionFor, unique } from "../support/api";
import { expectAccessible, signIn } from "../support/browser";
import { stagingReadyModel } from "../support/registry";

// A coordinated release in a real browser: two models move to staging together on one decision, and back together.
const DIRECT = "stages:\n  staging:\n    approvals:\n      quorum: []\n";
const ONE_LEAD = "stages:\n  staging:\n    approvals:\n      quorum: [{ role: ml-lead }]\n";

test("an ML Lead approves a two-model release from the inbox, both apply together, then rolls the release back", async ({ browser, baseURL }) => {
  const [engineerApi, adminApi] = await Promise.all((["engineer", "admin"] as const).map((r) => sessionFor(baseURL!, demoUser(r))));
  // Two models with v1 on @staging (moved without approvals) and a v2 each; then staging needs one ML Lead.
  const models: string[] = [];
  for (const _ of [0, 1]) {
    const name = await stagingReadyModel({ engineer: engineerApi, admin: adminApi, policy: DIRECT, comment: "Staging without approvals to place v1", versions: 2 });
    const first = await (await engineerApi.post("/api/v1/promotions", { data: { model: name, version: 1, stage: "staging", justification: "First candidate for the staging soak." } })).json();
    expect(first.status).toBe("applied");
    expect((await adminApi.put(`/api/v1/models/${name}/policy`, { data: { document: ONE_LEAD, comment: "One ML Lead approves staging" } })).status()).toBe(200);
    models.push(name);
  }
  const [encoder, ranker] = models;
  const releaseName = unique("ranking");
  const created = await engineerApi.post("/api/v1/releases", {
    data: {
      name: releaseName,
      justification: "The ranker v2 reads the encoder v2 embeddings; they ship together.",
      members: [{ model: encoder, version: 2, stage: "staging" }, { model: ranker, version: 2, stage: "staging" }],
      rules: [{ model: ranker, requires: encoder, versions: ">=2" }],
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const release = (await created.json()) as { number: number; members: { number: number }[] };
  const holder = async (model: string) => (await (await engineerApi.get(`/api/v1/models/${model}/aliases/staging`)).json()).version as number;

  // The ML Lead finds the release in the inbox, grouped under it rather than as two separate requests.
  const page = await (await browser.newContext()).newPage();
  await signIn(page, demoUser("lead"));
  await page.goto("/approvals");
  const releases = page.getByRole("table", { name: "Releases waiting for my decision" });
  await expect(releases).toContainText(`${encoder} v2 → staging`);
  await expect(releases).toContainText(`${ranker} v2 → staging`);
  await expect(page.getByRole("table", { name: "Requests waiting for my decision" })).not.toContainText(encoder);
  await expectAccessible(page, "approvals inbox with a release");
  await releases.getByRole("link", { name: `Release ${release.number}: ${releaseName}` }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Release ${release.number}: ${releaseName}`);
  await expect(page.getByText("Open", { exact: true })).toBeVisible();
  const members = page.getByRole("list", { name: "Members" });
  await expect(members.getByRole("listitem").filter({ has: page.getByRole("heading") })).toHaveCount(2);
  await expect(members).toContainText(`${encoder}@staging moves from v1 to v2`);
  await expect(members).toContainText(`${ranker}@staging moves from v1 to v2`);
  await expect(page.getByRole("table", { name: "Compatibility rules" })).toContainText(`${ranker} requires ${encoder} >=2`);
  await expect(page.getByRole("table", { name: "Compatibility rules" })).toContainText("holds");
  await expect(page.getByRole("list", { name: "Release timeline" })).toContainText("release.create");
  await expectAccessible(page, "open release page");
  await page.screenshot({ path: test.info().outputPath("release-open.png"), fullPage: true });

  // One decision for both members.
  await page.getByRole("button", { name: "Decide on the release…" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("list", { name: "Members you decide on" })).toContainText(`#${release.members[0].number} ${encoder} v2 as ml-lead`);
  await expectAccessible(page, "release decision dialog");
  await dialog.getByLabel("Approve").check();
  await dialog.getByLabel(/^Comment/).fill("lgtm");
  await dialog.getByRole("button", { name: "Record decision" }).click();
  await expect(dialog.getByText(/at least 20 characters/)).toBeVisible();
  await dialog.getByLabel(/^Comment/).fill("Encoder and ranker v2 evaluated together offline; approving the pair.");
  await dialog.getByRole("button", { name: "Record decision" }).click();
  await expect(dialog.getByRole("status")).toContainText(`Your decision is recorded on #${release.members[0].number} ${encoder} v2 and #${release.members[1].number} ${ranker} v2. Release ${release.number} is applied`);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();

  // The page behind has reloaded: the release and both members are applied, and no one decides on it any more.
  await expect(page.getByText("Applied", { exact: true }).first()).toBeVisible();
  await expect(members).toContainText(`${encoder}@staging moved from v1 to v2`);
  await expect(members).toContainText(`${ranker}@staging moved from v1 to v2`);
  await expect(members.getByText("Applied", { exact: true })).toHaveCount(2);
  await expect(page.getByRole("button", { name: "Decide on the release…" })).toHaveCount(0);
  expect([await holder(encoder), await holder(ranker)]).toEqual([2, 2]);

  // Rolled back as a whole: both aliases go back to v1 at once.
  await page.getByRole("button", { name: "Roll back release" }).click();
  const rollback = page.getByRole("dialog");
  await expect(rollback).toContainText(`${encoder}@staging back to v1; ${ranker}@staging back to v1`);
  await rollback.getByLabel(/^Why/).fill("Click-through fell on the pair in staging; back to v1 for both.");
  await rollback.getByRole("button", { name: "Roll back release" }).click();
  await expect(page.getByRole("status").filter({ hasText: "The release is rolled back" })).toBeVisible();
  await expect(members.getByText("Rolled back", { exact: true })).toHaveCount(2);
  await expect(page.getByRole("list", { name: "Release timeline" })).toContainText("release.rolled-back");
  expect([await holder(encoder), await holder(ranker)]).toEqual([1, 1]);
  await expectAccessible(page, "rolled-back release page");
  await page.screenshot({ path: test.info().outputPath("release-rolled-back.png"), fullPage: true });

  // The model pages say so too, and the releases list shows it with both members.
  for (const model of [encoder, ranker]) {
    await page.goto(`/models/${model}`);
    await expect(page.getByRole("list", { name: "Current aliases" }).getByRole("listitem").filter({ hasText: "@staging" })).toContainText("@staging → v1");
  }
  await page.goto(`/releases?model=${encoder}`);
  const list = page.getByRole("table", { name: "Releases" });
  await expect(list).toContainText(`Release ${release.number}: ${releaseName}`);
  await expect(list).toContainText(`${encoder} v2 → staging, ${ranker} v2 → staging`);
  await expect(list).toContainText("Rolled back");
  await expectAccessible(page, "releases list");
  await Promise.all([engineerApi, adminApi].map((c) => c.dispose()));
});
