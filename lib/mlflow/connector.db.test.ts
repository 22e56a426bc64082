import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeMlflow, type FakeMlflow } from "@/e2e/support/fake-mlflow";
import { verifyAuditChain } from "@/lib/audit/verify";
import type { Actor } from "@/lib/auth/permissions";
import { createTeam } from "@/lib/auth/teams";
import { db } from "@/lib/db";
import { moveAlias, lockModel } from "@/lib/registry/aliases";
import { createModel } from "@/lib/registry/models";
import { getVersion, registerVersion } from "@/lib/registry/versions";
import { transaction } from "@/lib/db";
import { runAliasSyncPass } from "./alias-sync";
import { getConnector, importConnector, importNow, pushAliases, removeConnector, runDueImports, saveConnector } from "./connector";
import { syncsForRequest } from "./sync-view";

// The connector against a stand-in MLflow server (e2e/support/fake-mlflow.ts) and the real PostgreSQL of `npm test`.
const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);
const admin: Actor = { kind: "system", label: "connector-test admin" };
const ci: Actor = { kind: "service", tokenId: "t-connector-test", label: "token:connector-test", scopes: ["registry:write", "registry:read"] };
const suffix = Date.now().toString(36);
const commit = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567";

describe.skipIf(!hasDb)("MLflow connector", () => {
  let mlflow: FakeMlflow;
  beforeAll(async () => {
    mlflow = await startFakeMlflow();
    await createTeam({ actor: admin, input: { slug: `mlf-${suffix}`, name: "Connector test" } });
  });
  afterAll(async () => {
    await mlflow.close();
    expect((await verifyAuditChain()).ok).toBe(true);
    await db.$disconnect();
  });

  async function connected(name: string, over: Record<string, unknown> = {}) {
    await createModel({ actor: ci, input: { name, team: `mlf-${suffix}` } });
    return saveConnector({ actor: admin, model: name, input: { trackingUri: mlflow.url, token: mlflow.token, intervalMinutes: 15, ...over } });
  }

  it("imports versions with MLflow's numbers (gaps kept), run lineage and metrics as a report, and adopts MLflow's aliases", async () => {
    const name = `fraud-${suffix}`;
    mlflow.addModel(name);
    mlflow.addRun({
      run_id: "run-1",
      experiment_id: "7",
      metrics: [
        { key: "auc", value: 0.91, step: 1 },
        { key: "auc", value: 0.93, step: 5 },
        { key: "loss", value: 0.2 },
      ],
      params: [{ key: "max_depth", value: "8" }],
      tags: [
        { key: "mlflow.source.git.commit", value: commit },
        { key: "mlflow.user", value: "someone" },
      ],
    });
    mlflow.addVersion(name, { version: 1, source: "s3://m/1", run_id: "run-1", tags: [{ key: "gatehouse.data.hash", value: "sha256:feedfacecafe" }, { key: "gatehouse.feature_set.name", value: "f" }, { key: "gatehouse.feature_set.version", value: "3" }] });
    mlflow.addVersion(name, { version: 3, source: "s3://m/3", description: "no run" });
    mlflow.addVersion(name, { version: 4, source: "s3://m/4", status: "PENDING_REGISTRATION" });
    mlflow.setAlias(name, "champion", 1);
    mlflow.setAlias(name, "shadow", 3);

    const view = await connected(name);
    expect(view).toMatchObject({ trackingUri: mlflow.url, mlflowName: name, hasToken: true, enabled: true, lastImportStatus: null });
    // The token is sealed at rest.
    const row = await db.mlflowConnector.findFirstOrThrow({ where: { model: { name } } });
    expect(row.tokenSealed).not.toContain(mlflow.token!);

    const summary = await importNow({ actor: ci, model: name });
    expect(summary).toMatchObject({ status: "ok", imported: [1, 3], adopted: ["champion", "shadow"], drift: [] });
    const v1 = await getVersion({ actor: ci, model: name, version: "1" });
    expect(v1).toMatchObject({
      version: 1,
      registeredBy: "MLflow connector",
      artifact: { uri: "s3://m/1", checksum: "" },
      reproducible: true,
      lineage: { commitSha: commit, dataHash: "sha256:feedfacecafe", featureSet: { name: "f", version: "3" }, trainingRun: { id: "run-1", url: `${mlflow.url}/#/experiments/7/runs/run-1` }, hyperparameters: { max_depth: "8" } },
      aliases: ["champion"],
    });
    const report = await db.evaluationReport.findFirstOrThrow({ where: { version: { version: 1, model: { name } } } });
    expect(report).toMatchObject({ kind: "offline-metrics", payload: { dataset: { name: "MLflow run run-1" }, metrics: { auc: 0.93, loss: 0.2 } } });
    expect(await getVersion({ actor: ci, model: name, version: "3" })).toMatchObject({ version: 3, description: "no run", reproducible: false, aliases: ["shadow"] });
    await expect(getVersion({ actor: ci, model: name, version: "2" })).rejects.toMatchObject({ status: 404 });
    const history = await db.aliasChange.findMany({ where: { model: { name } }, orderBy: { alias: "asc" } });
    expect(history.map((h) => [h.alias, h.toVersion, h.via])).toEqual([
      ["champion", 1, "import"],
      ["shadow", 3, "import"],
    ]);

    // Nothing new: nothing imported, nothing audited but the connector's state.
    const lastEvent = (await db.auditEvent.findFirstOrThrow({ orderBy: { id: "desc" }, select: { id: true } })).id;
    mlflow.addVersion(name, { version: 6, source: "s3://m/6" });
    expect(await importConnector(row.id)).toMatchObject({ status: "ok", imported: [6], adopted: [] });
    expect(await importConnector(row.id)).toMatchObject({ status: "ok", imported: [] });
    const newEvents = await db.auditEvent.findMany({ where: { id: { gt: lastEvent }, targetId: { in: [row.modelId, (await db.modelVersion.findFirstOrThrow({ where: { modelId: row.modelId, version: 6 } })).id] } }, orderBy: { id: "asc" }, select: { action: true } });
    expect(newEvents.map((e) => e.action)).toEqual(["version.register", "mlflow.import"]);
    // A connected model takes no versions from anywhere else: numbers are MLflow's.
    await expect(registerVersion({ actor: ci, model: name, input: { artifact: { uri: "s3://x", checksum: "sha256:0123456789ab" } } })).rejects.toMatchObject({ status: 409, message: expect.stringContaining("imported from MLflow") });
    // Nor can it be pointed at another MLflow model, whose numbers would collide; disconnected and connected again to the
    // same one, it carries on (without adopting aliases a second time).
    await expect(saveConnector({ actor: admin, model: name, input: { trackingUri: mlflow.url, mlflowName: "another-model" } })).rejects.toMatchObject({ status: 409 });
    await removeConnector({ actor: admin, model: name, reason: "pause the connection" });
    await saveConnector({ actor: admin, model: name, input: { trackingUri: mlflow.url, token: mlflow.token } });
    expect(await importNow({ actor: ci, model: name })).toMatchObject({ status: "ok", imported: [], adopted: [] });
    // A model with versions of its own is not connected: MLflow's numbers would collide with them.
    const own = `own-${suffix}`;
    await createModel({ actor: ci, input: { name: own, team: `mlf-${suffix}` } });
    await registerVersion({ actor: ci, model: own, input: { artifact: { uri: "s3://x", checksum: "sha256:0123456789ab" } } });
    await expect(saveConnector({ actor: admin, model: own, input: { trackingUri: mlflow.url } })).rejects.toMatchObject({ status: 409, message: expect.stringContaining("of its own") });
  });

  it("sends Gatehouse's alias moves to MLflow, retrying until MLflow takes them, with the outcome on the request and in the audit trail", async () => {
    const name = `sync-${suffix}`;
    mlflow.addModel(name);
    for (const version of [1, 2]) mlflow.addVersion(name, { version, source: `s3://m/${version}` });
    await connected(name);
    await importNow({ actor: ci, model: name });
    const model = await db.registeredModel.findUniqueOrThrow({ where: { name } });
    const v2 = await db.modelVersion.findFirstOrThrow({ where: { modelId: model.id, version: 2 } });
    const request = { id: `req-${suffix}` };

    mlflow.failNext(2, 503, "registered-models/alias");
    await transaction(async (tx) => {
      await lockModel(tx, model.id);
      await moveAlias(tx, { model, alias: "champion", target: v2, actor: admin, reason: "promotion applied", via: "promotion", requestId: request.id, action: "alias.promote" });
    });
    const t0 = new Date();
    expect(await runAliasSyncPass({ now: t0, random: () => 0 })).toMatchObject({ claimed: 1, done: 0, retried: 1 });
    let [sync] = await syncsForRequest(request.id);
    expect(sync).toMatchObject({ alias: "champion", version: 2, status: "pending", attempts: 1, lastError: expect.stringContaining("HTTP 503") });
    // Not due yet: the first retry waits 7.5-15 s.
    expect(await runAliasSyncPass({ now: new Date(t0.getTime() + 5_000) })).toMatchObject({ claimed: 0 });
    expect(await runAliasSyncPass({ now: new Date(t0.getTime() + 15_000), random: () => 0 })).toMatchObject({ retried: 1 });
    expect(await runAliasSyncPass({ now: new Date(t0.getTime() + 60_000) })).toMatchObject({ done: 1 });
    [sync] = await syncsForRequest(request.id);
    expect(sync).toMatchObject({ status: "done", attempts: 3, lastError: null });
    expect(mlflow.aliases(name)).toMatchObject({ champion: 2 });
    const audit = await db.auditEvent.findMany({ where: { targetId: `${name}@champion`, action: { startsWith: "mlflow." } }, orderBy: { id: "asc" } });
    expect(audit.map((e) => e.action)).toEqual(["mlflow.alias.sync_failed", "mlflow.alias.synced"]);
    expect(audit[1]).toMatchObject({ actorLabel: "MLflow connector", after: { alias: "champion", version: 2, attempts: 3, requestId: request.id } });

    // Two moves before a pass: only the newest is sent.
    const v1 = await db.modelVersion.findFirstOrThrow({ where: { modelId: model.id, version: 1 } });
    for (const target of [v1, v2, v1]) {
      await transaction(async (tx) => {
        await lockModel(tx, model.id);
        await moveAlias(tx, { model, alias: "challenger", target, actor: admin, reason: "rollout", via: "rollout", action: "alias.rollout" });
      });
    }
    expect(await db.mlflowAliasSync.findMany({ where: { alias: "challenger", connector: { modelId: model.id } }, select: { status: true }, orderBy: { createdAt: "asc" } })).toEqual([{ status: "superseded" }, { status: "superseded" }, { status: "pending" }]);
    expect(await runAliasSyncPass({ now: new Date(t0.getTime() + 120_000) })).toMatchObject({ done: 1 });
    expect(mlflow.aliases(name)).toMatchObject({ challenger: 1 });
  });

  it("detects drift when someone moves an alias in MLflow directly, records it, and pushes Gatehouse's position back", async () => {
    const name = `drift-${suffix}`;
    mlflow.addModel(name);
    for (const version of [1, 2]) mlflow.addVersion(name, { version, source: `s3://m/${version}` });
    mlflow.setAlias(name, "champion", 1);
    await connected(name);
    await importNow({ actor: ci, model: name });

    mlflow.setAlias(name, "champion", 2);
    mlflow.setAlias(name, "rogue", 1);
    const found = await importNow({ actor: ci, model: name });
    expect(found.drift).toEqual([
      { alias: "champion", mlflow: 2, gatehouse: 1 },
      { alias: "rogue", mlflow: 1, gatehouse: null },
    ]);
    const view = await getConnector({ actor: ci, model: name });
    expect(view?.drift.map((d) => d.message)).toEqual(["@champion points at version 2 in MLflow, version 1 in Gatehouse", "@rogue points at version 1 in MLflow but is not set in Gatehouse"]);
    expect(view?.driftSince).toEqual(expect.any(String));
    const modelId = (await db.registeredModel.findUniqueOrThrow({ where: { name } })).id;
    expect(await db.auditEvent.findFirst({ where: { action: "mlflow.drift.detected", targetId: modelId }, orderBy: { id: "desc" } })).toMatchObject({ reason: expect.stringContaining("@champion points at version 2 in MLflow") });
    // The same drift again is not a new event.
    const before = await db.auditEvent.count({ where: { action: "mlflow.drift.detected" } });
    await importNow({ actor: ci, model: name });
    expect(await db.auditEvent.count({ where: { action: "mlflow.drift.detected" } })).toBe(before);

    // Only someone who may roll aliases back may push.
    await expect(pushAliases({ actor: ci, model: name })).rejects.toMatchObject({ status: 403 });
    expect(await pushAliases({ actor: admin, model: name, reason: "MLflow was edited by hand" })).toEqual({ queued: ["champion", "rogue"], kept: [] });
    await runAliasSyncPass({ now: new Date(Date.now() + 1_000) });
    expect(mlflow.aliases(name)).toEqual({ champion: 1 });
    const resolved = await importNow({ actor: ci, model: name });
    expect(resolved.drift).toEqual([]);
    expect((await getConnector({ actor: ci, model: name }))?.driftSince).toBeNull();
    expect(await db.auditEvent.findFirst({ where: { action: "mlflow.drift.resolved" }, orderBy: { id: "desc" } })).toBeTruthy();
  });

  it("records a failed import on the connector (once in the audit trail), and imports on schedule", async () => {
    const name = `sched-${suffix}`;
    mlflow.addModel(name);
    mlflow.addVersion(name, { version: 5, source: "s3://m/5" });
    await connected(name, { token: "wrong-token", intervalMinutes: 1 });
    const failed = await importNow({ actor: ci, model: name });
    expect(failed).toMatchObject({ status: "failed", message: expect.stringContaining("HTTP 401 UNAUTHENTICATED") });
    await importNow({ actor: ci, model: name });
    const model = await db.registeredModel.findUniqueOrThrow({ where: { name } });
    expect(await db.auditEvent.count({ where: { action: "mlflow.import.failed", targetId: model.id } })).toBe(1);
    expect(await getConnector({ actor: ci, model: name })).toMatchObject({ lastImportStatus: "failed", lastImportMessage: expect.stringContaining("401") });

    // The admin fixes the token (left out: the stored one stays; given: replaced); the schedule imports it.
    await saveConnector({ actor: admin, model: name, input: { trackingUri: mlflow.url, token: mlflow.token, intervalMinutes: 1 } });
    const later = new Date(Date.now() + 2 * 60_000);
    const results = await runDueImports({ now: later });
    expect(results.find((r) => r.imported.includes(5))).toBeTruthy();
    expect(await getConnector({ actor: ci, model: name })).toMatchObject({ lastImportStatus: "ok" });
    // Not due again until its interval has passed.
    expect((await runDueImports({ now: later })).length).toBe(0);

    // Only admins connect; an unreachable server is a failed import, not an error.
    await expect(saveConnector({ actor: ci, model: name, input: { trackingUri: mlflow.url } })).rejects.toMatchObject({ status: 403 });
    await expect(saveConnector({ actor: admin, model: name, input: { trackingUri: "ftp://x" } })).rejects.toThrow(/http\(s\) URL/);
    // With versions from this MLflow, it cannot be pointed at another server.
    await expect(saveConnector({ actor: admin, model: name, input: { trackingUri: "http://127.0.0.1:59998" } })).rejects.toMatchObject({ status: 409, details: [{ path: "trackingUri" }] });
    const dead = `dead-${suffix}`;
    await connected(dead, { trackingUri: "http://127.0.0.1:59998" });
    expect(await importNow({ actor: ci, model: dead })).toMatchObject({ status: "failed", message: expect.stringContaining("ECONNREFUSED") });
    // Pointed at another server, the stored token is dropped unless given again.
    expect(await getConnector({ actor: ci, model: dead })).toMatchObject({ hasToken: true });
    expect(await saveConnector({ actor: admin, model: dead, input: { trackingUri: "http://127.0.0.2:59998" } })).toMatchObject({ hasToken: false });
    expect(await removeConnector({ actor: admin, model: name, reason: "moved off MLflow" })).toEqual({ removed: true });
    expect(await getConnector({ actor: ci, model: name })).toBeNull();
    expect(await getVersion({ actor: ci, model: name, version: "5" })).toMatchObject({ version: 5 });
  });
});
