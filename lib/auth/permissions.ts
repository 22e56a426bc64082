/**
 * Who may do what, as data. `docs/permissions.md` is generated from this table (`npm run gatehouse -- docs
 * permissions`) and a test keeps the two equal. Every check goes through `can` / `requirePermission`.
 */

export const ROLES = ["viewer", "engineer", "ml-lead", "compliance-officer", "auditor", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  viewer: "Reads models, versions, promotions and rollouts.",
  engineer: "Registers models, versions and reports, sets unprotected aliases, requests promotions, cancels own requests.",
  "ml-lead": "Everything an engineer does, plus decisions where a policy asks for an ML Lead, rollbacks and rollout control.",
  "compliance-officer": "Reads everything, including the audit log, decides where a policy asks for compliance, and reviews emergency promotions.",
  auditor: "Reads everything, including the audit log and its exports; changes nothing.",
  admin: "Manages users, roles, teams, tokens, webhooks and policies; rolls aliases back; approves emergency promotions. Counts toward no other approval quorum unless it also holds the asked role.",
};

/** Service tokens hold scopes instead of roles; each scope grants a fixed set of permissions on every team. */
export const SCOPES = ["registry:read", "registry:write", "promotions:request", "metrics:write", "serving:read", "aliases:rollback", "policies:write"] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * `team`: a grant for one team allows it on that team's models; a global grant allows it everywhere.
 * `global`: only a global grant allows it (organisation-wide administration).
 */
type PermissionSpec = { description: string; level: "team" | "global"; roles: readonly Role[]; scopes: readonly Scope[] };

const EVERY_ROLE = ROLES;

export const PERMISSIONS = {
  "registry.read": {
    description: "Read models, versions, reports, aliases, promotions and rollouts",
    level: "team",
    roles: EVERY_ROLE,
    scopes: ["registry:read", "registry:write", "promotions:request"],
  },
  "serving.read": {
    description: "Resolve aliases and routing (the serving layer)",
    level: "team",
    roles: EVERY_ROLE,
    scopes: ["serving:read"],
  },
  "registry.write": {
    description: "Register models, versions and evaluation reports; edit their mutable fields",
    level: "team",
    roles: ["engineer", "ml-lead"],
    scopes: ["registry:write"],
  },
  "aliases.set": {
    description: "Point an unprotected alias at a version",
    level: "team",
    roles: ["engineer", "ml-lead"],
    scopes: ["registry:write"],
  },
  "promotions.request": {
    description: "Request a promotion and cancel one's own requests",
    level: "team",
    roles: ["engineer", "ml-lead"],
    scopes: ["promotions:request"],
  },
  "promotions.decide": {
    description: "Approve, reject or request changes where a policy (or, for admins, the emergency path) asks for the holder's role",
    level: "team",
    roles: ["ml-lead", "compliance-officer", "admin"],
    scopes: [],
  },
  "promotions.cancel-any": {
    description: "Cancel anyone's promotion request",
    level: "team",
    roles: ["admin"],
    scopes: [],
  },
  "promotions.review": {
    description: "Review an applied emergency promotion afterwards",
    level: "team",
    roles: ["compliance-officer"],
    scopes: [],
  },
  "aliases.rollback": {
    description: "Roll an alias back to its previous holder",
    level: "team",
    roles: ["ml-lead", "admin"],
    scopes: ["aliases:rollback"],
  },
  "rollouts.control": {
    description: "Pause, resume, advance early or abort a rollout; acknowledge and resolve its incidents",
    level: "team",
    roles: ["ml-lead"],
    scopes: [],
  },
  "metrics.write": {
    description: "Send live metrics for a model's versions",
    level: "team",
    roles: ["engineer", "ml-lead"],
    scopes: ["metrics:write"],
  },
  "audit.read": {
    description: "Read the audit log and verify its hash chain",
    level: "team",
    roles: ["compliance-officer", "auditor", "admin"],
    scopes: [],
  },
  "audit.export": {
    description: "Export the audit log and evidence bundles",
    level: "team",
    roles: ["compliance-officer", "auditor", "admin"],
    scopes: [],
  },
  "users.manage": {
    description: "Create, deactivate and reactivate users and reset their passwords",
    level: "global",
    roles: ["admin"],
    scopes: [],
  },
  "roles.manage": {
    description: "Grant and revoke roles, globally or per team",
    level: "global",
    roles: ["admin"],
    scopes: [],
  },
  "teams.manage": {
    description: "Create and rename teams",
    level: "global",
    roles: ["admin"],
    scopes: [],
  },
  "tokens.manage": {
    description: "Create, list and revoke API tokens",
    level: "global",
    roles: ["admin"],
    scopes: [],
  },
  "webhooks.manage": {
    description: "Create and edit webhooks",
    level: "global",
    roles: ["admin"],
    scopes: [],
  },
  "mlflow.manage": {
    description: "Connect a model to an MLflow registry (tracking URI and token), change or remove the connection",
    level: "global",
    roles: ["admin"],
    scopes: [],
  },
  "policies.manage": {
    description: "Edit the organisation default and model promotion policies",
    level: "global",
    roles: ["admin"],
    scopes: ["policies:write"],
  },
} as const satisfies Record<string, PermissionSpec>;

