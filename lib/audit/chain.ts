import { createHash } from "node:crypto";

/**
 * The audit hash chain, as pure functions.
 *
 * Each event stores the previous event's hash and its own SHA-256 over the canonical JSON encoding of its
 * content plus that previous hash. Changing, inserting or removing any event breaks every hash after it.
 * The canonical encoding sorts object keys (by UTF-16 code units, as RFC 8785 does), writes no whitespace,
 * and drops `undefined` members, so the same content always hashes the same whichever order it was built in
 * or however the database returns its JSON.
 */

export const GENESIS_HASH = "0".repeat(64);

export type AuditContent = {
  id: string;
  occurredAt: string;
  actorType: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string;
  teamId: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
};

export type ChainedEvent = AuditContent & { prevHash: string; hash: string };

export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error("canonicalJson: numbers must be finite");
    return JSON.stringify(value);
  }
  if (typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return JSON.stringify(value.toString());
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  throw new Error(`canonicalJson: cannot encode ${typeof value}`);
}

export function hashEvent(content: AuditContent, prevHash: string): string {
  const body = canonicalJson({ ...content, before: content.before ?? null, after: content.after ?? null, prevHash });
  return createHash("sha256").update(body, "utf8").digest("hex");
}

export function chainEvent(content: AuditContent, prevHash: string): ChainedEvent {
  return { ...content, prevHash, hash: hashEvent(content, prevHash) };
}

export type ChainCheck = { ok: boolean; checked: number; firstBrokenId: string | null; lastHash: string };

/**
 * Checks a run of events in id order. `start` carries the state from the run before, so a long chain can be
 * verified page by page in constant memory.
 */
export function verifyChain(
  events: readonly ChainedEvent[],
  start: { prevHash: string; prevId: bigint | null; checked: number } = { prevHash: GENESIS_HASH, prevId: null, checked: 0 },
): ChainCheck & { prevId: bigint | null } {
  let prevHash = start.prevHash;
  let prevId = start.prevId;
  let checked = start.checked;
  for (const event of events) {
    const id = BigInt(event.id);
    const expectedId = prevId === null ? 1n : prevId + 1n;
    const { prevHash: storedPrev, hash, ...content } = event;
    if (id !== expectedId || storedPrev !== prevHash || hashEvent(content, storedPrev) !== hash) {
      return { ok: false, checked, firstBrokenId: event.id, lastHash: prevHash, prevId };
    }
    prevHash = hash;
    prevId = id;
    checked += 1;
  }
  return { ok: true, checked, firstBrokenId: null, lastHash: prevHash, prevId };
}
