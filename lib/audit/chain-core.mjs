// The audit hash chain's pure functions, as plain JavaScript so a worker thread can load them without a build
// (lib/audit/verify-range.mjs); lib/audit/chain.ts gives them their types. See chain.ts for the encoding.
import { hash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

export function canonicalJson(value) {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new Error("canonicalJson: numbers must be finite");
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      return JSON.stringify(value.toString());
    case "object": {
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      // Plain loops and string concatenation: verifying a million events runs this a few million times.
      if (Array.isArray(value)) {
        let out = "[";
        for (let i = 0; i < value.length; i++) out += (i ? "," : "") + canonicalJson(value[i]);
        return out + "]";
      }
      // sort() without a comparator orders by UTF-16 code units, as RFC 8785 asks.
      const keys = Object.keys(value).sort();
      let out = "{";
      let first = true;
      for (const k of keys) {
        const v = value[k];
        if (v === undefined) continue;
        out += (first ? "" : ",") + JSON.stringify(k) + ":" + canonicalJson(v);
        first = false;
      }
      return out + "}";
    }
  }
  throw new Error(`canonicalJson: cannot encode ${typeof value}`);
}

const str = JSON.stringify;
const strOrNull = (s) => (s === null ? "null" : JSON.stringify(s));

/**
 * What an event's hash is taken over: canonicalJson({ ...content, prevHash }) written out with its keys in their
 * sorted order, which is fixed (chain.test.ts checks the two agree), so only before and after need sorting. Reads
 * the hashed fields by name: any other property of `c` (its stored prevHash and hash) is not part of it.
 */
export function eventBody(c, prevHash) {
  return (
    `{"action":${str(c.action)},"actorId":${strOrNull(c.actorId)},"actorLabel":${str(c.actorLabel)},"actorType":${str(c.actorType)},` +
    `"after":${canonicalJson(c.after)},"before":${canonicalJson(c.before)},"id":${str(c.id)},"occurredAt":${str(c.occurredAt)},` +
    `"prevHash":${str(prevHash)},"reason":${strOrNull(c.reason)},"targetId":${str(c.targetId)},"targetType":${str(c.targetType)},"teamId":${strOrNull(c.teamId)}}`
  );
}

/**
 * eventBody for an event given as an array in this order (as verify-range.mjs decodes them, without an object per
 * row): id, occurredAt, actorType, actorId, actorLabel, action, targetType, targetId, teamId, before, after, reason,
 * prevHash, hash. chain.test.ts checks the two agree.
 */
export function rowBody(r, prevHash) {
  return (
    `{"action":${str(r[5])},"actorId":${strOrNull(r[3])},"actorLabel":${str(r[4])},"actorType":${str(r[2])},` +
    `"after":${canonicalJson(r[10])},"before":${canonicalJson(r[9])},"id":${str(r[0])},"occurredAt":${str(r[1])},` +
    `"prevHash":${str(prevHash)},"reason":${strOrNull(r[11])},"targetId":${str(r[7])},"targetType":${str(r[6])},"teamId":${strOrNull(r[8])}}`
  );
}

export function hashEvent(content, prevHash) {
  return hash("sha256", eventBody(content, prevHash), "hex");
}

/**
 * Checks a run of events in id order. `start` carries the state from the run before, so a long chain can be
 * verified page by page in constant memory.
 */
export function verifyChain(events, start = { prevHash: GENESIS_HASH, prevId: null, checked: 0 }) {
  let prevHash = start.prevHash;
  let prevId = start.prevId;
  let checked = start.checked;
  for (const event of events) {
    const id = BigInt(event.id);
    const expectedId = prevId === null ? 1n : prevId + 1n;
    if (id !== expectedId || event.prevHash !== prevHash || hashEvent(event, event.prevHash) !== event.hash) {
      return { ok: false, checked, firstBrokenId: event.id, lastHash: prevHash, prevId };
    }
    prevHash = event.hash;
    prevId = id;
    checked += 1;
  }
  return { ok: true, checked, firstBrokenId: null, lastHash: prevHash, prevId };
}