export type Permission = keyof typeof PERMISSIONS;
export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

export type Grant = { role: Role; teamId: string | null };

/** Who is acting. Roles are loaded from the database for every request, so a revocation applies at once. */
export type Actor =
  | { kind: "user"; userId: string; label: string; name: string; grants: readonly Grant[]; tokenId?: string }
  | { kind: "service"; tokenId: string; label: string; scopes: readonly Scope[] }
  | { kind: "system"; label: string };

/**
 * Whether `actor` holds `permission`. `teamId` names the team whose resource is touched; leave it out to ask
 * "anywhere at all" (for navigation and organisation-wide lists). System actors (seed, CLI run by the
 * operator of the machine) may do anything.
 */
export function can(actor: Actor, permission: Permission, teamId?: string | null): boolean {
  const spec: PermissionSpec = PERMISSIONS[permission];
  if (actor.kind === "system") return true;
  if (actor.kind === "service") return actor.scopes.some((s) => spec.scopes.includes(s));
  return actor.grants.some((g) => {
    if (!spec.roles.includes(g.role)) return false;
    if (g.teamId === null) return true;
    if (spec.level === "global") return false;
    return teamId === undefined || teamId === g.teamId;
  });
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** The permissions.md document, generated from the table above. */
export function renderPermissionsDoc(): string {
  const header = ["| permission | applies | " + ROLES.join(" | ") + " | token scopes |", "|---|---|" + ROLES.map(() => "---|").join("") + "---|"];
  const rows = PERMISSION_NAMES.map((name) => {
    const spec: PermissionSpec = PERMISSIONS[name];
    const cells = ROLES.map((r) => (spec.roles.includes(r) ? "yes" : ""));
    const scopes = spec.scopes.length ? spec.scopes.map((s) => `\`${s}\``).join(", ") : "";
    return `| \`${name}\`: ${spec.description} | ${spec.level === "team" ? "per team" : "global only"} | ${cells.join(" | ")} | ${scopes} |`;
  });
  const roles = ROLES.map((r) => `- \`${r}\`: ${ROLE_DESCRIPTIONS[r]}`);
  return [
    "# Permissions",
    "",
    "Generated from `lib/auth/permissions.ts` by `npm run gatehouse -- docs permissions`; do not edit by hand (a test keeps them equal).",
    "",
    "A role is granted globally or for one team. A per-team grant allows a *per team* permission on that team's models only;",
    "*global only* permissions need a global grant. Service tokens hold scopes instead of roles and act on every team.",
    "",
    "## Roles",
    "",
    ...roles,
    "",
    "## Table",
    "",
    ...header,
    ...rows,
    "",
  ].join("\n");
}
