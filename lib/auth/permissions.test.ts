import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PERMISSIONS, PERMISSION_NAMES, ROLES, can, renderPermissionsDoc, type Actor, type Permission, type Role, type Scope } from "./permissions";

const user = (grants: { role: Role; teamId?: string | null }[]): Actor => ({
  kind: "user",
  userId: "u",
  label: "u@example.com",
  name: "U",
  grants: grants.map((g) => ({ role: g.role, teamId: g.teamId ?? null })),
});

describe("the permission table", () => {
  // For every permission: a role that has it is allowed and a role that lacks it is refused.
  const cases = PERMISSION_NAMES.flatMap((permission) =>
    ROLES.map((role) => [permission, role, (PERMISSIONS[permission].roles as readonly Role[]).includes(role)] as const),
  );
  it.each(cases)("%s for a global %s → %s", (permission, role, allowed) => {
    expect(can(user([{ role }]), permission)).toBe(allowed);
  });

  it("gives every permission to at least one role and withholds it from at least one", () => {
    for (const p of PERMISSION_NAMES) {
      const roles = PERMISSIONS[p].roles as readonly Role[];
      expect(roles.length, p).toBeGreaterThan(0);
      if (p !== "registry.read" && p !== "serving.read") expect(roles.length, p).toBeLessThan(ROLES.length);
    }
  });

  it("keeps the auditor read-only", () => {
    const writes = PERMISSION_NAMES.filter((p) => !["registry.read", "serving.read", "audit.read", "audit.export"].includes(p));
    for (const p of writes) expect(can(user([{ role: "auditor" }]), p), p).toBe(false);
  });

  it("lets only the roles a policy may ask for decide on promotions (admins through the emergency path)", () => {
    // Which of these counts on a given request is the request's policy's business (lib/promotions/decide.ts).
    for (const role of ["ml-lead", "compliance-officer", "admin"] as const) expect(can(user([{ role }]), "promotions.decide"), role).toBe(true);
    for (const role of ["viewer", "engineer", "auditor"] as const) expect(can(user([{ role }]), "promotions.decide"), role).toBe(false);
  });
});

describe("team scoping", () => {
  const leadOfPayments = user([{ role: "ml-lead", teamId: "payments" }]);
  it.each<[string, Actor, Permission, string | null | undefined, boolean]>([
    ["team grant on its own team", leadOfPayments, "aliases.rollback", "payments", true],
    ["team grant on another team", leadOfPayments, "aliases.rollback", "risk", false],
    ["team grant asked without a team (anywhere)", leadOfPayments, "aliases.rollback", undefined, true],
    ["team grant on an org-wide resource (team null)", leadOfPayments, "aliases.rollback", null, false],
    ["global grant on any team", user([{ role: "ml-lead" }]), "aliases.rollback", "risk", true],
    ["team admin cannot manage users", user([{ role: "admin", teamId: "payments" }]), "users.manage", undefined, false],
    ["global admin manages users", user([{ role: "admin" }]), "users.manage", undefined, true],
    ["no grants at all", user([]), "registry.read", undefined, false],
  ])("%s", (_name, actor, permission, teamId, expected) => {
    expect(can(actor, permission, teamId)).toBe(expected);
  });
});

describe("service token scopes", () => {
  const service = (...scopes: Scope[]): Actor => ({
    kind: "service",
    tokenId: "t",
    label: "ci",
    scopes,
  });
  it.each<[string, Actor, Permission, boolean]>([
    ["registry:write registers versions", service("registry:write"), "registry.write", true],
    ["registry:write cannot request promotions", service("registry:write"), "promotions.request", false],
    ["promotions:request requests", service("promotions:request"), "promotions.request", true],
    ["serving:read resolves aliases", service("serving:read"), "serving.read", true],
    ["serving:read cannot read the registry", service("serving:read"), "registry.read", false],
    ["metrics:write sends metrics", service("metrics:write"), "metrics.write", true],
    ["aliases:rollback rolls back", service("aliases:rollback"), "aliases.rollback", true],
    ["no scope ever manages users", service("registry:write", "promotions:request", "metrics:write", "serving:read", "aliases:rollback", "registry:read"), "users.manage", false],
    ["no scope ever decides promotions", service("promotions:request"), "promotions.decide", false],
  ])("%s", (_name, actor, permission, expected) => {
    expect(can(actor, permission)).toBe(expected);
  });
});

describe("docs/permissions.md", () => {
  it("is generated from the table (run `npm run gatehouse -- docs permissions` after changing it)", () => {
    const onDisk = readFileSync(path.join(__dirname, "../../docs/permissions.md"), "utf8");
    expect(onDisk).toBe(renderPermissionsDoc());
  });
});
