import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { DEMO_PASSWORD, demoUser, sessionFor, unique } from "../support/api";
import { signIn } from "../support/browser";
import { STAGING_REPORTS, versionBody } from "../support/registry";

/*
 * Stored text is shown as text, everywhere: script tags, event-handler attributes, attribute break-outs and
 * javascript: URLs go into every piece of user text the pages show (through the API, as pipelines and people would
 * send them), then every page that shows them is opened in Chromium. Each piece is tagged "XSS.<field>:" so the
 * check is generic: wherever a tag shows on a page, the whole payload follows it literally (rendered as HTML, the
 * tags would vanish from the text and the elements would exist). No script may run, no dialog open, no injected
 * element exist, and no link carry a javascript: URL.
 */
const PAYLOAD = `<script>window.__xss=1</script><img src=x onerror="window.__xss=1">"><svg onload=window.__xss=1>`;
const JS_URL = "javascript:window.__xss=1";
const SHORT = `<img src=x onerror="window.__xss=1">`;
/** The payload tagged with where it went; `url` appends a javascript: URL where the field is long enough. */
const t = (field: string, o: { url?: boolean; short?: boolean } = {}) => `XSS.${field}:${o.short ? SHORT : PAYLOAD}${o.url ? ` ${JS_URL}` : ""}`;

