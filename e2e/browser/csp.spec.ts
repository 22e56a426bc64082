import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { demoUser, sessionFor } from "../support/api";
import { signIn } from "../support/browser";
import { createModel, versionBody } from "../support/registry";

// Pages work under the Content-Security-Policy (lib/security/headers.ts): nothing the app needs is blocked. A blocked
// script or style shows up as a `securitypolicyviolation` event and a console error; both are collected here.

type Watch = { violations: () => Promise<string[]> };

async function watchCsp(context: BrowserContext, page: Page): Promise<Watch> {
  // Injected by the browser driver before any page script, so it sees violations in the document's own <head>.
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`));
  });
  const console: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (execute|load|apply|connect|frame)/i.test(m.text())) console.push(m.text());
  });
  return {
    // The current document's events (each navigation starts a fresh list) and every console report so far.
    async violations() {
      return [...(await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? [])), ...console];
    },
  };
}

/** A canary rollout with a few minutes of metrics, so its page draws charts. */
async function rolloutWithMetrics(baseURL: string) {
  const [engineer, admin] = await Promise.all([sessionFor(baseURL, demoUser("engineer")), sessionFor(baseURL, demoUser("admin"))]);
  const { name } = await createModel(engineer);
  const direct = "stages:\n  staging:\n    approvals:\n      quorum: []\n";
  const canary = `${direct}    rollout:\n      strategy: canary\n      canary:\n        steps:\n          - { percent: 10, hold: 1h }\n          - { percent: 100, hold: 1h }\n      minSamples: 5\n      criteria:\n        - { metric: latency_p95_ms, kind: percentile, direction: lower, advance: { relative: 10 }, rollback: { max: 250 } }\n`;
  const put = async (document: string) => expect((await admin.put(`/api/v1/models/${name}/policy`, { data: { document, comment: "Policy for the CSP test" } })).status()).toBe(200);
  await put(direct);
  for (const n of [1, 2]) {
    expect((await engineer.post(`/api/v1/models/${name}/versions`, { data: versionBody() })).status()).toBe(201);
    for (const r of [
      { kind: "tests", payload: { suites: [{ name: "unit", kind: "unit", passed: 12, failed: 0 }] } },
      { kind: "data-validation", payload: { dataset: "snapshot", checks: [{ name: "no nulls", passed: true }] } },
    ])
      expect((await engineer.post(`/api/v1/models/${name}/versions/${n}/reports`, { data: r })).status()).toBe(201);
  }
  expect((await (await engineer.post("/api/v1/promotions", { data: { model: name, version: 1, stage: "staging", justification: "First candidate for staging." } })).json()).status).toBe("applied");
  await put(canary);
  expect((await (await engineer.post("/api/v1/promotions", { data: { model: name, version: 2, stage: "staging", justification: "Second candidate, as a canary." } })).json()).status).toBe("rolling-out");
  const rollout = (await (await engineer.get(`/api/v1/rollouts?model=${name}`)).json()).items[0] as { id: string; number: number };
  const items = Array.from({ length: 10 }, (_, i) => {
    const timestamp = new Date(Date.now() - (10 - i) * 60_000).toISOString();
    return [1, 2].map((version) => ({ version, metric: "latency_p95_ms", timestamp, value: 120 + i }));
  }).flat();
  expect((await engineer.post(`/api/v1/models/${name}/metrics`, { data: { items } })).status()).toBe(200);
  await Promise.all([engineer.dispose(), admin.dispose()]);
  return { name, rollout };
}

test("no CSP violations on sign-in, the overview, a model, a rollout's charts, the theme toggle and a server action", async ({ browser, baseURL }) => {
  const { name, rollout } = await rolloutWithMetrics(baseURL!);
  const context = await browser.newContext({ colorScheme: "dark" });
  const page = await context.newPage();
  const csp = await watchCsp(context, page);
  const visited: string[] = [];
  const expectClean = async (label: string) => {
    visited.push(label);
    expect(await csp.violations(), `CSP violations after: ${visited.join(", ")}`).toEqual([]);
  };

  await page.goto("/signin");
  await expect(page.getByRole("button", { name: /Test IdP/ })).toBeVisible();
  await expectClean("sign-in");
  // The theme script is inline: it runs only with the nonce, and it is what makes the page dark before paint.
  await expect(page.locator("html")).toHaveClass(/dark/);

  await signIn(page, demoUser("lead"));
  await expectClean("overview");

  await page.getByTestId("theme-toggle").click();
  await expect(page.getByTestId("theme-toggle")).toHaveText(/Theme: Light/);
  await expectClean("theme toggle");

  await page.goto(`/models/${name}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(name);
  await expectClean("model page");

  await page.goto(`/models/${name}/versions/2`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expectClean("version page");

  await page.goto(`/rollouts/${rollout.number}`);
  await expect(page.getByTestId("metric-chart").locator("path.recharts-line-curve")).not.toHaveCount(0);
  await expect(page.getByRole("figure", { name: "Challenger traffic (%)" }).locator("svg")).toBeVisible();
  await expectClean("rollout page with charts");

  // A server action from a form, answered with a redirect: form-action and the action's response both under the CSP.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin\?signedOut=1/);
  await expectClean("sign-out (server action)");
  await context.close();
});
