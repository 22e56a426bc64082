import { expect, test, type APIRequestContext } from "@playwright/test";
import { demoUser, expectError, sessionFor, unique } from "../support/api";
import { startFakeMlflow, type FakeMlflow } from "../support/fake-mlflow";
import { sha, STAGING_REPORTS } from "../support/registry";

/**
 * The MLflow connector against a stand-in MLflow server (e2e/support/fake-mlflow.ts) run by this test process: the
 * built Gatehouse server imports from it, and its worker sends alias moves to it.
 */

const lineage = () => [
  { key: "mlflow.source.git.commit", value: sha() },
  { key: "gatehouse.data.hash", value: `sha256:${sha()}` },
  { key: "gatehouse.feature_set.name", value: "fraud-features" },
  { key: "gatehouse.feature_set.version", value: "12" },
];

test.describe("MLflow connector", () => {
  let mlflow: FakeMlflow;
  let admin: APIRequestContext;
  let lead: APIRequestContext;
  let engineer: APIRequestContext;
  let viewer: APIRequestContext;
  test.beforeAll(async ({ baseURL }) => {
    mlflow = await startFakeMlflow();
    [admin, lead, engineer, viewer] = await Promise.all(["admin", "lead", "engineer", "viewer"].map((r) => sessionFor(baseURL!, demoUser(r as "admin"))));
  });
  test.afterAll(async () => {
    await Promise.all([admin, lead, engineer, viewer].map((c) => c.dispose()));
    await mlflow.close();
  });

  /** A payments model in Gatehouse connected to a model of the same name in the stand-in MLflow. */
  async function connectedModel(versions: number[]) {
    const name = unique("mlfc");
    expect((await engineer.post("/api/v1/models", { data: { name, team: "payments" } })).status()).toBe(201);
    mlflow.addModel(name);
    for (const version of versions) {
      mlflow.addRun({ run_id: `${name}-run-${version}`, metrics: [{ key: "auc", value: 0.9 + version / 100 }], params: [{ key: "max_depth", value: "8" }] });
      mlflow.addVersion(name, { version, source: `s3://models/${name}/${version}`, run_id: `${name}-run-${version}`, tags: lineage() });
    }
    const saved = await admin.put(`/api/v1/models/${name}/mlflow`, { data: { trackingUri: mlflow.url, token: mlflow.token, reason: "Govern the MLflow model" } });
    expect(saved.status(), await saved.text()).toBe(200);
    return name;
  }

  test("an admin connects a model; imports keep MLflow's numbers with run lineage and metrics; other registrations are refused", async () => {
    const name = await connectedModel([1, 3]);
    const view = await (await viewer.get(`/api/v1/models/${name}/mlflow`)).json();
    expect(view.connector).toMatchObject({ trackingUri: mlflow.url, mlflowName: name, hasToken: true, intervalMinutes: 15, enabled: true });
    expect(JSON.stringify(view)).not.toContain(mlflow.token!);

    // The server's scheduled import may have run first (a new connection imports at once): the outcome is what counts.
    const imported = await engineer.post(`/api/v1/models/${name}/mlflow/import`);
    expect(imported.status()).toBe(200);
    expect(await imported.json()).toMatchObject({ status: "ok", drift: [] });
    const versions = await (await viewer.get(`/api/v1/models/${name}/versions`)).json();
    expect(versions.items.map((v: { version: number }) => v.version)).toEqual([3, 1]);
    expect(versions.items[0]).toMatchObject({ registeredBy: "MLflow connector", reproducible: true, lineage: { trainingRun: { id: `${name}-run-3` }, hyperparameters: { max_depth: "8" } }, reports: [{ kind: "offline-metrics" }] });
    const reports = await (await viewer.get(`/api/v1/models/${name}/versions/3/reports`)).json();
    expect(reports.items[0].payload).toMatchObject({ metrics: { auc: 0.93 } });

    await expectError(await engineer.post(`/api/v1/models/${name}/versions`, { data: { artifact: { uri: "s3://x", checksum: `sha256:${sha()}` } } }), 409, "conflict");
    // Only admins connect; bad settings are refused field by field.
    await expectError(await lead.put(`/api/v1/models/${name}/mlflow`, { data: { trackingUri: mlflow.url } }), 403, "forbidden");
    const bad = await expectError(await admin.put(`/api/v1/models/${name}/mlflow`, { data: { trackingUri: "ftp://mlflow", intervalMinutes: 0 } }), 400, "invalid_input");
    expect(bad.error.details!.map((d) => d.path).sort()).toEqual(["intervalMinutes", "trackingUri"]);
    await expectError(await viewer.post(`/api/v1/models/${name}/mlflow/import`), 403, "forbidden");
    // The audit trail names who connected it, never the token.
    const audit = await (await admin.get(`/api/v1/audit?model=${name}&action=mlflow.`)).json();
    expect(audit.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(["mlflow.connector.create", "mlflow.import"]));
    expect(JSON.stringify(audit)).not.toContain(mlflow.token!);
  });

  test("an applied promotion sets the alias in MLflow, retried until MLflow takes it, with the outcome on the request", async () => {
    const name = await connectedModel([2, 5]);
    expect((await engineer.post(`/api/v1/models/${name}/mlflow/import`)).status()).toBe(200);
    for (const v of [2, 5]) for (const report of STAGING_REPORTS) expect((await engineer.post(`/api/v1/models/${name}/versions/${v}/reports`, { data: report })).status()).toBe(201);

    // Staging promotes by itself once its gates pass: the request applies, and the move goes to MLflow.
    const first = await (await engineer.post("/api/v1/promotions", { data: { model: name, version: 2, stage: "staging", justification: "First imported version, gates green." } })).json();
    expect(first.status).toBe("applied");
    await expect.poll(() => mlflow.aliases(name).staging, { timeout: 20_000 }).toBe(2);
    await expect.poll(async () => (await (await viewer.get(`/api/v1/promotions/${first.id}`)).json()).mlflow, { timeout: 10_000 }).toEqual([expect.objectContaining({ alias: "staging", version: 2, status: "done", attempts: 1, via: "promotion" })]);

    // MLflow is down for the next call: the move waits, says why, and goes through on the retry.
    mlflow.failNext(1, 503, "registered-models/alias");
    const second = await (await engineer.post("/api/v1/promotions", { data: { model: name, version: 5, stage: "staging", justification: "Version 5 retrained on November data." } })).json();
    expect(second.status).toBe("applied");
    await expect.poll(async () => (await (await viewer.get(`/api/v1/promotions/${second.id}`)).json()).mlflow?.[0]?.lastError ?? null, { timeout: 20_000 }).toContain("HTTP 503");
    expect(mlflow.aliases(name).staging).toBe(2);
    await expect.poll(() => mlflow.aliases(name).staging, { timeout: 40_000, intervals: [1_000] }).toBe(5);
    await expect.poll(async () => (await (await viewer.get(`/api/v1/promotions/${second.id}`)).json()).mlflow, { timeout: 10_000 }).toEqual([expect.objectContaining({ status: "done", attempts: 2, lastError: null })]);
    const audit = await (await admin.get(`/api/v1/audit?model=${name}&action=mlflow.alias.`)).json();
    expect(audit.items.map((e: { action: string }) => e.action)).toEqual(["mlflow.alias.synced", "mlflow.alias.sync_failed", "mlflow.alias.synced"]);

    // Rolling back in Gatehouse repoints the alias in MLflow too.
    const rolled = await lead.post(`/api/v1/models/${name}/aliases/staging/rollback`, { data: { comment: "Version 5 misbehaves on the staging traffic; back to 2." } });
    expect(rolled.status(), await rolled.text()).toBe(200);
    await expect.poll(() => mlflow.aliases(name).staging, { timeout: 20_000 }).toBe(2);
    const after = await (await viewer.get(`/api/v1/promotions/${second.id}`)).json();
    expect(after.mlflow.map((s: { via: string; version: number; status: string }) => `${s.via}:${s.version}:${s.status}`)).toEqual(["promotion:5:done", "rollback:2:done"]);
  });

  test("drift: an alias moved in MLflow directly is detected, shown, and pushed back", async () => {
    const name = await connectedModel([1, 2]);
    mlflow.setAlias(name, "shadow", 2);
    expect(await (await engineer.post(`/api/v1/models/${name}/mlflow/import`)).json()).toMatchObject({ drift: [] });
    // Adopted from MLflow (by this import or the scheduled one before it).
    expect((await (await viewer.get(`/api/v1/models/${name}`)).json()).aliases).toEqual([{ alias: "shadow", version: 2 }]);
    mlflow.setAlias(name, "shadow", 1);
    mlflow.setAlias(name, "champion", 2);
    expect(await (await engineer.post(`/api/v1/models/${name}/mlflow/import`)).json()).toMatchObject({
      drift: [
        { alias: "champion", mlflow: 2, gatehouse: null },
        { alias: "shadow", mlflow: 1, gatehouse: 2 },
      ],
    });
    const { connector } = await (await viewer.get(`/api/v1/models/${name}/mlflow`)).json();
    expect(connector.drift.map((d: { message: string }) => d.message)).toEqual(["@champion points at version 2 in MLflow but is not set in Gatehouse", "@shadow points at version 1 in MLflow, version 2 in Gatehouse"]);
    expect(connector.driftSince).toEqual(expect.any(String));

    await expectError(await engineer.post(`/api/v1/models/${name}/mlflow/push-aliases`, { data: {} }), 403, "forbidden");
    const pushed = await lead.post(`/api/v1/models/${name}/mlflow/push-aliases`, { data: { reason: "Nobody may move champion in MLflow by hand" } });
    expect(pushed.status(), await pushed.text()).toBe(200);
    // @shadow goes back to Gatehouse's version; @champion is protected, so Gatehouse does not delete it in MLflow.
    expect(await pushed.json()).toEqual({ queued: ["shadow"], kept: ["champion"] });
    await expect.poll(() => mlflow.aliases(name), { timeout: 20_000 }).toEqual({ shadow: 2, champion: 2 });
    expect(await (await engineer.post(`/api/v1/models/${name}/mlflow/import`)).json()).toMatchObject({ drift: [{ alias: "champion", mlflow: 2, gatehouse: null }] });
    const nothing = await expectError(await lead.post(`/api/v1/models/${name}/mlflow/push-aliases`, { data: {} }), 400, "invalid_input");
    expect(nothing.error.message).toContain("@champion is a protected alias");
    // Someone removes it in MLflow: no drift is left.
    mlflow.setAlias(name, "champion", null);
    expect(await (await engineer.post(`/api/v1/models/${name}/mlflow/import`)).json()).toMatchObject({ drift: [] });
    await expectError(await lead.post(`/api/v1/models/${name}/mlflow/push-aliases`, { data: {} }), 400, "invalid_input");

    // Disconnecting keeps what was imported.
    expect((await admin.delete(`/api/v1/models/${name}/mlflow?reason=${encodeURIComponent("moving off MLflow")}`)).status()).toBe(200);
    expect(await (await viewer.get(`/api/v1/models/${name}/mlflow`)).json()).toEqual({ connector: null });
    expect((await (await viewer.get(`/api/v1/models/${name}/versions`)).json()).items).toHaveLength(2);
  });
});
