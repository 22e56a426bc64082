// The load test's HTTP side: keep-alive clients over node:http (no dependency, and full control of connections,
// timing and cookies), and a recorder that keeps every response's category, status and latency.
import http from "node:http";
import { performance } from "node:perf_hooks";
import { EXPECTED } from "./categories.mjs";

/** Long enough that a slow (or shared) machine answers late rather than "fails"; a request still open after it is an error. */
export const REQUEST_TIMEOUT_MS = 120_000;
const KEPT_BODIES = 5;

/** Per category: latencies (ms), status counts, connection errors, and the first few bodies of 5xx and unexpected answers. */
export class Recorder {
  constructor() {
    this.categories = new Map();
  }

  category(name) {
    let c = this.categories.get(name);
    if (!c) {
      c = { latencies: [], statuses: {}, errors: 0, errorSamples: [], serverErrors: [], unexpected: [] };
      this.categories.set(name, c);
    }
    return c;
  }

  /** `expected`: the statuses this category may answer (EXPECTED); anything else is kept as a sample and fails the run. */
  record(name, { status, ms, body, expected = EXPECTED[name], what }) {
    const c = this.category(name);
    c.latencies.push(ms);
    c.statuses[status] = (c.statuses[status] ?? 0) + 1;
    if (status >= 500 && c.serverErrors.length < KEPT_BODIES) c.serverErrors.push({ what, status, body: String(body ?? "").slice(0, 2_000) });
    else if (expected && !expected.includes(status) && c.unexpected.length < KEPT_BODIES) c.unexpected.push({ what, status, body: String(body ?? "").slice(0, 1_000) });
  }

  /** A request that got no HTTP answer at all (refused, reset, timed out). */
  recordError(name, { what, error }) {
    const c = this.category(name);
    c.errors += 1;
    if (c.errorSamples.length < KEPT_BODIES) c.errorSamples.push({ what, error });
  }

  /** Plain data, to cross a worker boundary or be merged. */
  toJSON() {
    return Object.fromEntries(this.categories);
  }

  merge(data) {
    for (const [name, d] of Object.entries(data)) {
      const c = this.category(name);
      for (const ms of d.latencies) c.latencies.push(ms);
      for (const [s, n] of Object.entries(d.statuses)) c.statuses[s] = (c.statuses[s] ?? 0) + n;
      c.errors += d.errors;
      c.errorSamples.push(...d.errorSamples);
      c.serverErrors.push(...d.serverErrors);
      c.unexpected.push(...d.unexpected);
    }
  }
}

/** Cookies as a browser keeps them for one site: name → value, from Set-Cookie, expired ones dropped. */
export class CookieJar {
  constructor() {
    this.cookies = new Map();
  }

  take(setCookie) {
    for (const line of setCookie ?? []) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

/**
 * One client of the server: its own keep-alive connections (`connections` at most, like a browser's per-host
 * limit), default headers, and optionally a cookie jar. `send` resolves with the status, headers, body and latency;
 * it never rejects: a request without an answer resolves with `status: 0` and the error.
 */
export function createClient({ base, connections = 1, headers = {}, jar = null, recorder = null }) {
  const url = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  function send({ method = "GET", path, body, headers: extra = {}, category, expected, what, keepBody = true }) {
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : typeof body === "string" ? Buffer.from(body) : Buffer.from(JSON.stringify(body));
    const h = { ...headers, ...extra };
    if (payload && !Object.keys(h).some((k) => k.toLowerCase() === "content-type")) h["content-type"] = "application/json";
    if (payload) h["content-length"] = payload.length;
    if (jar && jar.cookies.size) h.cookie = jar.header();
    const started = performance.now();
    return new Promise((resolve) => {
      let settled = false;
      const done = (result) => {
        if (settled) return;
        settled = true;
        const ms = performance.now() - started;
        if (client.recorder && category) {
          if (result.status === 0) client.recorder.recordError(category, { what: what ?? `${method} ${path}`, error: result.error });
          else client.recorder.record(category, { status: result.status, ms, body: result.status >= 400 ? result.text() : "", expected, what: what ?? `${method} ${path}` });
        }
        resolve({ ...result, ms });
      };
      const req = http.request({ host: url.hostname, port: url.port, method, path, headers: h, agent }, (res) => {
        const chunks = [];
        res.on("data", (c) => keepBody && chunks.push(c));
        res.on("end", () => {
          if (jar) jar.take(res.headers["set-cookie"]);
          const buf = Buffer.concat(chunks);
          done({ status: res.statusCode ?? 0, headers: res.headers, body: buf, text: () => buf.toString("utf8"), json: () => JSON.parse(buf.toString("utf8")) });
        });
        res.on("error", (err) => done({ status: 0, error: err.message, headers: {}, body: Buffer.alloc(0), text: () => "", json: () => null }));
      });
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)));
      req.on("error", (err) => done({ status: 0, error: err.message, headers: {}, body: Buffer.alloc(0), text: () => "", json: () => null }));
      req.end(payload);
    });
  }
  // The recorder may be attached later: set-up requests are not figures.
  const client = { send, jar, recorder, close: () => agent.destroy() };
  return client;
}

/** Signs in through next-auth's credentials endpoint like the sign-in page does; the jar then holds the session cookie. */
export async function signIn(client, { email, password }) {
  const csrf = await client.send({ path: "/api/auth/csrf" });
  if (csrf.status !== 200) throw new Error(`GET /api/auth/csrf answered ${csrf.status}`);
  const form = new URLSearchParams({ email, password, csrfToken: csrf.json().csrfToken, json: "true" }).toString();
  const res = await client.send({ method: "POST", path: "/api/auth/callback/credentials", body: form, headers: { "content-type": "application/x-www-form-urlencoded" } });
  if (res.status !== 200 && res.status !== 302) throw new Error(`signing in as ${email} answered ${res.status}: ${res.text().slice(0, 300)}`);
  const me = await client.send({ path: "/api/v1/me" });
  if (me.status !== 200) throw new Error(`signing in as ${email} gave no session (GET /api/v1/me answered ${me.status})`);
}
