// Who may resolve aliases through the serving fast path, as a pure function of a token's row. It mirrors
// `serving.read` / `registry.read` in lib/auth/permissions.ts; lib/serving/access.test.ts keeps the two equal.

/** Token use is recorded at most once a minute per token, so a busy caller does not write on every request. */
export const TOKEN_LAST_USED_RESOLUTION_MS = 60_000;

/** Scopes that grant serving.read or registry.read, on every team. */
export const SERVING_READ_SCOPES = ["serving:read", "registry:read", "registry:write", "promotions:request"];
/** Roles that grant serving.read or registry.read (every role does). */
export const SERVING_READ_ROLES = ["viewer", "engineer", "ml-lead", "compliance-officer", "auditor", "admin"];

/**
 * @param {{ kind: string, scopes: string[], revoked: boolean, userActive: boolean | null, grants: { role: string, teamId: string | null }[] }} token
 * @returns {{ teams: Set<string> | null } | null} null: not allowed here (let the Next route decide and explain);
 *   teams null: every team.
 */
export function servingAccess(token) {
  if (token.revoked) return null;
  if (token.kind === "service") return token.scopes.some((s) => SERVING_READ_SCOPES.includes(s)) ? { teams: null } : null;
  if (token.kind !== "user" || !token.userActive) return null;
  const grants = token.grants.filter((g) => SERVING_READ_ROLES.includes(g.role));
  if (grants.length === 0) return null;
  return { teams: grants.some((g) => g.teamId === null) ? null : new Set(grants.map((g) => g.teamId)) };
}
