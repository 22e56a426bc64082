import { randomBytes } from "node:crypto";
import type { Actor, Grant, Role } from "@/lib/auth/permissions";
import { hashPassword } from "@/lib/auth/secrets";
import { createTeam } from "@/lib/auth/teams";
import { db } from "@/lib/db";
import { putModelPolicy } from "@/lib/policy/policies";
import { createModel } from "@/lib/registry/models";
import { addReport } from "@/lib/registry/reports";
import { registerVersion } from "@/lib/registry/versions";

/** Database-test fixtures for promotions: real users with roles, a team, a model with a policy, good versions. */
export const SYSTEM_ACTOR: Actor = { kind: "system", label: "test" };
export const PASSWORD = "correct horse battery staple";
const hex = (n: number) => randomBytes(n).toString("hex");
let passwordHash: Promise<string> | undefined;

export async function makeTeam(prefix: string): Promise<{ id: string; slug: string }> {
  const slug = `${prefix}-${hex(3)}`;
  await createTeam({ actor: SYSTEM_ACTOR, input: { slug, name: `Team ${slug}` } });
  return db.team.findUniqueOrThrow({ where: { slug }, select: { id: true, slug: true } });
}

/** A user holding `roles` on `teamId` (null: globally), as the actor the API would build for them. */
export async function makeUser(name: string, roles: Role[], teamId: string | null): Promise<Actor & { kind: "user" }> {
  passwordHash ??= hashPassword(PASSWORD);
  const email = `${name}-${hex(4)}@test.local`;
  const user = await db.user.create({ data: { email, name, passwordHash: await passwordHash } });
  const grants: Grant[] = roles.map((role) => ({ role, teamId }));
  for (const g of grants) await db.roleGrant.create({ data: { userId: user.id, role: g.role, teamId: g.teamId } });
  return { kind: "user", userId: user.id, label: email, name, grants };
}

export const STAGING_ONLY_POLICY = (quorum: string, extra = "") => `stages:
  staging:
    approvals:
      quorum: ${quorum}
${extra}`;

export async function makeModel(o: { team: { slug: string }; engineer: Actor; riskTier?: "standard" | "regulated"; policy?: string }): Promise<string> {
  const name = `m-${hex(4)}`;
  await createModel({ actor: o.engineer, input: { name, team: o.team.slug, riskTier: o.riskTier ?? "standard" } });
  if (o.policy) await putModelPolicy({ actor: SYSTEM_ACTOR, model: name, input: { document: o.policy, comment: "test policy" } });
  return name;
}

/** A version with full lineage and passing tests and data checks: it passes the default staging gates. */
export async function goodVersion(model: string, actor: Actor): Promise<number> {
  const v = await registerVersion({
    actor,
    model,
    input: {
      artifact: { uri: `s3://test/${model}/${hex(4)}/model.onnx`, checksum: `sha256:${hex(32)}` },
      lineage: { commitSha: hex(20), dataSnapshotUri: "s3://test/data", dataHash: `sha256:${hex(32)}`, featureSet: { name: "features", version: "1" } },
    },
  });
  await addReport({ actor, model, version: String(v.version), input: { kind: "tests", payload: { suites: [{ name: "unit", kind: "unit", passed: 10, failed: 0 }] } } });
  await addReport({ actor, model, version: String(v.version), input: { kind: "data-validation", payload: { dataset: "snapshot", checks: [{ name: "no nulls", passed: true }] } } });
  return v.version;
}

export const COMMENT = "Checked the metrics, lineage and tests; all good.";
