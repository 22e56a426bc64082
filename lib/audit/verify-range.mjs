// Verifies one range of the audit chain (ids `from` to `to`) on a connection of its own: every hash recomputed, every
// link inside the range checked. lib/audit/verify.ts runs a range per core in worker threads and checks the links
// between ranges; run as a worker, this file takes its range from workerData and posts the result back.
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import pg from "pg";
import { verifyRows } from "./chain-core.mjs";

const PAGE = 10_000;
// Times arrive as PostgreSQL writes a timestamptz in UTC ("2026-11-23 01:02:03.45+00": no trailing zeros in the
// fraction, none at all for whole seconds) and are rewritten as toISOString would ("2026-11-23T01:02:03.450Z"):
// several times cheaper than to_char in SQL or a Date here. Anything else (a year past 9999, BC) goes through Date.
const SELECT = `SELECT id::text, occurred_at, actor_type, actor_id, actor_label, action, target_type, target_id, team_id, before, after, reason, prev_hash, hash
  FROM audit_events WHERE id >= $1 AND id <= $2 ORDER BY audit_events.id`;
const TIMESTAMPTZ = 1184;
const PG_UTC = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/;

/** A timestamptz as PostgreSQL writes it in UTC, as toISOString writes the same instant. */
export function isoOf(text) {
  // The common case, milliseconds present: "2026-11-23 01:02:03.456+00".
  if (text.length === 26 && text.charCodeAt(10) === 32 && text.charCodeAt(19) === 46 && text.endsWith("+00")) return `${text.slice(0, 10)}T${text.slice(11, 23)}Z`;
  const m = PG_UTC.exec(text);
  if (!m) return new Date(text).toISOString();
  const ms = m[3] === undefined ? "000" : m[3].length >= 3 ? m[3].slice(0, 3) : m[3].padEnd(3, "0");
  return `${m[1]}T${m[2]}.${ms}Z`;
}

/**
 * `{ ok, checked, firstBrokenId, firstPrevHash, lastHash, lastId }` for ids from..to (strings of integers). Inside the
 * range every hash is recomputed and every link checked (a missing id makes the next event the first broken one);
 * the caller links the range to the one before it by `firstPrevHash` and checks it ended at `to` by `lastId`.
 */
export async function verifyRange({ connectionString, from, to }) {
  // Times as text, in UTC; everything else parsed as usual (jsonb into objects).
  const types = { getTypeParser: (oid, format) => (oid === TIMESTAMPTZ ? (v) => v : pg.types.getTypeParser(oid, format)) };
  const client = new pg.Client({ connectionString, types, options: "-c TimeZone=UTC" });
  await client.connect();
  try {
    const last = BigInt(to);
    const page = BigInt(PAGE);
    const read = (start) => (start > last ? null : client.query({ text: SELECT, rowMode: "array", values: [start.toString(), (start + page - 1n < last ? start + page - 1n : last).toString()] }).then((r) => r.rows));
    let lo = BigInt(from);
    let state = null;
    let firstPrevHash = null;
    // The next page is asked for before this one is hashed, so PostgreSQL reads while this thread hashes.
    let next = read(lo);
    while (next) {
      const rows = await next;
      lo += page;
      next = read(lo);
      // Rows in the order of ROW (chain-core.mjs).
      for (const r of rows) r[1] = isoOf(r[1]);
      if (state === null && rows.length) {
        firstPrevHash = rows[0][12];
        state = { prevHash: firstPrevHash, prevId: BigInt(from) - 1n, checked: 0 };
      }
      if (state === null) continue;
      const result = verifyRows(rows, state);
      if (!result.ok) {
        await next;
        return { ok: false, checked: result.checked, firstBrokenId: result.firstBrokenId, firstPrevHash, lastHash: result.lastHash, lastId: result.prevId?.toString() ?? null };
      }
      state = { prevHash: result.lastHash, prevId: result.prevId, checked: result.checked };
    }
    return { ok: true, checked: state?.checked ?? 0, firstBrokenId: null, firstPrevHash, lastHash: state?.prevHash ?? null, lastId: state?.prevId?.toString() ?? null };
  } finally {
    await client.end().catch(() => {});
  }
}

if (!isMainThread && workerData?.gatehouseVerifyRange) {
  verifyRange(workerData).then(
    (result) => parentPort.postMessage({ result }),
    (err) => parentPort.postMessage({ error: err instanceof Error ? err.message : String(err) }),
  );
}
