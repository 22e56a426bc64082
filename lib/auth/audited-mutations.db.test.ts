import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/verify";
import { db } from "@/lib/db";
import { acceptInvitation, reissueInvitation } from "./invitations";
import type { Actor } from "./permissions";
import { createTeam } from "./teams";
import { createToken, revokeToken } from "./tokens";
import { createUser, grantRole, resetPassword, revokeRole, setUserActive } from "./users";

// What each mutation leaves on the audit trail, checked in the real database: who, what, on what, before/after, why.
const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);
const admin: Actor = { kind: "system", label: "audit-content-test" };
const suffix = Date.now().toString(36);

const asText = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v));

async function lastEvent() {
  return db.auditEvent.findFirstOrThrow({ orderBy: { id: "desc" } });
}

describe.skipIf(!hasDb)("every user, team and token mutation writes its audit event", () => {
  let userId = "";
  beforeAll(async () => {
    await createTeam({ actor: admin, input: { slug: `audit-${suffix}`, name: "Audit team" } });
  });
  afterAll(async () => {
    expect((await verifyAuditChain()).ok).toBe(true);
    await db.$disconnect();
  });

  it("team.create", async () => {
    const team = await createTeam({ actor: admin, input: { slug: `t-${suffix}`, name: "Trail", reason: "new squad" } });
    expect(await lastEvent()).toMatchObject({ action: "team.create", actorType: "system", actorLabel: "audit-content-test", targetType: "team", targetId: team.id, after: { slug: `t-${suffix}`, name: "Trail" }, reason: "new squad" });
  });

  it("user.create, without the password", async () => {
    const user = await createUser({ actor: admin, input: { email: `a-${suffix}@example.com`, name: "Audie", password: "a-long-password-1", roles: [{ role: "engineer", team: `audit-${suffix}` }], reason: "joined" } });
    userId = user.id;
    const event = await lastEvent();
    expect(event).toMatchObject({ action: "user.create", targetType: "user", targetId: user.id, after: { email: `a-${suffix}@example.com`, roles: [`engineer@audit-${suffix}`], invited: false }, reason: "joined" });
    expect(asText(event)).not.toContain("a-long-password-1");
  });

  it("role.grant and role.revoke, with the roles before and after", async () => {
    const granted = await grantRole({ actor: admin, id: userId, input: { role: "viewer", reason: "read access" } });
    expect(await lastEvent()).toMatchObject({ action: "role.grant", before: { roles: [`engineer@audit-${suffix}`] }, after: { roles: [`engineer@audit-${suffix}`, "viewer"] }, reason: "read access" });
    const viewer = granted.grants.find((g) => g.role === "viewer")!;
    await revokeRole({ actor: admin, id: userId, grantId: viewer.id, reason: "not needed" });
    expect(await lastEvent()).toMatchObject({ action: "role.revoke", after: { roles: [`engineer@audit-${suffix}`] }, reason: "not needed" });
  });

  it("user.reset-password, without the password", async () => {
    await resetPassword({ actor: admin, id: userId, input: { password: "another-password-2", reason: "forgotten" } });
    const event = await lastEvent();
    expect(event).toMatchObject({ action: "user.reset-password", targetId: userId, reason: "forgotten" });
    expect(asText(event)).not.toContain("another-password-2");
  });

  it("token.create and token.revoke, never with the secret", async () => {
    const { token, secret } = await createToken({ actor: admin, input: { name: `ci-${suffix}`, kind: "service", scopes: ["registry:read"] } });
    const created = await lastEvent();
    expect(created).toMatchObject({ action: "token.create", targetId: token.id, after: { name: `ci-${suffix}`, scopes: ["registry:read"] } });
    expect(asText(created)).not.toContain(secret.slice(4));
    await revokeToken({ actor: admin, id: token.id, reason: "leaked" });
    expect(await lastEvent()).toMatchObject({ action: "token.revoke", targetId: token.id, reason: "leaked" });
  });

  it("user.deactivate revokes the user's tokens and says how many; user.reactivate", async () => {
    await createToken({ actor: admin, input: { name: `mine-${suffix}`, kind: "user", userEmail: `a-${suffix}@example.com`, scopes: [] } });
    await setUserActive({ actor: admin, id: userId, input: { active: false, reason: "left" } });
    expect(await lastEvent()).toMatchObject({ action: "user.deactivate", before: { active: true }, after: { active: false, tokensRevoked: 1 }, reason: "left" });
    expect(await db.apiToken.count({ where: { userId, revokedAt: null } })).toBe(0);
    await setUserActive({ actor: admin, id: userId, input: { active: true } });
    expect(await lastEvent()).toMatchObject({ action: "user.reactivate", after: { active: true } });
  });

  it("user.invite and user.accept-invitation, acted by the invited user", async () => {
    const invited = await createUser({ actor: admin, input: { email: `i-${suffix}@example.com`, name: "Inez", roles: [] } });
    expect(await lastEvent()).toMatchObject({ action: "user.create", after: { invited: true } });
    const link = await reissueInvitation({ actor: admin, id: invited.id, reason: "lost the mail" });
    expect(await lastEvent()).toMatchObject({ action: "user.invite", targetId: invited.id, reason: "lost the mail" });
    await acceptInvitation({ token: link.path.split("/").pop()!, input: { password: "inez-password-1", confirm: "inez-password-1" } });
    expect(await lastEvent()).toMatchObject({ action: "user.accept-invitation", actorType: "user", actorId: invited.id, actorLabel: `i-${suffix}@example.com` });
  });

  it("a refused mutation writes nothing", async () => {
    const before = await db.auditEvent.count();
    await expect(createTeam({ actor: admin, input: { slug: `t-${suffix}`, name: "Duplicate" } })).rejects.toThrow(/already exists/);
    await expect(createUser({ actor: { kind: "service", tokenId: "x", label: "ci", scopes: ["registry:write"] }, input: { email: `x-${suffix}@example.com`, name: "X", roles: [] } })).rejects.toThrow(/users.manage/);
    expect(await db.auditEvent.count()).toBe(before);
  });
});
