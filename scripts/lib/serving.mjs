// The serving fast path: GET /api/v1/models/{name}/aliases/{alias} and GET /api/v1/models/{name}/routing with a
// Bearer token, answered from an in-memory snapshot before Next.js sees the request (Next costs ~0.5 ms of CPU per request; see CONVENTIONS.md).
// It answers only what it is sure of, a 200 or a 304 for a token that may read that model; everything else (no
// token, unknown alias, refusals, errors) falls through to the Next route, which gives the same JSON and errors.
// The snapshot is dropped on every committed change: at once for changes made in this process (lib/db.ts), and
// through PostgreSQL LISTEN/NOTIFY for changes made by other instances or the CLI.
import { createHash } from "node:crypto";
import { TOKEN_LAST_USED_RESOLUTION_MS, servingAccess } from "../../lib/serving/access.mjs";
import { ACTIONS_SERVING_IGNORES, CHANGES_CHANNEL, aliasEtag, aliasView, etagMatches } from "../../lib/serving/alias-view.mjs";
import { routingQuery, routingView } from "../../lib/serving/routing-view.mjs";

const PATH = /^\/api\/v1\/models\/([A-Za-z0-9][A-Za-z0-9._-]*)\/(?:aliases\/([A-Za-z0-9_-]+)|(routing))$/;
const ROUTING = "\0\0routing"; // cannot collide with "model\0alias"
const BEARER = /^\s*Bearer\s+(ghk_[A-Za-z0-9_-]{43})\s*$/i;
const tokenHash = (token) => createHash("sha256").update(token, "utf8").digest("hex");
const MAX_CACHED_PRINCIPALS = 10_000;

/**
 * A snapshot entry: the answer made once, headers included, so a lookup only writes it out. nosniff as on every
 * Next response (lib/security/headers.ts): a browser must never read this JSON as a page.
 */
function entryOf(view, teamId) {
  const body = JSON.stringify(view);
  const etag = aliasEtag(view);
  const common = { etag, "cache-control": "no-cache", "x-content-type-options": "nosniff", "x-gatehouse-served-by": "snapshot" };
  return { body, etag, teamId, notModified: common, ok: { ...common, "content-type": "application/json", "content-length": Buffer.byteLength(body) } };
}

