import { expect, test, type APIRequestContext } from "@playwright/test";
import { demoUser, sessionFor, tokenClient, unique } from "../support/api";
import { expectMessage } from "../support/mlflow-proto";
import { dataHash, sha, STAGING_REPORTS } from "../support/registry";

/**
 * Gatehouse's MLflow Model Registry API (/api/2.0/mlflow/), request by request against model_registry.proto: each
 * call names the proto message its request and response come from, and every response body is checked field by
 * field against that message (e2e/support/mlflow-proto.ts). docs/mlflow.md lists what is covered.
 */

type Reply = { status: number; json: Record<string, unknown> & { error_code?: string; message?: string } };

/** Calls an MLflow endpoint as MLflow's Python client does: GET parameters in the query, others as a JSON body. */
async function call(client: APIRequestContext, method: "GET" | "POST" | "PATCH" | "DELETE", path: string, params: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Reply> {
  const url = `/api/2.0/mlflow/${path}`;
  const res =
    method === "GET"
      ? await client.get(url, { params: Object.fromEntries(Object.entries(params).filter(([, v]) => !Array.isArray(v)).map(([k, v]) => [k, String(v)])), headers })
      : await client.fetch(url, { method, data: params, headers });
  const text = await res.text();
  expect(text, `${method} ${path} answers JSON without a stack trace`).not.toMatch(/at .*\.(js|ts):\d+/);
  return { status: res.status(), json: JSON.parse(text) };
}

/** Asserts an MLflow error: status, `error_code`, a message containing `text`, and nothing but MLflow's fields (+ gatehouse). */
function expectMlflowError(r: Reply, status: number, code: string, text?: string | RegExp) {
  expect(r.status, JSON.stringify(r.json)).toBe(status);
  expect(r.json.error_code).toBe(code);
  expect(typeof r.json.message).toBe("string");
  if (text) expect(r.json.message).toMatch(text);
  expect(Object.keys(r.json).filter((k) => !["error_code", "message", "gatehouse"].includes(k))).toEqual([]);
}

function expectOk(r: Reply, message: string) {
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  expectMessage(r.json, message);
}

const lineageTags = () => {
  const commit = sha();
  const hash = dataHash();
  return {
    commit,
    hash,
    tags: [
      { key: "mlflow.source.git.commit", value: commit },
      { key: "mlflow.source.git.repoURL", value: "https://git.example.com/ml/fraud" },
      { key: "gatehouse.data.hash", value: hash },
      { key: "gatehouse.data.snapshot", value: "s3://data/fraud/2026-11-01" },
      { key: "gatehouse.feature_set.name", value: "fraud-features" },
      { key: "gatehouse.feature_set.version", value: "12" },
      { key: "gatehouse.artifact.checksum", value: `sha256:${sha()}` },
      { key: "framework", value: "xgboost" },
    ],
  };
};

test.describe("MLflow registry API", () => {
  let admin: APIRequestContext;
  let engineer: APIRequestContext;
  let auditor: APIRequestContext;
  let ci: APIRequestContext;
  let serving: APIRequestContext;
  let anonymous: APIRequestContext;
  test.beforeAll(async ({ baseURL, playwright }) => {
    [admin, engineer, auditor] = await Promise.all([sessionFor(baseURL!, demoUser("admin")), sessionFor(baseURL!, demoUser("engineer")), sessionFor(baseURL!, demoUser("auditor"))]);
    const token = async (scopes: string[]) => (await (await admin.post("/api/v1/tokens", { data: { name: unique("mlflow"), kind: "service", scopes } })).json()).token as string;
    ci = await tokenClient(baseURL!, await token(["registry:write", "promotions:request"]));
    serving = await tokenClient(baseURL!, await token(["serving:read"]));
    anonymous = await playwright.request.newContext({ baseURL });
  });
  test.afterAll(async () => Promise.all([admin, engineer, auditor, ci, serving, anonymous].map((c) => c.dispose())));

  /** A payments model made through the MLflow API by the CI token (which names its team with the tag). */
  async function mlflowModel(extraTags: { key: string; value: string }[] = []) {
    const name = unique("mlf");
    const r = await call(ci, "POST", "registered-models/create", { name, description: "fraud scorer", tags: [{ key: "gatehouse.team", value: "payments" }, ...extraTags] });
    expectOk(r, "CreateRegisteredModel.Response");
    return name;
  }

  test("registered-models/create, get, update, set-tag, delete-tag (RegisteredModel)", async () => {
    const name = unique("mlf");
    // CreateRegisteredModel { name, tags, description } → CreateRegisteredModel.Response { registered_model }
    const created = await call(ci, "POST", "registered-models/create", { name, description: "fraud scorer", tags: [{ key: "gatehouse.team", value: "payments" }, { key: "gatehouse.risk_tier", value: "regulated" }, { key: "owner", value: "fraud-squad" }] });
    expectOk(created, "CreateRegisteredModel.Response");
    const model = created.json.registered_model as Record<string, unknown>;
    expect(model).toMatchObject({ name, description: "fraud scorer", latest_versions: [], aliases: [] });
    expect(model.tags).toEqual([
      { key: "gatehouse.risk_tier", value: "regulated" },
      { key: "gatehouse.team", value: "payments" },
      { key: "owner", value: "fraud-squad" },
    ]);
    expect(Math.abs((model.creation_timestamp as number) - Date.now())).toBeLessThan(60_000);
    // The same model in Gatehouse's own API: team and risk tier are fields, not tags.
    expect(await (await engineer.get(`/api/v1/models/${name}`)).json()).toMatchObject({ team: { slug: "payments" }, riskTier: "regulated", tags: { owner: "fraud-squad" }, archivedAt: null });

    // A second create: RESOURCE_ALREADY_EXISTS, 400 (what MLflow's register_model treats as success).
    expectMlflowError(await call(ci, "POST", "registered-models/create", { name, tags: [{ key: "gatehouse.team", value: "payments" }] }), 400, "RESOURCE_ALREADY_EXISTS", `Registered Model (name=${name}) already exists.`);
    // A service token acts on every team: it must name one.
    expectMlflowError(await call(ci, "POST", "registered-models/create", { name: unique("mlf") }), 400, "INVALID_PARAMETER_VALUE", /gatehouse\.team/);
    // An engineer's own session has one team (payments): it is the default.
    const own = await call(engineer, "POST", "registered-models/create", { name: unique("mlf") });
    expectOk(own, "CreateRegisteredModel.Response");
    expect((own.json.registered_model as { tags: unknown[] }).tags).toContainEqual({ key: "gatehouse.team", value: "payments" });
    // Missing and bad parameters, in MLflow's words.
    expectMlflowError(await call(ci, "POST", "registered-models/create", {}), 400, "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'name'");
    expectMlflowError(await call(ci, "POST", "registered-models/create", { name: "has space", tags: [{ key: "gatehouse.team", value: "payments" }] }), 400, "INVALID_PARAMETER_VALUE", /'name'/);
    expectMlflowError(await call(ci, "POST", "registered-models/create", { name: unique("mlf"), tags: [{ key: "gatehouse.team", value: "payments" }, { key: "gatehouse.risk_tier", value: "extreme" }] }), 400, "INVALID_PARAMETER_VALUE", /gatehouse\.risk_tier/);
    expectMlflowError(await call(ci, "POST", "registered-models/create", { name: unique("mlf"), tags: [{ key: "gatehouse.team", value: "no-such-team" }] }), 400, "INVALID_PARAMETER_VALUE", /no-such-team/);

    // GetRegisteredModel { name } → { registered_model }
    expectOk(await call(ci, "GET", "registered-models/get", { name }), "GetRegisteredModel.Response");
    expectMlflowError(await call(ci, "GET", "registered-models/get", { name: "no-such-model" }), 404, "RESOURCE_DOES_NOT_EXIST", "Registered Model with name=no-such-model not found");
    expectMlflowError(await call(ci, "GET", "registered-models/get", {}), 400, "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'name'");

    // UpdateRegisteredModel { name, description } (PATCH) → { registered_model }
    const updated = await call(ci, "PATCH", "registered-models/update", { name, description: "fraud scorer, v2 features" });
    expectOk(updated, "UpdateRegisteredModel.Response");
    expect(updated.json.registered_model).toMatchObject({ description: "fraud scorer, v2 features" });

    // SetRegisteredModelTag { name, key, value } → {}; DeleteRegisteredModelTag { name, key } (DELETE) → {}
    expectOk(await call(ci, "POST", "registered-models/set-tag", { name, key: "reviewed", value: "yes" }), "SetRegisteredModelTag.Response");
    expect((await call(ci, "GET", "registered-models/get", { name })).json.registered_model).toMatchObject({ tags: expect.arrayContaining([{ key: "reviewed", value: "yes" }, { key: "owner", value: "fraud-squad" }]) });
    expectOk(await call(ci, "DELETE", "registered-models/delete-tag", { name, key: "reviewed" }), "DeleteRegisteredModelTag.Response");
    expect(JSON.stringify((await call(ci, "GET", "registered-models/get", { name })).json)).not.toContain("reviewed");
    expectMlflowError(await call(ci, "DELETE", "registered-models/delete-tag", { name, key: "reviewed" }), 404, "RESOURCE_DOES_NOT_EXIST", "No tag with name: reviewed");
    expectMlflowError(await call(ci, "POST", "registered-models/set-tag", { name, key: "gatehouse.team", value: "risk" }), 400, "INVALID_PARAMETER_VALUE", /owning team/);
    expectMlflowError(await call(ci, "POST", "registered-models/set-tag", { name, key: "k" }), 400, "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'value'");

    // Every change is in the audit trail, by the token.
    const audit = await (await auditor.get(`/api/v1/audit?model=${name}&limit=50`)).json();
    expect(audit.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(["model.create", "model.update"]));
    expect(audit.items.find((e: { action: string; reason: string | null }) => e.action === "model.update" && e.reason?.includes("MLflow API"))).toBeTruthy();
  });

  test("model-versions/create with lineage tags, get, update, tags, get-download-uri, get-latest-versions (ModelVersion)", async () => {
    const name = await mlflowModel();
    const { commit, hash, tags } = lineageTags();
    // CreateModelVersion { name, source, run_id, tags, run_link, description } → { model_version }
    const created = await call(ci, "POST", "model-versions/create", { name, source: "s3://models/fraud/1", run_id: "run-abc", run_link: "https://mlflow.example.com/#/runs/run-abc", tags, description: "first" });
    expectOk(created, "CreateModelVersion.Response");
    const mv = created.json.model_version as Record<string, unknown>;
    expect(mv).toMatchObject({ name, version: "1", source: "s3://models/fraud/1", run_id: "run-abc", run_link: "https://mlflow.example.com/#/runs/run-abc", status: "READY", current_stage: "None", description: "first", aliases: [] });
    expect(mv.tags).toEqual(expect.arrayContaining(tags));
    // Lineage tags became Gatehouse lineage: the version is reproducible.
    const native = await (await engineer.get(`/api/v1/models/${name}/versions/1`)).json();
    expect(native).toMatchObject({
      reproducible: true,
      artifact: { uri: "s3://models/fraud/1" },
      lineage: { commitSha: commit, dataHash: hash, codeRepository: "https://git.example.com/ml/fraud", dataSnapshotUri: "s3://data/fraud/2026-11-01", featureSet: { name: "fraud-features", version: "12" }, trainingRun: { id: "run-abc", url: "https://mlflow.example.com/#/runs/run-abc" } },
    });
    // Without lineage tags: registered, not reproducible, no checksum.
    const bare = await call(ci, "POST", "model-versions/create", { name, source: "runs:/run-def/model" });
    expectOk(bare, "CreateModelVersion.Response");
    expect(bare.json.model_version).toMatchObject({ version: "2", tags: [] });
    expect(await (await engineer.get(`/api/v1/models/${name}/versions/2`)).json()).toMatchObject({ reproducible: false, artifact: { checksum: "" } });
    // A malformed lineage tag is reported at the tag.
    expectMlflowError(await call(ci, "POST", "model-versions/create", { name, source: "s3://x", tags: [{ key: "mlflow.source.git.commit", value: "not-a-commit" }] }), 400, "INVALID_PARAMETER_VALUE", /tags\.mlflow\.source\.git\.commit/);
    expectMlflowError(await call(ci, "POST", "model-versions/create", { name }), 400, "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'source'");
    expectMlflowError(await call(ci, "POST", "model-versions/create", { name: "no-such-model", source: "s3://x" }), 404, "RESOURCE_DOES_NOT_EXIST");

    // GetModelVersion { name, version } → { model_version }
    expectOk(await call(ci, "GET", "model-versions/get", { name, version: "1" }), "GetModelVersion.Response");
    expectMlflowError(await call(ci, "GET", "model-versions/get", { name, version: "9" }), 404, "RESOURCE_DOES_NOT_EXIST", `Model Version (name=${name}, version=9) not found`);
    expectMlflowError(await call(ci, "GET", "model-versions/get", { name, version: "one" }), 400, "INVALID_PARAMETER_VALUE", /version/);
    expectMlflowError(await call(ci, "GET", "model-versions/get", { name }), 400, "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'version'");

    // UpdateModelVersion { name, version, description } (PATCH) → { model_version }
    const updated = await call(ci, "PATCH", "model-versions/update", { name, version: "1", description: "first, reviewed" });
    expectOk(updated, "UpdateModelVersion.Response");
    expect(updated.json.model_version).toMatchObject({ description: "first, reviewed" });

    // SetModelVersionTag / DeleteModelVersionTag → {}; lineage tags are immutable.
    expectOk(await call(ci, "POST", "model-versions/set-tag", { name, version: "1", key: "validated", value: "true" }), "SetModelVersionTag.Response");
    expect((await call(ci, "GET", "model-versions/get", { name, version: "1" })).json.model_version).toMatchObject({ tags: expect.arrayContaining([{ key: "validated", value: "true" }, { key: "framework", value: "xgboost" }]) });
    expectOk(await call(ci, "DELETE", "model-versions/delete-tag", { name, version: "1", key: "validated" }), "DeleteModelVersionTag.Response");
    expectMlflowError(await call(ci, "DELETE", "model-versions/delete-tag", { name, version: "1", key: "validated" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await call(ci, "POST", "model-versions/set-tag", { name, version: "1", key: "mlflow.source.git.commit", value: sha() }), 400, "INVALID_PARAMETER_VALUE", /lineage/);

    // GetModelVersionDownloadUri { name, version } → { artifact_uri }: serving tokens may ask.
    const uri = await call(serving, "GET", "model-versions/get-download-uri", { name, version: "1" });
    expectOk(uri, "GetModelVersionDownloadUri.Response");
    expect(uri.json).toEqual({ artifact_uri: "s3://models/fraud/1" });
    expectMlflowError(await call(serving, "GET", "model-versions/get", { name, version: "1" }), 403, "PERMISSION_DENIED");

    // GetLatestVersions { name, stages } (GET and POST) → { model_versions }: stage "None" only, as Gatehouse has no stages.
    for (const method of ["GET", "POST"] as const) {
      const latest = await call(ci, method, "registered-models/get-latest-versions", { name });
      expectOk(latest, "GetLatestVersions.Response");
      expect((latest.json.model_versions as { version: string }[]).map((v) => v.version)).toEqual(["2"]);
    }
    expect((await call(ci, "POST", "registered-models/get-latest-versions", { name, stages: ["Production"] })).json.model_versions).toEqual([]);
    // The registered model lists its latest version.
    expect((await call(ci, "GET", "registered-models/get", { name })).json.registered_model).toMatchObject({ latest_versions: [{ version: "2" }] });
  });

  test("search: filter syntax and page_token paging (SearchRegisteredModels, SearchModelVersions)", async ({ baseURL }) => {
    const batch = unique("s").replace(/-/g, "_");
    const names: string[] = [];
    for (let i = 0; i < 3; i++) names.push(await mlflowModel([{ key: "batch", value: batch }]));
    names.sort();
    // SearchRegisteredModels { filter, max_results, order_by, page_token } → { registered_models, next_page_token }
    const first = await call(ci, "GET", "registered-models/search", { filter: `tags.batch = '${batch}'`, max_results: 2 });
    expectOk(first, "SearchRegisteredModels.Response");
    expect((first.json.registered_models as { name: string }[]).map((m) => m.name)).toEqual(names.slice(0, 2));
    expect(typeof first.json.next_page_token).toBe("string");
    const second = await call(ci, "GET", "registered-models/search", { filter: `tags.batch = '${batch}'`, max_results: 2, page_token: first.json.next_page_token });
    expectOk(second, "SearchRegisteredModels.Response");
    expect((second.json.registered_models as { name: string }[]).map((m) => m.name)).toEqual(names.slice(2));
    expect(second.json.next_page_token).toBeUndefined();
    // name =, LIKE, ILIKE, AND, the team tag, order_by.
    const byName = async (filter: string, extra: Record<string, unknown> = {}) => ((await call(ci, "GET", "registered-models/search", { filter, ...extra })).json.registered_models as { name: string }[]).map((m) => m.name);
    expect(await byName(`name = '${names[1]}'`)).toEqual([names[1]]);
    expect(await byName(`name LIKE '${names[0].slice(0, 8)}%' AND tags.batch = '${batch}'`)).toEqual(names.filter((n) => n.startsWith(names[0].slice(0, 8))));
    expect(await byName(`name ILIKE '${names[2].toUpperCase()}'`)).toEqual([names[2]]);
    expect(await byName(`tags.\`gatehouse.team\` = 'payments' AND tags.batch = '${batch}'`)).toEqual(names);
    expect(await byName(`tags.gatehouse.team = 'risk' AND tags.batch = '${batch}'`)).toEqual([]);
    const desc = await ci.get(`/api/2.0/mlflow/registered-models/search?filter=${encodeURIComponent(`tags.batch = '${batch}'`)}&order_by=name%20DESC`);
    expect(((await desc.json()).registered_models as { name: string }[]).map((m) => m.name)).toEqual([...names].reverse());
    // Bad filters, order_by, tokens and sizes.
    expectMlflowError(await call(ci, "GET", "registered-models/search", { filter: "name = 'a' OR name = 'b'" }), 400, "INVALID_PARAMETER_VALUE", /OR is not supported/);
    expectMlflowError(await call(ci, "GET", "registered-models/search", { filter: "run_id = 'x'" }), 400, "INVALID_PARAMETER_VALUE", /searched by name and tags/);
    expectMlflowError(await call(ci, "GET", "registered-models/search", { order_by: "size" }), 400, "INVALID_PARAMETER_VALUE", /order_by/);
    expectMlflowError(await call(ci, "GET", "registered-models/search", { page_token: "nonsense" }), 400, "INVALID_PARAMETER_VALUE", /page_token/);
    expectMlflowError(await call(ci, "GET", "registered-models/search", { filter: "name LIKE 'abc\\'" }), 400, "INVALID_PARAMETER_VALUE", /backslash/);
    expectMlflowError(await call(ci, "GET", "registered-models/search", { max_results: 1001 }), 400, "INVALID_PARAMETER_VALUE", /at most 1000/);
    // A serving token resolves aliases but does not list the registry.
    expectMlflowError(await call(serving, "GET", "registered-models/search", {}), 403, "PERMISSION_DENIED");
    expectMlflowError(await call(serving, "GET", "model-versions/search", {}), 403, "PERMISSION_DENIED");

    // SearchModelVersions { filter, max_results, order_by, page_token } → { model_versions, next_page_token }
    const name = names[0];
    const runs = [unique("run"), unique("run"), unique("run")];
    for (const run of runs) expectOk(await call(ci, "POST", "model-versions/create", { name, source: `s3://m/${run}`, run_id: run, tags: [{ key: "batch", value: batch }] }), "CreateModelVersion.Response");
    const page1 = await call(ci, "GET", "model-versions/search", { filter: `name = '${name}'`, max_results: 2 });
    expectOk(page1, "SearchModelVersions.Response");
    expect((page1.json.model_versions as { version: string }[]).map((v) => v.version)).toEqual(["3", "2"]);
    const page2 = await call(ci, "GET", "model-versions/search", { filter: `name = '${name}'`, max_results: 2, page_token: page1.json.next_page_token });
    expect((page2.json.model_versions as { version: string }[]).map((v) => v.version)).toEqual(["1"]);
    expect(page2.json.next_page_token).toBeUndefined();
    const versions = async (filter: string) => ((await call(ci, "GET", "model-versions/search", { filter })).json.model_versions as { version: string }[]).map((v) => v.version);
    expect(await versions(`run_id = '${runs[1]}'`)).toEqual(["2"]);
    expect(await versions(`run_id IN ('${runs[0]}', '${runs[2]}')`)).toEqual(["3", "1"]);
    expect(await versions(`name = '${name}' AND version_number >= 2`)).toEqual(["3", "2"]);
    expect(await versions(`tags.batch = '${batch}' AND name = '${name}'`)).toEqual(["3", "2", "1"]);
    expectMlflowError(await call(ci, "GET", "model-versions/search", { filter: "source_path = 'x'" }), 400, "INVALID_PARAMETER_VALUE");
    // Search is scoped to the teams the reader may see: payments' engineer finds them, growth's finds nothing.
    expect(((await call(engineer, "GET", "model-versions/search", { filter: `name = '${name}'` })).json.model_versions as unknown[]).length).toBe(3);
    const growth = await sessionFor(baseURL!, "engineer-growth@gatehouse.local");
    expect((await call(growth, "GET", "model-versions/search", { filter: `name = '${name}'` })).json.model_versions ?? []).toEqual([]);
    expect((await call(growth, "GET", "registered-models/search", { filter: `tags.batch = '${batch}'` })).json.registered_models ?? []).toEqual([]);
    expectMlflowError(await call(growth, "GET", "registered-models/get", { name }), 404, "RESOURCE_DOES_NOT_EXIST");
    await growth.dispose();
  });

  test("registered-models/alias: unprotected aliases move as in MLflow (SetRegisteredModelAlias, GetModelVersionByAlias, DeleteRegisteredModelAlias)", async () => {
    const name = await mlflowModel();
    for (let i = 0; i < 2; i++) await call(ci, "POST", "model-versions/create", { name, source: `s3://m/${i}` });
    expectOk(await call(ci, "POST", "registered-models/alias", { name, alias: "candidate", version: "2" }), "SetRegisteredModelAlias.Response");
    const byAlias = await call(serving, "GET", "registered-models/alias", { name, alias: "candidate" });
    expectOk(byAlias, "GetModelVersionByAlias.Response");
    expect(byAlias.json.model_version).toMatchObject({ version: "2", aliases: ["candidate"] });
    expect((await call(ci, "GET", "registered-models/get", { name })).json.registered_model).toMatchObject({ aliases: [{ alias: "candidate", version: "2" }] });
    expect((await call(ci, "GET", "model-versions/get", { name, version: "2" })).json.model_version).toMatchObject({ aliases: ["candidate"] });
    // Gatehouse recorded the move with its history.
    const history = await (await engineer.get(`/api/v1/models/${name}/aliases/candidate/history`)).json();
    expect(JSON.stringify(history)).toContain("MLflow API");
    // Moving it, then deleting it (the body carries { name, alias }, as MLflow's client sends it).
    expectOk(await call(ci, "POST", "registered-models/alias", { name, alias: "candidate", version: "1" }), "SetRegisteredModelAlias.Response");
    expectOk(await call(ci, "DELETE", "registered-models/alias", { name, alias: "candidate" }), "DeleteRegisteredModelAlias.Response");
    expectMlflowError(await call(ci, "GET", "registered-models/alias", { name, alias: "candidate" }), 400, "INVALID_PARAMETER_VALUE", "Registered model alias candidate not found.");
    expectMlflowError(await call(ci, "GET", "registered-models/alias", { name: "no-such-model", alias: "candidate" }), 400, "INVALID_PARAMETER_VALUE");
    // Deleting an alias that is not set is not an error; reserved and malformed names are.
    expectOk(await call(ci, "DELETE", "registered-models/alias", { name, alias: "candidate" }), "DeleteRegisteredModelAlias.Response");
    for (const alias of ["v3", "V12", "latest", "has space"]) expectMlflowError(await call(ci, "POST", "registered-models/alias", { name, alias, version: "1" }), 400, "INVALID_PARAMETER_VALUE", /alias/);
    expectMlflowError(await call(ci, "POST", "registered-models/alias", { name, alias: "candidate", version: "7" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await call(ci, "POST", "registered-models/alias", { name, alias: "candidate" }), 400, "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'version'");
  });

  test("protected aliases answer PERMISSION_DENIED naming the promotion flow, and open a request when asked", async ({ baseURL }) => {
    const name = await mlflowModel();
    const { tags } = lineageTags();
    await call(ci, "POST", "model-versions/create", { name, source: "s3://m/1", tags });
    await call(ci, "POST", "model-versions/create", { name, source: "s3://m/2" });
    for (const v of [1, 2]) for (const report of STAGING_REPORTS) expect((await engineer.post(`/api/v1/models/${name}/versions/${v}/reports`, { data: report })).status()).toBe(201);

    const denied = await call(ci, "POST", "registered-models/alias", { name, alias: "staging", version: "1" });
    expectMlflowError(denied, 403, "PERMISSION_DENIED", /@staging is a protected alias .* promotion request/);
    expect(denied.json.message).toContain('"stage": "staging"');
    expect(denied.json.message).toContain("Gatehouse-Promotion-Justification");
    expectMlflowError(await call(ci, "POST", "registered-models/alias", { name, alias: "champion", version: "1" }), 403, "PERMISSION_DENIED", /protected alias/);
    expectMlflowError(await call(ci, "GET", "registered-models/alias", { name, alias: "staging" }), 400, "INVALID_PARAMETER_VALUE");

    // With the header: version 1 passes staging's gates and staging asks for no approvals, so the request applies at once.
    const asked = { "Gatehouse-Promotion-Justification": "Retrained on November data; AUC is up 0.4 points." };
    const applied = await call(ci, "POST", "registered-models/alias", { name, alias: "staging", version: "1" }, asked);
    expect(applied.status, JSON.stringify(applied.json)).toBe(200);
    const appliedRequest = (applied.json.gatehouse as { promotion_request: { id: string; status: string; url: string } }).promotion_request;
    expect(appliedRequest).toMatchObject({ status: "applied", version: "1", stage: "staging" });
    expect(appliedRequest.url).toMatch(new RegExp(`/promotions/${appliedRequest.id}$`));
    expect((await call(serving, "GET", "registered-models/alias", { name, alias: "staging" })).json.model_version).toMatchObject({ version: "1", aliases: ["staging"] });
    // Asking again for what already holds is a success, as in MLflow.
    expectOk(await call(ci, "POST", "registered-models/alias", { name, alias: "staging", version: "1" }), "SetRegisteredModelAlias.Response");

    // Version 2 lacks lineage: its request opens blocked, and the alias stays.
    const blocked = await call(ci, "POST", "registered-models/alias", { name, alias: "staging", version: "2" }, asked);
    expectMlflowError(blocked, 403, "PERMISSION_DENIED", /Opened promotion request #\d+ to move it to version 2/);
    const opened = (blocked.json.gatehouse as { promotion_request: { id: string; number: number; status: string }; opened: boolean });
    expect(opened).toMatchObject({ opened: true, promotion_request: { status: "blocked", version: "2" } });
    const request = await (await engineer.get(`/api/v1/promotions/${opened.promotion_request.id}`)).json();
    expect(request).toMatchObject({ model: name, version: 2, stage: "staging", status: "blocked", justification: asked["Gatehouse-Promotion-Justification"] });
    expect(request.requester).toMatch(/^token:mlflow-/);
    // A retried call opens no second request.
    const again = await call(ci, "POST", "registered-models/alias", { name, alias: "staging", version: "2" }, asked);
    expectMlflowError(again, 403, "PERMISSION_DENIED", /already open/);
    expect(again.json.gatehouse).toMatchObject({ opened: false, promotion_request: { id: opened.promotion_request.id } });
    expect((await call(serving, "GET", "registered-models/alias", { name, alias: "staging" })).json.model_version).toMatchObject({ version: "1" });
    // A token that may not request promotions is told so.
    const writeOnly = await tokenClient(baseURL!, (await (await admin.post("/api/v1/tokens", { data: { name: unique("mlflow"), kind: "service", scopes: ["registry:write"] } })).json()).token);
    expectMlflowError(await call(writeOnly, "POST", "registered-models/alias", { name, alias: "staging", version: "2" }, asked), 403, "PERMISSION_DENIED", /promotions:request/);
    await writeOnly.dispose();
    // A token that may request promotions but not set aliases is still told the way, and can take it.
    const requestOnly = await tokenClient(baseURL!, (await (await admin.post("/api/v1/tokens", { data: { name: unique("mlflow"), kind: "service", scopes: ["promotions:request"] } })).json()).token);
    expectMlflowError(await call(requestOnly, "POST", "registered-models/alias", { name, alias: "staging", version: "2" }), 403, "PERMISSION_DENIED", /promotion request/);
    expectMlflowError(await call(requestOnly, "POST", "registered-models/alias", { name, alias: "staging", version: "2" }, asked), 403, "PERMISSION_DENIED", /already open/);
    await requestOnly.dispose();

    // Protected aliases are never deleted by hand, nor the versions and models they point at.
    expectMlflowError(await call(ci, "DELETE", "registered-models/alias", { name, alias: "staging" }), 403, "PERMISSION_DENIED", /never deleted by hand/);
    expectMlflowError(await call(ci, "DELETE", "model-versions/delete", { name, version: "1" }), 403, "PERMISSION_DENIED", /@staging \(protected\)/);
    expectMlflowError(await call(ci, "DELETE", "registered-models/delete", { name }), 403, "PERMISSION_DENIED", /@staging \(protected\)/);
  });

  test("deletes archive: history and audit stay, and the response says so (DeleteModelVersion, DeleteRegisteredModel)", async () => {
    const name = await mlflowModel();
    for (let i = 1; i <= 3; i++) await call(ci, "POST", "model-versions/create", { name, source: `s3://m/${i}` });
    await call(ci, "POST", "registered-models/alias", { name, alias: "candidate", version: "2" });

    const deleted = await call(ci, "DELETE", "model-versions/delete", { name, version: "2" });
    expectOk(deleted, "DeleteModelVersion.Response");
    expect(deleted.json.gatehouse).toMatchObject({ archived: true, versions: ["2"], aliases_removed: ["candidate"] });
    expect((deleted.json.gatehouse as { message: string }).message).toMatch(/archived, not erased/);
    expectMlflowError(await call(ci, "GET", "model-versions/get", { name, version: "2" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expect(await (await engineer.get(`/api/v1/models/${name}/versions/2`)).json()).toMatchObject({ status: "archived", aliases: [] });
    const search = await call(ci, "GET", "model-versions/search", { filter: `name = '${name}'` });
    expect((search.json.model_versions as { version: string }[]).map((v) => v.version)).toEqual(["3", "1"]);
    // Numbers are never reused.
    expect((await call(ci, "POST", "model-versions/create", { name, source: "s3://m/4" })).json.model_version).toMatchObject({ version: "4" });

    const gone = await call(ci, "DELETE", "registered-models/delete", { name });
    expectOk(gone, "DeleteRegisteredModel.Response");
    expect(gone.json.gatehouse).toMatchObject({ archived: true, versions: ["1", "3", "4"] });
    expectMlflowError(await call(ci, "GET", "registered-models/get", { name }), 404, "RESOURCE_DOES_NOT_EXIST");
    expect(((await call(ci, "GET", "registered-models/search", { filter: `name = '${name}'` })).json.registered_models as unknown[]) ?? []).toEqual([]);
    expectMlflowError(await call(ci, "POST", "registered-models/create", { name, tags: [{ key: "gatehouse.team", value: "payments" }] }), 400, "RESOURCE_ALREADY_EXISTS", /archived/);
    expectMlflowError(await call(ci, "POST", "model-versions/create", { name, source: "s3://m/5" }), 404, "RESOURCE_DOES_NOT_EXIST");
    // Gatehouse still has it all: the model (archived), its versions, and the audit trail of every step.
    expect((await (await engineer.get(`/api/v1/models/${name}`)).json()).archivedAt).toEqual(expect.any(String));
    const native = await (await engineer.get(`/api/v1/models/${name}/versions`)).json();
    expect(native.items.map((v: { version: number; status: string }) => `${v.version}:${v.status}`)).toEqual(["4:archived", "3:archived", "2:archived", "1:archived"]);
    expect((await engineer.post(`/api/v1/models/${name}/versions`, { data: { artifact: { uri: "s3://x", checksum: `sha256:${sha()}` } } })).status()).toBe(409);
    const audit = await (await auditor.get(`/api/v1/audit?model=${name}&limit=100`)).json();
    const actions = audit.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["model.archive", "version.update", "alias.delete", "alias.set", "version.register", "model.create"]));
  });

  test("MLflow's conventions: content type, deprecated stages, rename, tracking endpoints, authentication", async ({ baseURL }) => {
    const name = await mlflowModel();
    await call(ci, "POST", "model-versions/create", { name, source: "s3://m/1" });
    const form = await ci.post("/api/2.0/mlflow/registered-models/create", { data: `name=${name}`, headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(form.status()).toBe(400);
    expect(await form.json()).toEqual({ error_code: "BAD_REQUEST", message: "Bad Request. Content-Type must be one of ['application/json']." });
    const malformed = await ci.post("/api/2.0/mlflow/registered-models/create", { data: Buffer.from("{not json"), headers: { "content-type": "application/json" } });
    expect(malformed.status()).toBe(400);
    expect(await malformed.json()).toMatchObject({ error_code: "BAD_REQUEST", message: expect.stringContaining("Malformed JSON") });
    const list = await ci.post("/api/2.0/mlflow/registered-models/create", { data: Buffer.from("[1]"), headers: { "content-type": "application/json" } });
    expect(await list.json()).toMatchObject({ error_code: "BAD_REQUEST", message: expect.stringContaining("JSON object") });

    // TransitionModelVersionStage { name, version, stage, archive_existing_versions }: deprecated, pointing to aliases.
    expectMlflowError(await call(ci, "POST", "model-versions/transition-stage", { name, version: "1", stage: "Production", archive_existing_versions: true }), 400, "BAD_REQUEST", /aliases/);
    expectMlflowError(await call(ci, "POST", "registered-models/rename", { name, new_name: `${name}-2` }), 400, "BAD_REQUEST", /does not rename/);
    // The tracking API is not Gatehouse's: the message says how to split the registry from tracking.
    expectMlflowError(await call(ci, "GET", "runs/get", { run_id: "abc" }), 404, "ENDPOINT_NOT_FOUND", /registry/);
    expectMlflowError(await call(ci, "GET", "no/such/endpoint"), 404, "ENDPOINT_NOT_FOUND");

    // Without a token, with a wrong one: 401 UNAUTHENTICATED, in MLflow's format.
    expectMlflowError(await call(anonymous, "GET", "registered-models/get", { name }), 401, "UNAUTHENTICATED");
    expectMlflowError(await call(anonymous, "GET", "registered-models/get", { name }, { authorization: "Bearer gh_wrong" }), 401, "UNAUTHENTICATED");
    // A reader may read and not write.
    const viewer = await sessionFor(baseURL!, demoUser("viewer"));
    expectOk(await call(viewer, "GET", "registered-models/get", { name }), "GetRegisteredModel.Response");
    expectMlflowError(await call(viewer, "POST", "model-versions/create", { name, source: "s3://m/2" }), 403, "PERMISSION_DENIED");
    // Nor learn, by trying to create it, whether a name is taken.
    expectMlflowError(await call(viewer, "POST", "registered-models/create", { name }), 403, "PERMISSION_DENIED");
    await viewer.dispose();
  });
});
