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

/** Whether an If-None-Match header matches `etag`. */
export function etagMatches(header, etag) {
  return Boolean(header) && header.split(",").some((t) => t.trim() === etag || t.trim() === "*");
}

/** Channel on which every committed change is announced, so every instance drops what it cached. */
export const CHANGES_CHANNEL = "gatehouse_changes";
