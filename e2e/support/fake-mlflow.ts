import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for an MLflow tracking server, for the connector's tests: the endpoints the connector calls, written from
 * MLflow's protocol definitions (model_registry.proto, service.proto) and the behaviour observed from a real MLflow
 * 2.12 server (../shared/MLFLOW-NOTES.md). docs/mlflow.md lists exactly what it reproduces:
 *
 * - `GET registered-models/get` → `{ registered_model: RegisteredModel }` with `aliases: [{ alias, version }]`;
 *   404 RESOURCE_DOES_NOT_EXIST "Registered Model with name=X not found".
 * - `GET model-versions/search` with the filter `name = '…'` (or `"…"`) only, `max_results` and an offset `page_token` →
 *   `{ model_versions: ModelVersion[], next_page_token? }`, versions newest first, without `aliases` (as MLflow omits
 *   them there); another filter → 400 INVALID_PARAMETER_VALUE.
 * - `GET runs/get` → `{ run: { info: RunInfo, data: { metrics, params, tags } } }`; 404 RESOURCE_DOES_NOT_EXIST.
 * - `POST registered-models/alias` `{ name, alias, version }` → `{}`; reserved names (`latest`, `v<digits>`) → 400
 *   INVALID_PARAMETER_VALUE; an unknown version → 404 RESOURCE_DOES_NOT_EXIST.
 * - `DELETE registered-models/alias` with a JSON body `{ name, alias }` → `{}`.
 * - `GET registered-models/alias` → `{ model_version }`; unknown → 400 INVALID_PARAMETER_VALUE.
 * - A token, when set, is required as `Authorization: Bearer <token>` (401 UNAUTHENTICATED otherwise); a POST or
 *   DELETE body that is not JSON → 400 BAD_REQUEST "Bad Request. Content-Type must be one of ['application/json'].";
 *   any other path → 404 ENDPOINT_NOT_FOUND. Errors are `{ error_code, message }`.
 *
 * Tests drive it in-process: seed models, versions (any numbers, gaps included) and runs, move an alias "by hand",
 * make the next calls fail, and read the log of calls it answered.
 */

type Tag = { key: string; value: string };
export type FakeVersion = { version: number; source: string; run_id?: string; run_link?: string; description?: string; tags?: Tag[]; status?: "READY" | "PENDING_REGISTRATION" | "FAILED_REGISTRATION"; created?: number };
export type FakeRun = { run_id: string; experiment_id?: string; metrics?: { key: string; value: number; step?: number; timestamp?: number }[]; params?: Tag[]; tags?: Tag[] };
type Model = { name: string; created: number; updated: number; versions: Map<number, FakeVersion & { created: number; updated: number }>; aliases: Map<string, number> };
export type FakeCall = { method: string; path: string; params: Record<string, unknown>; status: number };

export type FakeMlflow = {
  url: string;
  token: string | null;
  calls: FakeCall[];
  addModel(name: string): void;
  addVersion(name: string, v: FakeVersion): void;
  addRun(run: FakeRun): void;
  /** Moves (or with null removes) an alias directly in "MLflow", as someone bypassing Gatehouse would. */
  setAlias(name: string, alias: string, version: number | null): void;
  aliases(name: string): Record<string, number>;
  /** The next `count` calls (of `path`, if given) answer `status` with TEMPORARILY_UNAVAILABLE. */
  failNext(count: number, status?: number, path?: string): void;
  close(): Promise<void>;
};

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};
const error = (code: string, message: string) => ({ error_code: code, message });
const STATUS: Record<string, number> = { INVALID_PARAMETER_VALUE: 400, BAD_REQUEST: 400, UNAUTHENTICATED: 401, RESOURCE_DOES_NOT_EXIST: 404, ENDPOINT_NOT_FOUND: 404, TEMPORARILY_UNAVAILABLE: 503 };

class Fail extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startFakeMlflow(opts: { token?: string | null } = {}): Promise<FakeMlflow> {
  const models = new Map<string, Model>();
  const runs = new Map<string, FakeRun>();
  const calls: FakeCall[] = [];
  const failures: { status: number; path?: string }[] = [];
  const token = opts.token === undefined ? "mlflow-secret-token" : opts.token;
  const now = () => Date.now();

  const model = (name: unknown): Model => {
    const m = typeof name === "string" ? models.get(name) : undefined;
    if (!m) throw new Fail("RESOURCE_DOES_NOT_EXIST", `Registered Model with name=${String(name)} not found`);
    return m;
  };
  const versionJson = (m: Model, v: Model["versions"] extends Map<number, infer V> ? V : never, withAliases: boolean) => ({
    name: m.name,
    version: String(v.version),
    creation_timestamp: v.created,
    last_updated_timestamp: v.updated,
    current_stage: "None",
    description: v.description ?? "",
    source: v.source,
    ...(v.run_id ? { run_id: v.run_id } : {}),
    ...(v.run_link ? { run_link: v.run_link } : {}),
    status: v.status ?? "READY",
    ...(v.tags?.length ? { tags: v.tags } : {}),
    ...(withAliases ? { aliases: [...m.aliases].filter(([, n]) => n === v.version).map(([a]) => a) } : {}),
  });
  const required = (params: Record<string, unknown>, name: string): string => {
    const v = params[name];
    if (v === undefined || v === null || v === "") throw new Fail("INVALID_PARAMETER_VALUE", `Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`);
    return String(v);
  };