export async function createServing({ connectionString, log = () => {} }) {
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({ connectionString, max: 4 });
  pool.on("error", () => {});
  // Token lookups have their own connections, so a flood of unknown tokens cannot starve snapshot loads.
  const tokenPool = new pg.Pool({ connectionString, max: 2 });
  tokenPool.on("error", () => {});
  let aliases = null; // Map "model\0alias" (or "model\0routing" for the routing answer) -> { body, etag, teamId }
  let loading = null;
  let principals = new Map(); // token hash -> { tokenId, teams: Set | null } | null
  let generation = 0;
  const lastUsedWritten = new Map();

  function invalidate() {
    generation += 1;
    aliases = null;
    loading = null; // a load begun before the change must not be handed to anyone asking after it
    principals = new Map();
  }

  async function loadAliases() {
    const started = generation;
    const { rows } = await pool.query(`
      SELECT m.name AS model, a.name AS alias, v.version, v.artifact_uri, v.artifact_checksum, a.updated_at, m.team_id
      FROM model_aliases a JOIN model_versions v ON v.id = a.version_id JOIN registered_models m ON m.id = a.model_id`);
    const map = new Map();
    for (const r of rows) {
      const view = aliasView({ model: r.model, alias: r.alias, version: r.version, artifactUri: r.artifact_uri, artifactChecksum: r.artifact_checksum, updatedAt: r.updated_at });
      map.set(`${r.model}\0${r.alias}`, entryOf(view, r.team_id));
    }
    const routing = await pool.query(routingQuery(false));
    for (const r of routing.rows) {
      const view = routingView(r);
      map.set(`${r.model}${ROUTING}`, entryOf(view, r.team_id));
    }
    // A change committed while loading may be missing from these rows: keep them only if none arrived.
    if (started === generation) aliases = map;
    return map;
  }

  /** The alias snapshot as of a moment after the caller arrived: waits again if a change lands meanwhile. */
  async function snapshot() {
    for (;;) {
      if (aliases) return aliases;
      const asked = generation;
      if (!loading) {
        const load = loadAliases();
        loading = load;
        load.finally(() => {
          if (loading === load) loading = null;
        }).catch(() => {});
      }
      const map = await loading;
      if (asked === generation) return map;
    }
  }

  /** Who a token is, read again if a change lands during the read; only tokens that may read are cached. */
  async function principal(token) {
    const hash = tokenHash(token);
    if (principals.has(hash)) return principals.get(hash);
    for (;;) {
      const asked = generation;
      const { rows } = await tokenPool.query(
        `SELECT t.id, t.kind, t.scopes, t.revoked_at, t.last_used_at, u.active,
                COALESCE((SELECT json_agg(json_build_object('role', g.role, 'teamId', g.team_id)) FROM role_grants g WHERE g.user_id = t.user_id), '[]') AS grants
         FROM api_tokens t LEFT JOIN users u ON u.id = t.user_id WHERE t.hash = $1`,
        [hash],
      );
      if (asked !== generation) continue;
      const t = rows[0];
      const access = t ? servingAccess({ kind: t.kind, scopes: t.scopes, revoked: t.revoked_at !== null, userActive: t.active, grants: t.grants }) : null;
      if (!access) return null;
      const p = { tokenId: t.id, teams: access.teams };
      if (t.last_used_at) lastUsedWritten.set(t.id, new Date(t.last_used_at).getTime());
      if (principals.size >= MAX_CACHED_PRINCIPALS) principals = new Map();
      principals.set(hash, p);
      return p;
    }
  }

  function recordUse(tokenId) {
    const now = Date.now();
    if (now - (lastUsedWritten.get(tokenId) ?? 0) < TOKEN_LAST_USED_RESOLUTION_MS) return;
    lastUsedWritten.set(tokenId, now);
    // Usage bookkeeping, as in lib/auth/actor.ts: not a governed change, no audit event.
    pool.query("UPDATE api_tokens SET last_used_at = now() WHERE id = $1", [tokenId]).catch(() => {});
  }

  function answer(req, res, p, map, key) {
    const entry = map.get(key);
    if (!entry || (p.teams !== null && !p.teams.has(entry.teamId))) return false;
    recordUse(p.tokenId);
    if (etagMatches(req.headers["if-none-match"], entry.etag)) {
      res.writeHead(304, entry.notModified);
      res.end();
    } else {
      res.writeHead(200, entry.ok);
      res.end(entry.body);
    }
    return true;
  }

  async function answerLater(req, res, token, key) {
    try {
      const p = await principal(token);
      return p ? answer(req, res, p, await snapshot(), key) : false;
    } catch (err) {
      log(`serving fast path fell back to Next: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }

  /**
   * True when it answered; false to let Next handle the request; a promise of either when it must read the
   * database first. The common case (a known token, a loaded snapshot) answers synchronously: no promise, no
   * microtask between the request and its answer.
   */
  function handle(req, res) {
    if (req.method !== "GET") return false;
    const url = req.url ?? "";
    const q = url.indexOf("?");
    const match = PATH.exec(q === -1 ? url : url.slice(0, q));
    const auth = req.headers.authorization;
    // Without a live LISTEN connection a change made elsewhere could go unnoticed: let Next answer instead.
    if (!match || !listener || !auth) return false;
    const bearer = BEARER.exec(auth);
    if (!bearer) return false;
    const token = bearer[1];
    const key = match[3] ? `${match[1]}${ROUTING}` : `${match[1]}\0${match[2]}`;
    const p = principals.get(tokenHash(token));
    if (p && aliases) return answer(req, res, p, aliases, key);
    return answerLater(req, res, token, key);
  }

  // LISTEN on a dedicated connection, reconnecting after a failure; while it is down the fast path steps aside.
  let listener = null;
  let closed = false;
  async function listen() {
    if (closed) return;
    const client = new pg.Client({ connectionString, keepAlive: true });
    client.on("notification", (n) => {
      if (!ACTIONS_SERVING_IGNORES.includes(n.payload ?? "")) invalidate();
    });
    client.on("error", () => {
      // Losing the LISTEN connection is often the first sign of an outage: let the server check (database-watch.mjs).
      globalThis[Symbol.for("gatehouse.database")]?.report?.();
      invalidate();
      listener = null;
      client.end().catch(() => {});
      setTimeout(() => void listen().catch(() => {}), 1_000).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
      listener = client;
      invalidate(); // anything cached before the LISTEN began may have missed a change
    } catch {
      client.end().catch(() => {});
      setTimeout(() => void listen().catch(() => {}), 1_000).unref();
    }
  }
  await listen();

  const serving = {
    handle,
    invalidate,
    async close() {
      closed = true;
      await listener?.end().catch(() => {});
      await pool.end().catch(() => {});
      await tokenPool.end().catch(() => {});
    },
  };
  globalThis.gatehouseServing = serving;
  return serving;
}
