import { isRole, type Role } from "./permissions";

/**
 * Mapping from an OIDC provider's group claim to Gatehouse roles, set in OIDC_ROLE_MAP as
 * `group=role[@team-slug]` entries separated by commas or semicolons, e.g.
 * `ml-leads-payments=ml-lead@payments, auditors=auditor, platform-admins=admin`.
 * A group may appear more than once to grant several roles.
 */
export type RoleMapping = { group: string; role: Role; teamSlug: string | null };

export function parseRoleMap(text: string): RoleMapping[] {
  const entries = text
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
  return entries.map((entry) => {
    const m = /^([^=\s]+)\s*=\s*([a-z-]+)(?:@([a-z0-9][a-z0-9-]*))?$/.exec(entry);
    if (!m) throw new Error(`"${entry}" is not group=role or group=role@team`);
    const [, group, role, teamSlug] = m;
    if (!isRole(role)) throw new Error(`"${entry}": unknown role "${role}"`);
    return { group, role, teamSlug: teamSlug ?? null };
  });
}

/** The grants a signed-in OIDC user gets from their groups claim (a string or an array of strings). */
export function rolesFromGroups(claim: unknown, map: readonly RoleMapping[]): { role: Role; teamSlug: string | null }[] {
  const groups = new Set(Array.isArray(claim) ? claim.map(String) : typeof claim === "string" ? claim.split(/[\s,]+/) : []);
  const seen = new Set<string>();
  const out: { role: Role; teamSlug: string | null }[] = [];
  for (const m of map) {
    const key = `${m.role}@${m.teamSlug ?? "*"}`;
    if (groups.has(m.group) && !seen.has(key)) {
      seen.add(key);
      out.push({ role: m.role, teamSlug: m.teamSlug });
    }
  }
  return out;
}