  const handlers: Record<string, (p: Record<string, unknown>) => unknown> = {
    "GET registered-models/get": (p) => {
      const m = model(required(p, "name"));
      return {
        registered_model: {
          name: m.name,
          creation_timestamp: m.created,
          last_updated_timestamp: m.updated,
          ...(m.aliases.size ? { aliases: [...m.aliases].map(([alias, version]) => ({ alias, version: String(version) })) } : {}),
        },
      };
    },
    "GET model-versions/search": (p) => {
      const filter = String(p.filter ?? "");
      // As MLflow's parser: the value's surrounding quotes (' or ") are stripped, nothing inside is unescaped.
      const match = /^\s*name\s*=\s*(?:'([^']*)'|"([^"]*)")\s*$/.exec(filter);
      if (!match) throw new Fail("INVALID_PARAMETER_VALUE", `Invalid filter '${filter}' (this stand-in supports name = '...')`);
      const m = models.get(match[1] ?? match[2]);
      const all = m ? [...m.versions.values()].sort((a, b) => b.version - a.version) : [];
      const max = Number(p.max_results ?? 10_000);
      const offset = p.page_token ? Number(Buffer.from(String(p.page_token), "base64").toString()) : 0;
      const page = all.slice(offset, offset + max);
      return { ...(page.length ? { model_versions: page.map((v) => versionJson(m!, v, false)) } : {}), ...(offset + max < all.length ? { next_page_token: Buffer.from(String(offset + max)).toString("base64") } : {}) };
    },
    "GET runs/get": (p) => {
      const id = required(p, "run_id");
      const run = runs.get(id);
      if (!run) throw new Fail("RESOURCE_DOES_NOT_EXIST", `Run '${id}' not found.`);
      return {
        run: {
          info: { run_id: run.run_id, run_uuid: run.run_id, experiment_id: run.experiment_id ?? "0", status: "FINISHED", start_time: 1_700_000_000_000, end_time: 1_700_000_600_000, artifact_uri: `mlflow-artifacts:/${run.experiment_id ?? "0"}/${run.run_id}/artifacts`, lifecycle_stage: "active" },
          data: { metrics: (run.metrics ?? []).map((x) => ({ timestamp: 1_700_000_300_000, step: 0, ...x })), params: run.params ?? [], tags: run.tags ?? [] },
        },
      };
    },
    "POST registered-models/alias": (p) => {
      const m = model(required(p, "name"));
      const alias = required(p, "alias");
      const version = required(p, "version");
      if (alias.toLowerCase() === "latest" || /^v\d+$/i.test(alias)) throw new Fail("INVALID_PARAMETER_VALUE", `'${alias}' alias name (case insensitive) is reserved.`);
      if (!m.versions.has(Number(version))) throw new Fail("RESOURCE_DOES_NOT_EXIST", `Model Version (name=${m.name}, version=${version}) not found`);
      m.aliases.set(alias, Number(version));
      m.updated = now();
      return {};
    },
    "DELETE registered-models/alias": (p) => {
      const m = model(required(p, "name"));
      m.aliases.delete(required(p, "alias"));
      m.updated = now();
      return {};
    },
    "GET registered-models/alias": (p) => {
      const m = models.get(required(p, "name"));
      const alias = required(p, "alias");
      const version = m?.aliases.get(alias);
      if (!m || version === undefined) throw new Fail("INVALID_PARAMETER_VALUE", `Registered model alias ${alias} not found.`);
      return { model_version: versionJson(m, m.versions.get(version)!, true) };
    },
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://fake");
      const path = url.pathname.replace(/^\/api\/2\.0\/mlflow\//, "");
      let params: Record<string, unknown> = {};
      const answer = (status: number, body: unknown) => {
        calls.push({ method: req.method ?? "", path, params, status });
        json(res, status, body);
      };
      if (token && req.headers.authorization !== `Bearer ${token}`) return answer(401, error("UNAUTHENTICATED", "Invalid credentials"));
      const failure = failures.findIndex((f) => !f.path || f.path === path);
      if (failure >= 0) {
        const [f] = failures.splice(failure, 1);
        return answer(f.status, error("TEMPORARILY_UNAVAILABLE", "The server is unavailable (a failure the test asked for)"));
      }
      if (req.method === "GET") params = Object.fromEntries(url.searchParams);
      else if (chunks.length) {
        if (!/^application\/json/.test(req.headers["content-type"] ?? "")) return answer(400, error("BAD_REQUEST", "Bad Request. Content-Type must be one of ['application/json']."));
        try {
          params = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          return answer(400, error("BAD_REQUEST", "Malformed JSON"));
        }
      }
      const handler = handlers[`${req.method} ${path}`];
      if (!handler) return answer(404, error("ENDPOINT_NOT_FOUND", `No endpoint ${req.method} ${url.pathname}`));
      try {
        answer(200, handler(params));
      } catch (e) {
        if (e instanceof Fail) answer(STATUS[e.code] ?? 400, error(e.code, e.message));
        else answer(500, error("INTERNAL_ERROR", String(e)));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    calls,
    addModel(name) {
      models.set(name, { name, created: now(), updated: now(), versions: new Map(), aliases: new Map() });
    },
    addVersion(name, v) {
      const m = model(name);
      m.versions.set(v.version, { ...v, created: v.created ?? now(), updated: v.created ?? now() });
    },
    addRun(run) {
      runs.set(run.run_id, run);
    },
    setAlias(name, alias, version) {
      const m = model(name);
      if (version === null) m.aliases.delete(alias);
      else m.aliases.set(alias, version);
    },
    aliases(name) {
      return Object.fromEntries(model(name).aliases);
    },
    failNext(count, status = 503, path) {
      for (let i = 0; i < count; i++) failures.push({ status, path });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