test.describe("stored text is escaped on every page", () => {
  test.describe.configure({ timeout: 120_000 });
  let admin: APIRequestContext, engineer: APIRequestContext, hostile: APIRequestContext;
  const hostileEmail = `${unique("xss-user")}@example.com`;
  const password = "hostile-user-password";
  let modelA = "";
  let modelB = "";
  let applied = { id: "", number: 0 };
  let cancelled = { id: "" };
  let release = { id: "", number: 0 };
  let webhookId = "";
  let userId = "";
  const alias = "xss-alias";

  const ok = async (res: Promise<import("@playwright/test").APIResponse>, status = [200, 201]) => {
    const r = await res;
    expect(status, `${r.url()} → ${r.status()} ${await r.text()}`).toContain(r.status());
    return r.json();
  };

  test.beforeAll(async ({ baseURL }) => {
    [admin, engineer] = await Promise.all((["admin", "engineer"] as const).map((r) => sessionFor(baseURL!, demoUser(r))));
    // A person whose own name is hostile, an ML Lead of payments: their name shows wherever they act.
    const user = await ok(admin.post("/api/v1/users", { data: { email: hostileEmail, name: t("user-name"), password, roles: [{ role: "ml-lead", team: "payments" }], reason: t("user-reason") } }));
    userId = user.id;
    hostile = await sessionFor(baseURL!, hostileEmail, password);
    await ok(admin.post("/api/v1/teams", { data: { slug: unique("xss-team"), name: t("team-name"), reason: t("team-reason") } }));
    await ok(admin.post("/api/v1/tokens", { data: { name: `XSS.token:${SHORT}`, kind: "service", scopes: ["registry:read"], reason: t("token-reason") } }));
    webhookId = (await ok(admin.post("/api/v1/webhooks", { data: { url: `http://127.0.0.1:9/hook?q=XSS.webhook-url:${PAYLOAD}`, events: ["promotion.*"], description: t("webhook-description", { url: true }), enabled: false } }))).id;

    const policy = [
      `# ${t("policy-comment-line")}`,
      `description: ${JSON.stringify(t("policy-description"))}`,
      "stages:",
      "  staging:",
      "    approvals:",
      "      quorum: [{ role: ml-lead }]",
      "      electronicSignature: never",
      "",
    ].join("\n");
    const model = async (field: string) => {
      const { name } = await ok(hostile.post("/api/v1/models", { data: { name: unique("xss-model"), team: "payments", description: t(`${field}-description`, { url: true }), tags: { [`XSS.${field}-tag-key`]: t(`${field}-tag`) } } }));
      await ok(admin.put(`/api/v1/models/${name}/policy`, { data: { document: policy, comment: t("policy-save-comment") } }));
      for (const n of [1, 2]) {
        const base = versionBody({ description: t("version-description", { url: true }), tags: { env: t("version-tag") } });
        const body = {
          ...base,
          lineage: {
            ...base.lineage,
            codeRepository: JS_URL,
            dataSnapshotUri: t("lineage-data-snapshot", { url: true }),
            featureSet: { name: t("lineage-feature-set"), version: `XSS.fs-version:${SHORT}` },
            trainingRun: { id: t("lineage-training-run"), url: "https://mlflow.example.com/#/runs/1" },
            hyperparameters: { [`XSS.hp-key:${SHORT}`]: t("lineage-hyperparameter") },
          },
          environment: { ...base.environment, runtime: t("environment-runtime"), accelerator: t("environment-accelerator"), resourceClass: t("environment-resource-class") },
          signature: { inputs: [{ name: t("signature-input"), type: `XSS.type:${SHORT}` }], outputs: [{ name: t("signature-output"), type: "double" }] },
        };
        await ok(hostile.post(`/api/v1/models/${name}/versions`, { data: body }));
        await ok(hostile.post(`/api/v1/models/${name}/versions/${n}/reports`, { data: { kind: "custom", payload: { title: t("report-title"), data: { note: t("report-data"), link: JS_URL } } } }));
        await ok(hostile.post(`/api/v1/models/${name}/versions/${n}/reports`, { data: { kind: "offline-metrics", payload: { dataset: { name: t("report-dataset"), uri: JS_URL }, metrics: { auc: 0.9 } } } }));
        await ok(hostile.post(`/api/v1/models/${name}/versions/${n}/reports`, { data: { kind: "observability", payload: { links: [{ kind: "dashboard", title: t("report-link-title"), url: "https://grafana.example.com/d/1" }] } } }));
        await ok(hostile.post(`/api/v1/models/${name}/versions/${n}/reports`, { data: { kind: "tests", payload: { suites: [{ name: t("report-suite"), kind: "unit", passed: 1, failed: 1, failures: [{ test: t("report-failure-test"), message: t("report-failure-message", { url: true }) }] }] } } }));
        // The newest report of a kind counts: the passing ones last, so the gates pass.
        for (const report of STAGING_REPORTS) await ok(hostile.post(`/api/v1/models/${name}/versions/${n}/reports`, { data: report }));
      }
      return name;
    };
    modelA = await model("model-a");
    modelB = await model("model-b");

    // Alias moves and a rollback, each with its reason.
    await ok(hostile.put(`/api/v1/models/${modelA}/aliases/${alias}`, { data: { version: 1, reason: t("alias-set-reason", { url: true }) } }));
    await ok(hostile.put(`/api/v1/models/${modelA}/aliases/${alias}`, { data: { version: 2, reason: t("alias-move-reason") } }));
    await ok(hostile.post(`/api/v1/models/${modelA}/aliases/${alias}/rollback`, { data: { comment: t("alias-rollback-comment") } }));

    // A request sent back, resubmitted and approved by the hostile-named ML Lead; another one cancelled.
    const request = await ok(engineer.post("/api/v1/promotions", { data: { model: modelA, version: 1, stage: "staging", justification: t("promotion-justification", { url: true }) } }));
    applied = { id: request.id, number: request.number };
    await ok(hostile.post(`/api/v1/promotions/${request.id}/decisions`, { data: { decision: "request-changes", comment: t("decision-changes-comment") } }));
    await ok(engineer.post(`/api/v1/promotions/${request.id}/resubmit`, { data: { comment: t("resubmit-comment") } }));
    await ok(hostile.post(`/api/v1/promotions/${request.id}/decisions`, { data: { decision: "approve", comment: t("decision-approve-comment", { url: true }), password } }));
    const other = await ok(engineer.post("/api/v1/promotions", { data: { model: modelA, version: 2, stage: "staging", justification: t("cancelled-justification") } }));
    cancelled = { id: other.id };
    await ok(engineer.post(`/api/v1/promotions/${other.id}/cancel`, { data: { comment: t("cancel-comment") } }));

    // A release of both models, cancelled.
    const r = await ok(engineer.post("/api/v1/releases", { data: { name: t("release-name"), justification: t("release-justification", { url: true }), members: [{ model: modelA, version: 2, stage: "staging" }, { model: modelB, version: 1, stage: "staging" }] } }));
    release = { id: r.id, number: r.number };
    await ok(engineer.post(`/api/v1/releases/${r.id}/cancel`, { data: { comment: t("release-cancel-comment") } }));
  });
  test.afterAll(async () => Promise.all([admin, engineer, hostile].map((c) => c?.dispose())));

  async function as(browser: Browser, email: string, pass?: string): Promise<{ page: Page; dialogs: string[] }> {
    const page = await (await browser.newContext()).newPage();
    const dialogs: string[] = [];
    page.on("dialog", async (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      await d.dismiss();
    });
    await signIn(page, email, pass);
    return { page, dialogs };
  }

  /** Opens `url` and checks the page: `expected` tags must show, and every tag that shows is followed by its whole payload. */
  async function check(p: { page: Page; dialogs: string[] }, url: string, expected: string[]) {
    const { page, dialogs } = p;
    await page.goto(url);
    await page.waitForLoadState("networkidle");
    const text = await page.locator("body").innerText();
    for (const field of expected) expect(text, `${url} shows ${field}`).toContain(`XSS.${field}:`);
    // Every tagged piece on the page, literally: the tag, then the payload as text.
    for (const m of text.matchAll(/XSS\.([\w-]+):/g)) {
      const at = m.index! + m[0].length;
      const payload = text.startsWith("<img", at) ? SHORT : PAYLOAD;
      // Shown as written, or inside a JSON view (a custom report's data) with its quotes escaped.
      const asJson = JSON.stringify(payload).slice(1, -1);
      expect([payload, asJson], `${url}: ${m[1]} is shown as text, not markup`).toContain(text.slice(at, at + (text.startsWith(asJson, at) ? asJson.length : payload.length)));
    }
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), `${url}: no injected script ran`).toBeUndefined();
    expect(dialogs, `${url}: no dialog opened`).toEqual([]);
    expect(await page.locator('img[src="x"], svg[onload], [onerror]').count(), `${url}: no injected element`).toBe(0);
    // The page's own data travels in script elements as JSON strings (payload included, escaped); an injected one
    // would be a script element of its own holding just the payload's code.
    expect(await page.locator("script").evaluateAll((scripts) => scripts.filter((s) => s.textContent?.trim() === "window.__xss=1").length), `${url}: no injected script element`).toBe(0);
    const jsLinks = await page.locator("a[href], area[href], iframe[src], form[action]").evaluateAll((els) => els.map((e) => e.getAttribute("href") ?? e.getAttribute("src") ?? e.getAttribute("action") ?? "").filter((h) => /^\s*javascript:/i.test(h)));
    expect(jsLinks, `${url}: no javascript: URL in a link`).toEqual([]);
  }

  test("as an admin: models, versions, reports, aliases, policies, requests, releases, audit, administration", async ({ browser }) => {
    const p = await as(browser, demoUser("admin"));
    const lineage = ["lineage-data-snapshot", "lineage-feature-set", "fs-version", "lineage-hyperparameter", "hp-key", "environment-runtime", "environment-accelerator", "environment-resource-class"];
    const pages: [string, string[]][] = [
      [`/models?q=${modelA}`, ["model-a-description", "team-name"]],
      [`/models/${modelA}`, ["model-a-description", "model-a-tag", "alias-set-reason", "alias-move-reason", "alias-rollback-comment", "lineage-feature-set", "promotion-justification"]],
      [`/models/${modelA}/versions/1`, ["version-description", ...lineage, "lineage-training-run", "signature-input", "signature-output", "type", "report-title", "report-data", "report-dataset", "report-link-title"]],
      [`/models/${modelA}/compare?a=1&b=2`, lineage],
      [`/models/${modelA}/aliases/${alias}`, ["alias-set-reason", "alias-move-reason", "alias-rollback-comment"]],
      [`/models/${modelA}/policy`, ["policy-save-comment"]],
      ["/promotions", ["release-name"]],
      [`/promotions/${applied.id}`, ["promotion-justification", "decision-changes-comment", "decision-approve-comment", "resubmit-comment", "user-name"]],
      [`/promotions/${applied.id}/evidence`, ["promotion-justification", "decision-changes-comment", "decision-approve-comment", "resubmit-comment", "user-name", ...lineage, "report-suite", "report-failure-test", "report-failure-message", "policy-description", "policy-comment-line"]],
      [`/promotions/${cancelled.id}`, ["cancelled-justification", "cancel-comment"]],
      ["/releases", ["release-name", "release-cancel-comment"]],
      [`/releases/${release.number}`, ["release-name", "release-justification", "release-cancel-comment"]],
      // Other tests write to the log at the same time: the unfiltered first page is only checked for escaping.
      ["/audit", []],
      [`/audit?q=${encodeURIComponent("XSS.")}`, ["alias-set-reason", "alias-rollback-comment", "cancel-comment", "decision-approve-comment", "policy-save-comment", "promotion-justification", "release-cancel-comment", "release-name", "team-reason", "token-reason", "user-reason", "user-name"]],
      ["/admin/teams", ["team-name"]],
      [`/admin/users?q=${encodeURIComponent(hostileEmail)}`, ["user-name"]],
      [`/admin/users/${userId}`, ["user-name"]],
      ["/admin/tokens", ["token"]],
      ["/admin/webhooks", ["webhook-url", "webhook-description"]],
      [`/admin/webhooks/${webhookId}`, ["webhook-url", "webhook-description"]],
      [`/search?q=${encodeURIComponent(t("search"))}`, ["search"]],
      ["/", []],
    ];
    for (const [url, expected] of pages) await check(p, url, expected);
  });

  test("as the people notified: their notifications, inbox and approvals", async ({ browser }) => {
    // The hostile-named ML Lead is told of the requests and the release waiting for them, in their own words.
    const approver = await as(browser, hostileEmail, password);
    await check(approver, "/notifications", ["promotion-justification", "release-name", "user-name"]);
    await check(approver, "/approvals", ["user-name"]);
    await check(approver, "/", ["user-name"]);
    // The demo engineer's notifications also hold other tests' events: checked for escaping only.
    const requester = await as(browser, demoUser("engineer"));
    await check(requester, "/notifications", []);
  });
});
