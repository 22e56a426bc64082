import { expect, test } from "@playwright/test";
import MLflow from "mlflow";
import { MLflowBase } from "mlflow/lib/mlflow";
import { demoUser, sessionFor, unique } from "../support/api";

/**
 * The community MLflow client from the npm registry (`mlflow` 2.0.7) against Gatehouse. It wraps the tracking API
 * only (experiments, runs, metrics, artifacts), so it is used for what it covers: its own transport (URL building
 * under /api/2.0/mlflow, query strings for GET, JSON bodies, Bearer headers, and errors thrown for any non-200)
 * driving the registry endpoints, and its tracking calls, which Gatehouse must refuse in MLflow's format.
 */

/** The package's own request machinery, pointed at a registry path prefix as its Runs/Experiments classes do. */
class Registry extends MLflowBase {
  constructor(args: ConstructorParameters<typeof MLflowBase>[0], prefix: string) {
    super(args);
    this.path = prefix;
  }
  call(method: string, path: string, params: Record<string, unknown>) {
    return this.req(method, path, params);
  }
}

/** The package throws `Error(JSON.stringify({ status, statusText, data }))` (wrapped once more) for non-200 answers. */
async function failure(p: Promise<unknown>): Promise<{ status: number; data: { error_code: string; message: string } }> {
  const err = await p.then(
    () => null,
    (e: Error) => e,
  );
  expect(err, "the client raised an error").not.toBeNull();
  return JSON.parse(err!.message.replace(/^Error: /, ""));
}

test.describe("the community mlflow npm client", () => {
  test("registers, searches, aliases and reads through Gatehouse with a Bearer token; tracking calls are refused", async ({ baseURL }) => {
    const admin = await sessionFor(baseURL!, demoUser("admin"));
    const token = (await (await admin.post("/api/v1/tokens", { data: { name: unique("mlflow-npm"), kind: "service", scopes: ["registry:write"] } })).json()).token as string;
    await admin.dispose();
    const args = { endpoint: baseURL!, headers: { Authorization: `Bearer ${token}` } };
    const models = new Registry(args, "/registered-models");
    const versions = new Registry(args, "/model-versions");
    const name = unique("npm");

    const created = await models.call("post", "/create", { name, tags: [{ key: "gatehouse.team", value: "payments" }] });
    expect(created.registered_model).toMatchObject({ name, aliases: [] });
    const v1 = await versions.call("post", "/create", { name, source: "s3://models/npm/1", run_id: "run-1" });
    expect(v1.model_version).toMatchObject({ name, version: "1", status: "READY" });
    // GET with parameters in the query string, as the package sends them.
    expect((await versions.call("get", "/get", { name, version: "1" })).model_version).toMatchObject({ run_id: "run-1" });
    const found = await models.call("get", "/search", { filter: `name = '${name}'`, max_results: 10 });
    expect(found.registered_models.map((m: { name: string }) => m.name)).toEqual([name]);
    await models.call("post", "/alias", { name, alias: "shadow", version: "1" });
    expect((await models.call("get", "/alias", { name, alias: "shadow" })).model_version).toMatchObject({ version: "1", aliases: ["shadow"] });
    // The package sends DELETE parameters in the query string, not a body: Gatehouse reads them there too.
    await models.call("delete", "/alias", { name, alias: "shadow" });
    const gone = await failure(models.call("get", "/alias", { name, alias: "shadow" }));
    expect(gone).toMatchObject({ status: 400, data: { error_code: "INVALID_PARAMETER_VALUE", message: "Registered model alias shadow not found." } });
    // A protected alias: the client surfaces Gatehouse's PERMISSION_DENIED with its message.
    const denied = await failure(models.call("post", "/alias", { name, alias: "champion", version: "1" }));
    expect(denied.status).toBe(403);
    expect(denied.data.error_code).toBe("PERMISSION_DENIED");
    expect(denied.data.message).toContain("promotion request");

    // The package's own tracking calls: Gatehouse does not serve the tracking API and says what to do.
    const client = new MLflow(args);
    const runs = await failure(client.Runs.get({ run_id: "run-1" }));
    expect(runs).toMatchObject({ status: 404, data: { error_code: "ENDPOINT_NOT_FOUND" } });
    expect(runs.data.message).toContain("registry");
    const experiments = await failure(client.Experiments.list({}));
    expect(experiments.data.error_code).toBe("ENDPOINT_NOT_FOUND");
    // And without the token: UNAUTHENTICATED.
    const anonymous = new Registry({ endpoint: baseURL! }, "/registered-models");
    expect(await failure(anonymous.call("get", "/get", { name }))).toMatchObject({ status: 401, data: { error_code: "UNAUTHENTICATED" } });
  });
});
