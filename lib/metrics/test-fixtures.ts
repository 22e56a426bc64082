import { randomBytes } from "node:crypto";
import type { Actor } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { SYSTEM_ACTOR, makeModel, makeTeam, makeUser } from "@/lib/promotions/test-fixtures";
import { importAliases } from "@/lib/registry/aliases";
import { registerVersion } from "@/lib/registry/versions";
import { buildPlan } from "@/lib/rollouts/plan";

/** Database-test fixtures for live metrics: a model with versions, a champion, and (optionally) a rollout row. */
const hex = (n: number) => randomBytes(n).toString("hex");

export const METRICS_TOKEN: Actor = { kind: "service", tokenId: "metrics-token", label: "metrics-bot", scopes: ["metrics:write"] };

export type MetricsModel = { name: string; id: string; teamId: string; versionIds: Record<number, string> };

/** A model of a fresh team with `versions` versions and `champion` (if given) as @champion. */
export async function metricsModel(o: { versions?: number; champion?: number | null } = {}): Promise<MetricsModel> {
  const team = await makeTeam("metrics");
  const engineer = await makeUser("Mo Metrics", ["engineer"], team.id);
  const name = await makeModel({ team, engineer });
  for (let i = 0; i < (o.versions ?? 3); i++) {
    await registerVersion({ actor: engineer, model: name, input: { artifact: { uri: `s3://test/${name}/${hex(4)}/model.onnx`, checksum: `sha256:${hex(32)}` } } });
  }
  const champion = o.champion === undefined ? 1 : o.champion;
  if (champion !== null) await importAliases({ actor: SYSTEM_ACTOR, model: name, aliases: { champion }, reason: "test champion" });
  const model = await db.registeredModel.findUniqueOrThrow({ where: { name }, include: { versions: { select: { id: true, version: true } } } });
  return { name, id: model.id, teamId: model.teamId, versionIds: Object.fromEntries(model.versions.map((v) => [v.version, v.id])) };
}

/** A rollout row as lib/rollouts would leave it (with the promotion request it needs), champion -> challenger. */
export async function startRollout(m: MetricsModel, o: { champion: number | null; challenger: number; status?: string; plan?: object; alias?: string }): Promise<void> {
  const now = new Date();
  const request = await db.promotionRequest.create({
    data: {
      modelId: m.id, versionId: m.versionIds[o.challenger], stage: "production", alias: o.alias ?? "champion", status: "rolling-out", justification: "test rollout",
      requesterLabel: "test", policyDefaultVersion: 1, policyModelVersion: 0, strategy: "canary", gates: [], gatesPassed: true, evidenceHash: hex(32), evaluatedAt: now,
      expiresAt: new Date(now.getTime() + 86_400_000),
    },
  });
  await db.rollout.create({
    data: {
      modelId: m.id, requestId: request.id, alias: o.alias ?? "champion", strategy: "canary", plan: { ...buildPlan({ strategy: "canary", criteria: [] }, { signature: false }), ...o.plan }, status: o.status ?? "running", stepIndex: 0, mode: "canary",
      trafficPercent: 5, stepStartedAt: now, startedAt: now,
      championVersionId: o.champion === null ? null : m.versionIds[o.champion], championVersion: o.champion,
      challengerVersionId: m.versionIds[o.challenger], challengerVersion: o.challenger,
    },
  });
}

/** Rows stored for a model: raw points and the rollups' item total. */
export async function storedCounts(modelId: string): Promise<{ points: number; rollupItems: number }> {
  const points = await db.metricPoint.count({ where: { modelId } });
  const rollups = await db.metricRollup.aggregate({ where: { modelId }, _sum: { items: true } });
  return { points, rollupItems: rollups._sum.items ?? 0 };
}
