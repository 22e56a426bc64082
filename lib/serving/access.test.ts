import { describe, expect, it } from "vitest";
import { PERMISSIONS, ROLES, SCOPES, can, type Actor, type Role, type Scope } from "@/lib/auth/permissions";
import { SERVING_READ_ROLES, SERVING_READ_SCOPES, servingAccess } from "./access.mjs";
import { aliasEtag, aliasView, etagMatches } from "./alias-view.mjs";

const reads = (actor: Actor, teamId?: string) => can(actor, "serving.read", teamId) || can(actor, "registry.read", teamId);

describe("the fast path's access rules match the permission table", () => {
  it.each(SCOPES.map((s) => [s] as [Scope]))("scope %s", (scope) => {
    const allowed = servingAccess({ kind: "service", scopes: [scope], revoked: false, userActive: null, grants: [] }) !== null;
    expect(allowed).toBe(reads({ kind: "service", tokenId: "t", label: "t", scopes: [scope] }));
  });

  it.each(ROLES.map((r) => [r] as [Role]))("role %s, globally and for one team", (role) => {
    const user = (teamId: string | null): Actor => ({ kind: "user", userId: "u", label: "u", name: "u", grants: [{ role, teamId }] });
    const global = servingAccess({ kind: "user", scopes: [], revoked: false, userActive: true, grants: [{ role, teamId: null }] });
    expect(global !== null && global.teams === null).toBe(reads(user(null), "any-team"));
    const team = servingAccess({ kind: "user", scopes: [], revoked: false, userActive: true, grants: [{ role, teamId: "payments" }] });
    expect(team?.teams?.has("payments") ?? false).toBe(reads(user("payments"), "payments"));
    expect(team?.teams?.has("risk") ?? false).toBe(reads(user("payments"), "risk"));
  });

  it("lists exactly the roles and scopes that read", () => {
    const readRoles = new Set([...PERMISSIONS["serving.read"].roles, ...PERMISSIONS["registry.read"].roles]);
    const readScopes = new Set([...PERMISSIONS["serving.read"].scopes, ...PERMISSIONS["registry.read"].scopes]);
    expect([...SERVING_READ_ROLES].sort()).toEqual([...readRoles].sort());
    expect([...SERVING_READ_SCOPES].sort()).toEqual([...readScopes].sort());
  });

  it.each([
    ["a revoked token", { kind: "service", scopes: ["serving:read"], revoked: true, userActive: null, grants: [] }],
    ["a deactivated user", { kind: "user", scopes: [], revoked: false, userActive: false, grants: [{ role: "viewer", teamId: null }] }],
    ["a user without roles", { kind: "user", scopes: [], revoked: false, userActive: true, grants: [] }],
    ["a user whose only role is unknown", { kind: "user", scopes: [], revoked: false, userActive: true, grants: [{ role: "wizard", teamId: null }] }],
  ])("refuses %s", (_name, token) => {
    expect(servingAccess(token)).toBeNull();
  });
});

describe("alias answers and ETags", () => {
  const view = aliasView({ model: "m", alias: "champion", version: 3, artifactUri: "s3://a", artifactChecksum: "sha256:1", updatedAt: new Date("2026-11-22T00:00:00Z") });
  it("are stable and change with the answer", () => {
    expect(aliasEtag(view)).toBe(aliasEtag({ ...view }));
    expect(aliasEtag({ ...view, version: 4 })).not.toBe(aliasEtag(view));
  });
  it.each([
    [null, false],
    ["", false],
    ['"other"', false],
    ["*", true],
    ["SAME", true],
    ['"other", SAME', true],
    ["W/SAME", true],
  ])("If-None-Match %j → %s", (header, match) => {
    const etag = aliasEtag(view);
    expect(etagMatches(header?.replace("SAME", etag) ?? null, etag)).toBe(match);
  });
});
