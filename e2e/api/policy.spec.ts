import { expect, test, type APIRequestContext } from "@playwright/test";
import { demoUser, expectError, sessionFor, tokenClient, unique } from "../support/api";
import { createModel, versionBody } from "../support/registry";

type Detail = { path: string; line: number; column: number; message: string };

test.describe("policy API", () => {
  let admin: APIRequestContext;
  let engineer: APIRequestContext;
  test.beforeAll(async ({ baseURL }) => {
    [admin, engineer] = await Promise.all([sessionFor(baseURL!, demoUser("admin")), sessionFor(baseURL!, demoUser("engineer"))]);
  });
  test.afterAll(async () => Promise.all([admin, engineer].map((c) => c.dispose())));

  async function invalid(document: string, model?: string): Promise<Detail[]> {
    const body = await expectError(await engineer.post("/api/v1/policies/validate", { data: { document, model } }), 422, "invalid_document");
    return (body.error as unknown as { details: Detail[] }).details;
  }

  test("validation answers 422 with every error's path, line and column", async () => {
    expect(await invalid("stages:\n  production:\n    gates: [ { id: a, type: metric }\n")).toEqual([expect.objectContaining({ line: 4, column: 1, path: "(document)" })]);
    const gates = "stages:\n  production:\n    gates:\n";
    expect(await invalid(`${gates}      - id: x\n        type: magic\n`)).toEqual([
      { path: "stages.production.gates[0].type", line: 5, column: 15, message: expect.stringContaining('Unknown gate type "magic"; valid types: metric, no-regression') },
    ]);
    expect(await invalid(`${gates}      - id: auc\n        type: metric\n        metric: auc\n        min: high\n`)).toEqual([{ path: "stages.production.gates[0].min", line: 7, column: 14, message: "Expected a number" }]);
    expect(await invalid(`${gates}      - id: auc\n        type: lineage\n      - id: auc\n        type: lineage\n`)).toEqual([
      { path: "stages.production.gates[1].id", line: 6, column: 13, message: expect.stringContaining('Gate id "auc" is already used') },
    ]);
    expect(await invalid(`${gates}      - id: t\n        type: tests-passed\n        minTest: 3\n`)).toEqual([
      { path: "stages.production.gates[0].minTest", line: 6, column: 9, message: expect.stringContaining('Unknown key "minTest"; valid keys: id, onFail, mandatory, enabled, type, suites, minTests') },
    ]);
    expect((await engineer.post("/api/v1/policies/validate", { data: { document: `${gates}      - id: auc\n        type: metric\n        metric: auc\n        min: 0.9\n` } })).status()).toBe(200);
  });

  test("a model policy may tighten a mandatory gate but never loosen or remove it", async () => {
    const model = await createModel(engineer);
    // The organisation default's production security gate is mandatory with failOn: high.
    const loosened = "stages:\n  production:\n    gates:\n      - id: security\n        type: security-scan\n        failOn: critical\n";
    expect(await invalid(loosened, model.name)).toEqual([{ path: "stages.production.gates[0].failOn", line: 6, column: 17, message: expect.stringContaining('Gate "security" is mandatory in the organisation default; this fails only from critical instead of from high') }]);
    const removed = "stages:\n  production:\n    gates:\n      - id: tests\n        type: tests-passed\n        enabled: false\n";
    expect(await invalid(removed, model.name)).toEqual([{ path: "stages.production.gates[0].enabled", line: 6, column: 18, message: expect.stringContaining("switches it off") }]);
    expect(await invalid("stages:\n  qa:\n    gates: []\n", model.name)).toEqual([{ path: "stages.qa", line: 3, column: 5, message: 'Stage "qa" is not one of the organisation\'s stages: staging, production' }]);
    const tightened = "stages:\n  production:\n    gates:\n      - id: security\n        type: security-scan\n        failOn: medium\n";
    expect((await engineer.post("/api/v1/policies/validate", { data: { document: tightened, model: model.name } })).status()).toBe(200);
  });

  test("saving: admins only, a comment required, versions kept, stale edits refused, same text idempotent", async ({ baseURL }) => {
    const model = await createModel(engineer);
    const url = `/api/v1/models/${model.name}/policy`;
    const v0 = await (await engineer.get(url)).json();
    expect(v0).toMatchObject({ version: 0, current: true, model: model.name });
    const text = "stages:\n  production:\n    gates:\n      - id: auc\n        type: metric\n        metric: auc\n        min: 0.9\n";
    await expectError(await engineer.put(url, { data: { document: text, comment: "raise the bar" } }), 403, "forbidden");
    const noComment = await expectError(await admin.put(url, { data: { document: text } }), 400, "invalid_input");
    expect(JSON.stringify(noComment)).toContain('"path":"comment"');
    await expectError(await admin.put(url, { data: { document: "stages: [", comment: "broken" } }), 422, "invalid_document");

    const v1 = await admin.put(url, { data: { document: text, comment: "AUC must reach 0.9", expectedVersion: 0 } });
    expect(v1.status(), await v1.text()).toBe(200);
    expect(await v1.json()).toMatchObject({ version: 1, comment: "AUC must reach 0.9", author: expect.stringContaining("admin"), document: text });
    // Same text again: no new version (CI can PUT on every run).
    expect(await (await admin.put(url, { data: { document: text, comment: "again" } })).json()).toMatchObject({ version: 1 });
    const stale = await expectError(await admin.put(url, { data: { document: `${text}# edit\n`, comment: "from an old tab", expectedVersion: 0 } }), 409, "conflict");
    expect(stale.error.message).toContain("version 1 has been saved since");

    const ci = await (await admin.post("/api/v1/tokens", { data: { name: unique("policy-ci"), kind: "service", scopes: ["policies:write"] } })).json();
    const pipeline = await tokenClient(baseURL!, ci.token);
    const v2 = await pipeline.put(url, { data: { document: text.replace("0.9", "0.92"), comment: "CI: tighten AUC" } });
    expect(v2.status(), await v2.text()).toBe(200);
    expect((await v2.json()).version).toBe(2);
    await pipeline.dispose();

    expect(await (await engineer.get(`${url}?version=1`)).json()).toMatchObject({ version: 1, current: false, document: text });
    expect(await (await engineer.get(url)).json()).toMatchObject({ version: 2, current: true });
    await expectError(await engineer.get(`${url}?version=9`), 404, "not_found");
    expect(await (await engineer.get("/api/v1/policies/default")).json()).toMatchObject({ scope: "default", document: expect.stringContaining("stages:") });
    await expectError(await engineer.put("/api/v1/policies/default", { data: { document: "stages: {}", comment: "x" } }), 403);
  });

  test("gates dry run: each result with status, sentence, evidence; the policy change shows at once", async () => {
    const model = await createModel(engineer);
    await engineer.post(`/api/v1/models/${model.name}/versions`, { data: versionBody() });
    const reports = `/api/v1/models/${model.name}/versions/1/reports`;
    await engineer.post(reports, { data: { kind: "offline-metrics", payload: { dataset: { name: "holdout" }, metrics: { auc: 0.91 } } } });
    const dry = `/api/v1/models/${model.name}/versions/1/gates`;
    const staging = await (await engineer.get(`${dry}?stage=staging`)).json();
    expect(staging).toMatchObject({ stage: "staging", alias: "staging", status: "blocked", policy: { modelVersion: 0 } });
    expect(staging.results.find((r: { id: string }) => r.id === "tests")).toMatchObject({ status: "missing-evidence", summary: expect.stringContaining("No tests report") });

    const text = "stages:\n  staging:\n    gates:\n      - id: auc\n        type: metric\n        metric: auc\n        min: 0.95\n        onFail: Retrain with the new features.\n";
    expect((await admin.put(`/api/v1/models/${model.name}/policy`, { data: { document: text, comment: "AUC floor for staging" } })).status()).toBe(200);
    const after = await (await engineer.get(`${dry}?stage=staging`)).json();
    expect(after.policy.modelVersion).toBe(1);
    expect(after.results.find((r: { id: string }) => r.id === "auc")).toMatchObject({
      status: "fail",
      summary: "AUC is 0.91, below the required minimum of 0.95.",
      onFail: "Retrain with the new features.",
      observed: { auc: 0.91 },
      threshold: { min: 0.95, max: null },
      evidence: [expect.any(String)],
    });
    const bad = await expectError(await engineer.get(`${dry}?stage=prod`), 400, "invalid_input");
    expect(bad.error.message).toContain("its stages are development, staging, production");
    await expectError(await engineer.get(dry), 400, "invalid_input");
  });

  test("demo data shows every outcome", async () => {
    const gates = async (model: string, version: number, stage: string) => (await (await admin.get(`/api/v1/models/${model}/versions/${version}/gates?stage=${stage}`)).json()) as { status: string; results: { id: string; status: string; summary: string }[] };
    const byId = (r: Awaited<ReturnType<typeof gates>>) => Object.fromEntries(r.results.map((g) => [g.id, g.status]));
    expect(await gates("recsys-ranker", 2, "staging")).toMatchObject({ status: "ready" });
    expect(byId(await gates("fraud-detector", 5, "staging"))).toMatchObject({ drift: "fail" });
    expect(byId(await gates("credit-risk", 3, "production"))).toMatchObject({ fairness: "fail", lineage: "fail" });
    expect(byId(await gates("churn-predictor", 2, "staging"))).toMatchObject({ tests: "missing-evidence", "data-validation": "missing-evidence" });
    const env = (await gates("fraud-detector", 4, "production")).results.find((g) => g.id === "environment")!;
    expect(env).toMatchObject({ status: "fail", summary: expect.stringContaining("accelerator is cuda 12.4 here, none in v3") });
  });
});
