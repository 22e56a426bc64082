import "server-only";
import type { RemoteRun, RemoteVersion } from "./connector-rules";

/**
 * The few MLflow REST calls the connector makes, as MLflow's own client makes them (GET parameters in the query,
 * JSON bodies otherwise, `Authorization: Bearer <token>`), each bounded by a timeout. Errors carry MLflow's
 * `error_code` and message when the server sent them.
 */

export const MLFLOW_TIMEOUT_MS = 10_000;

export type Remote = { trackingUri: string; token: string | null; timeoutMs?: number };

export class RemoteError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly errorCode: string | null,
  ) {
    super(message);
    this.name = "RemoteError";
  }
}

async function call<T>(remote: Remote, method: "GET" | "POST" | "DELETE", path: string, params: Record<string, unknown>): Promise<T> {
  const url = new URL(`${remote.trackingUri.replace(/\/+$/, "")}/api/2.0/mlflow/${path}`);
  const headers: Record<string, string> = { accept: "application/json", "user-agent": "gatehouse-mlflow-connector" };
  if (remote.token) headers.authorization = `Bearer ${remote.token}`;
  let body: string | undefined;
  if (method === "GET") {
    for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, String(v));
  } else {
    headers["content-type"] = "application/json";
    body = JSON.stringify(params);
  }
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body, redirect: "manual", signal: AbortSignal.timeout(remote.timeoutMs ?? MLFLOW_TIMEOUT_MS) });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why = e.name === "TimeoutError" ? `no answer within ${(remote.timeoutMs ?? MLFLOW_TIMEOUT_MS) / 1000} s` : (e.cause?.code ?? e.cause?.message ?? e.message);
    throw new RemoteError(`${method} ${path}: ${why}`, null, null);
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    // Reported below with the status.
  }
  if (!res.ok) {
    // MLflow's own error, or just the status: whatever else the server sent is not repeated (the connector's status
    // is shown to every reader of the model, and the URL may lead somewhere other than MLflow).
    const err = (json ?? {}) as { error_code?: unknown; message?: unknown };
    const detail = typeof err.error_code === "string" ? `${err.error_code.slice(0, 60)}: ${typeof err.message === "string" ? err.message.slice(0, 300) : ""}` : res.statusText;
    throw new RemoteError(`${method} ${path}: HTTP ${res.status} ${detail}`.trim(), res.status, typeof err.error_code === "string" ? err.error_code : null);
  }
  if (json === null || typeof json !== "object") throw new RemoteError(`${method} ${path}: the answer is not JSON`, res.status, null);
  return json as T;
}

/** `GET registered-models/get`: the model's aliases (`[{ alias, version }]`). */
export async function getRemoteModel(remote: Remote, name: string): Promise<{ name: string; aliases?: { alias: string; version: string }[] }> {
  const r = await call<{ registered_model?: { name: string; aliases?: { alias: string; version: string }[] } }>(remote, "GET", "registered-models/get", { name });
  if (!r.registered_model) throw new RemoteError("GET registered-models/get: no registered_model in the answer", 200, null);
  return r.registered_model;
}

/**
 * MLflow's filter for one name. Its parser strips the surrounding quotes and does not unescape doubled ones, so a
 * name with a single quote is quoted with double quotes (names with both kinds are refused when the connector is saved).
 */
export function nameFilter(name: string): string {
  return name.includes("'") ? `name = "${name}"` : `name = '${name}'`;
}

/** `GET model-versions/search` with `name = '…'`, every page. */
export async function searchRemoteVersions(remote: Remote, name: string): Promise<RemoteVersion[]> {
  const out: RemoteVersion[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < 1_000; page++) {
    const r = await call<{ model_versions?: RemoteVersion[]; next_page_token?: string }>(remote, "GET", "model-versions/search", { filter: nameFilter(name), max_results: 1_000, page_token: pageToken });
    out.push(...(r.model_versions ?? []));
    if (!r.next_page_token) return out;
    pageToken = r.next_page_token;
  }
  throw new RemoteError("GET model-versions/search: more than 1,000 pages", 200, null);
}

/** `GET runs/get` (the tracking API): the run's metrics, params and tags; null when MLflow has no such run. */
export async function getRemoteRun(remote: Remote, runId: string): Promise<RemoteRun | null> {
  try {
    return (await call<{ run?: RemoteRun }>(remote, "GET", "runs/get", { run_id: runId })).run ?? null;
  } catch (err) {
    if (err instanceof RemoteError && (err.errorCode === "RESOURCE_DOES_NOT_EXIST" || err.status === 404)) return null;
    throw err;
  }
}

/** `POST registered-models/alias`, or with a null version `DELETE registered-models/alias` (a JSON body, as MLflow's client sends). */
export async function setRemoteAlias(remote: Remote, name: string, alias: string, version: number | null): Promise<void> {
  if (version === null) await call(remote, "DELETE", "registered-models/alias", { name, alias });
  else await call(remote, "POST", "registered-models/alias", { name, alias, version: String(version) });
}
