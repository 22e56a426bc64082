// What the server does while its PostgreSQL is unreachable. A request that finds the database gone (a route's
// error handler or Next's onRequestError, both through `report()`) starts a check; once a check fails, the server
// answers everything that needs the database with a 503 at once, a JSON error for the API and a page that
// refreshes itself for browsers, instead of letting each request wait out a connection timeout and fail in its
// own way. It checks again every second and steps aside as soon as PostgreSQL answers: no restart needed.
import { readFileSync } from "node:fs";
import path from "node:path";
import { root } from "./setup.mjs";

export const DATABASE_STATE = Symbol.for("gatehouse.database");
const RECHECK_MS = 1_000;

export async function createDatabaseWatch({ connectionString, log = () => {} }) {
  const { default: pg } = await import("pg");
  let down = false;
  let checking = null;
  let timer = null;
  let closed = false;

  async function reachable() {
    const client = new pg.Client({ connectionString, connectionTimeoutMillis: 2_000, query_timeout: 2_000 });
    client.on("error", () => {});
    try {
      await client.connect();
      await client.query("SELECT 1");
      return true;
    } catch {
      return false;
    } finally {
      client.end().catch(() => {});
    }
  }

  function check() {
    checking ??= reachable()
      .then((ok) => {
        if (ok === down) log(ok ? "the database is reachable again" : "the database is unreachable: answering 503 until it returns");
        down = !ok;
        clearTimeout(timer);
        if (down && !closed) timer = setTimeout(check, RECHECK_MS).unref();
      })
      .finally(() => {
        checking = null;
      });
    return checking;
  }

  const watch = {
    get down() {
      return down;
    },
    /** Something failed to reach the database: check (once, however many requests report it). */
    report() {
      if (!closed) void check();
    },
    close() {
      closed = true;
      clearTimeout(timer);
    },
  };
  // The app (route handlers, instrumentation.ts) reports through this, being bundled apart from this file.
  globalThis[DATABASE_STATE] = watch;
  return watch;
}

/** Paths that work without the database: health says it is down, static files need none. */
export function answersWhileDown(url) {
  const p = (url ?? "/").split("?")[0];
  return p === "/api/v1/health" || p.startsWith("/_next/static/") || /^\/[^/]+\.(?:png|svg|ico|txt)$/.test(p);
}

let page = null;

/** The 503: JSON for the API and for scripts, a self-refreshing page for browsers. */
export function answerUnavailable(req, res) {
  const headers = { "retry-after": "5", "cache-control": "no-store", "x-content-type-options": "nosniff" };
  const wantsHtml = !req.url?.startsWith("/api/") && /text\/html/.test(req.headers.accept ?? "");
  if (!wantsHtml) {
    res.writeHead(503, { ...headers, "content-type": "application/json" });
    res.end(JSON.stringify({ error: { code: "unavailable", message: "The database is unavailable; try again shortly." } }));
    return;
  }
  page ??= readFileSync(path.join(root, "scripts", "lib", "unavailable.html"), "utf8");
  res.writeHead(503, { ...headers, "content-type": "text/html; charset=utf-8", "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'" });
  res.end(req.method === "HEAD" ? undefined : page);
}
