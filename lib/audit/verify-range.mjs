// Verifies one range of the audit chain (ids `from` to `to`) on a connection of its own: every hash recomputed, every
// link inside the range checked. lib/audit/verify.ts runs a range per core in worker threads and checks the links
// between ranges; run as a worker, this file takes its range from workerData and posts the result back.
//
// The rows come as one COPY … TO STDOUT stream in PostgreSQL's text format rather than as query results: decoding a
// stream of tab-separated lines costs this thread well under half of what the row-by-row protocol does, and decoding
// is most of the work after hashing (bench/README.md, figure 5).
import { StringDecoder } from "node:string_decoder";
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { hash } from "node:crypto";
import { rowBody } from "./chain-core.mjs";

const PG_UTC = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/;

// Times arrive as PostgreSQL writes a timestamptz in UTC ("2026-11-23 01:02:03.45+00": no trailing zeros in the
// fraction, none at all for whole seconds) and are rewritten as toISOString would ("2026-11-23T01:02:03.450Z").
// Anything else (a year past 9999, BC) goes through Date.
/** A timestamptz as PostgreSQL writes it in UTC, as toISOString writes the same instant. */
export function isoOf(text) {
  // The common case, milliseconds present: "2026-11-23 01:02:03.456+00".
  if (text.length === 26 && text.charCodeAt(10) === 32 && text.charCodeAt(19) === 46 && text.endsWith("+00")) return `${text.slice(0, 10)}T${text.slice(11, 23)}Z`;
  const m = PG_UTC.exec(text);
  if (!m) return new Date(text).toISOString();
  const ms = m[3] === undefined ? "000" : m[3].length >= 3 ? m[3].slice(0, 3) : m[3].padEnd(3, "0");
  return `${m[1]}T${m[2]}.${ms}Z`;
}


const ESCAPES = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };
/** A field of COPY's text format: \N is NULL; a backslash escapes a control character, a backslash or the tab. */
export function copyField(f) {
  if (f === "\\N") return null;
  return f.indexOf("\\") === -1 ? f : f.replace(/\\(.)/gs, (_, c) => ESCAPES[c] ?? c);
}

/** One line of the COPY below as a row in chain-core.mjs's ROW order. */
export function copyRow(line) {
  const f = line.split("\t");
  const before = copyField(f[9]);
  const after = copyField(f[10]);
  return [f[0], isoOf(f[1]), copyField(f[2]), copyField(f[3]), copyField(f[4]), copyField(f[5]), copyField(f[6]), copyField(f[7]), copyField(f[8]),
    before === null ? null : JSON.parse(before), after === null ? null : JSON.parse(after), copyField(f[11]), f[12], f[13]];
}

/**
 * `{ ok, checked, firstBrokenId, firstPrevHash, lastHash, lastId }` for ids from..to (strings of integers). Inside the
 * range every hash is recomputed and every link checked (a missing id makes the next event the first broken one);
 * the caller links the range to the one before it by `firstPrevHash` and checks it ended at `to` by `lastId`. The
 * `first` range has no lower bound: an event below id 1 (which no writer gives) is read, and is the first broken one.
 */
export async function verifyRange({ connectionString, from, to, first = false }) {
  // BigInt() refuses anything but an integer: the only values put into the COPY's text.
  const lo = BigInt(from);
  const hi = BigInt(to);
  // Ids as numbers (exact below 2^53, which no log reaches): a BigInt per row costs more than the rest of the check.
  if (hi > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error("audit ids past 2^53 are not supported by the verifier");
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 10_000 });
  await client.connect();
  // Timestamps as isoOf reads them, whatever the server's or the URL's settings.
  await client.query("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'");
  // Each row is checked as soon as its line arrives and then dropped: rows kept in batches would outlive the young
  // generation and make the garbage collector the biggest cost.
  let prevId = Number(lo) - 1;
  let prevHash = null;
  let firstPrevHash = null;
  let checked = 0;
  let broken = null;
  const step = (line) => {
    const r = copyRow(line);
    if (prevHash === null) prevHash = firstPrevHash = r[12];
    if (Number(r[0]) !== prevId + 1 || r[12] !== prevHash || hash("sha256", rowBody(r, r[12]), "hex") !== r[13]) {
      broken = r[0];
      return;
    }
    prevHash = r[13];
    prevId += 1;
    checked += 1;
  };
  try {
    const stream = client.query(
      copyTo(`COPY (SELECT id, occurred_at, actor_type, actor_id, actor_label, action, target_type, target_id, team_id, before, after, reason, prev_hash, hash
        FROM audit_events WHERE ${first ? "" : `id >= ${lo} AND `}id <= ${hi} ORDER BY id) TO STDOUT`),
    );
    const decoder = new StringDecoder("utf8");
    let rest = "";
    for await (const chunk of stream) {
      const text = rest + decoder.write(chunk);
      let start = 0;
      let nl;
      while (broken === null && (nl = text.indexOf("\n", start)) !== -1) {
        step(text.slice(start, nl));
        start = nl + 1;
      }
      // The first broken event is all the answer needs: stop reading (ending the connection ends the COPY).
      if (broken !== null) break;
      rest = text.slice(start);
    }
    const lastId = checked ? String(prevId) : null;
    return { ok: broken === null, checked, firstBrokenId: broken, firstPrevHash, lastHash: checked ? prevHash : null, lastId };
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
