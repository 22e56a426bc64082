// The serving answer for model@alias and its ETag, shared by the Next route and the in-process fast path
// (scripts/lib/serving.mjs) so both give byte-identical responses. Plain JS: the fast path runs outside Next.
import { createHash } from "node:crypto";

/** @param {{ model: string, alias: string, version: number, artifactUri: string, artifactChecksum: string, updatedAt: Date | string }} row */
export function aliasView(row) {
  return {
    model: row.model,
    alias: row.alias,
    version: row.version,
    artifactUri: row.artifactUri,
    artifactChecksum: row.artifactChecksum,
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

/** A strong ETag of exactly this answer. */
export function aliasEtag(view) {
  return `"${createHash("sha256").update(JSON.stringify(view)).digest("base64url").slice(0, 27)}"`;
}

/** Whether an If-None-Match header matches `etag` (weak comparison, as RFC 9110 asks for If-None-Match). */
export function etagMatches(header, etag) {
  return Boolean(header) && header.split(",").some((t) => t.trim() === "*" || t.trim().replace(/^W\//, "") === etag);
}

/**
 * Audited actions that cannot change an alias answer or who may read it; other instances need not drop their
 * snapshot for them. Anything not listed (including actions added later) invalidates, to stay safe by default.
 */
export const ACTIONS_SERVING_IGNORES = ["user.sign-in", "user.sign-out", "report.add", "version.register", "model.create", "team.create", "token.create", "user.invite", "user.create", "user.sign-in-locked"];

/** Channel on which every committed change is announced, so every instance drops what it cached. */
export const CHANGES_CHANNEL = "gatehouse_changes";
