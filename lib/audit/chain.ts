
/**
 * The audit hash chain, as pure functions.
 *
 * Each event stores the previous event's hash and its own SHA-256 over the canonical JSON encoding of its
 * content plus that previous hash. Changing, inserting or removing any event breaks every hash after it.
 * The canonical encoding sorts object keys (by UTF-16 code units, as RFC 8785 does), writes no whitespace,
 * and drops `undefined` members, so the same content always hashes the same whichever order it was built in
 * or however the database returns its JSON.
 */

import { hashEvent } from "./chain-core.mjs";

export { GENESIS_HASH, canonicalJson, eventBody, hashEvent, rowBody, verifyChain } from "./chain-core.mjs";

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

export type ChainCheck = { ok: boolean; checked: number; firstBrokenId: string | null; lastHash: string };

export function chainEvent(content: AuditContent, prevHash: string): ChainedEvent {
  return { ...content, prevHash, hash: hashEvent(content, prevHash) };
}
