import "server-only";
import { badRequest } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/permissions";
import { db, type Tx } from "@/lib/db";
import { findReadableModel } from "@/lib/registry/models";
import { findVersion, parseVersionNumber } from "@/lib/registry/versions";
import { evaluateStage, type StageReadiness } from "./gates";
import type { AliasMove, Column, VersionInput } from "./gates/context";
import { DEVELOPMENT, type EffectivePolicy, type EffectiveStage } from "./merge";
import { effectivePolicyFor } from "./policies";

/**
 * Dry runs: what would the gates say if version V of model M asked to move to a stage now? Loads the evidence and
 * hands it to the pure evaluation (gates/index.ts); nothing is written.
 */
export type Readiness = StageReadiness & { model: string; version: number; policy: { defaultVersion: number; modelVersion: number }; evaluatedAt: string; notes: string[] };

type VersionRow = Awaited<ReturnType<typeof loadVersion>>;

function loadVersion(client: Tx, id: string) {
  return client.modelVersion.findUniqueOrThrow({ where: { id }, include: { reports: { orderBy: { createdAt: "asc" } } } });
}

function toInput(v: VersionRow): VersionInput {
  return {
    version: v.version,
    status: v.status,
    artifactUri: v.artifactUri,
    artifactChecksum: v.artifactChecksum,
    signature: (v.signature as { inputs: Column[]; outputs: Column[] } | null) ?? null,
    commitSha: v.commitSha,
    dataHash: v.dataHash,
    featureSetVersion: v.featureSetVersion,
    environment: { imageDigest: v.imageDigest, lockfileHash: v.lockfileHash, runtime: v.runtime, accelerator: v.accelerator, resourceClass: v.resourceClass },
    reports: v.reports.map((r) => ({ id: r.id, kind: r.kind, payload: r.payload, createdAt: r.createdAt })),
  };
}

/** The readiness of one version for every stage of its model (the version page's panel), or for one stage. */
export async function versionReadiness(opts: { actor: Actor | null; model: string; version: string; stage?: string; now?: Date }): Promise<Readiness[]> {
  const model = await findReadableModel(db, opts.actor, opts.model);
  const row = await findVersion(db, model.id, model.name, parseVersionNumber(opts.version));
  const { policy, defaultVersion, modelVersion } = await effectivePolicyFor(db, model.id);
  const stages = opts.stage ? [stageNamed(policy, model.name, opts.stage)] : policy.stages;
  const now = opts.now ?? new Date();
  const evidence = await loadEvidence(db, model.id, row.id, stages);
  return stages.map((stage) => ({
    ...judge(evidence, { model, policy, stage, now }),
    model: model.name,
    version: row.version,
    policy: { defaultVersion, modelVersion },
    evaluatedAt: now.toISOString(),
    notes: policy.notes,
  }));
}

/** The stage of `policy` named `name`, or a 400 listing the model's stages. */
export function stageNamed(policy: EffectivePolicy, model: string, name: string): EffectiveStage {
  const stage = policy.stages.find((s) => s.name === name);
  if (stage) return stage;
  const names = [DEVELOPMENT, ...policy.stages.map((s) => s.name)];
  throw badRequest(`"${name}" is not a stage of ${model}; its stages are ${names.join(", ")}`, [{ path: "stage", message: `One of ${policy.stages.map((s) => s.name).join(", ")}` }]);
}

type Evidence = Awaited<ReturnType<typeof loadEvidence>>;

async function loadEvidence(client: Tx, modelId: string, versionId: string, stages: readonly EffectiveStage[]) {
  const [version, aliases, changes] = await Promise.all([
    loadVersion(client, versionId),
    client.modelAlias.findMany({ where: { modelId }, include: { version: { select: { id: true, version: true } } } }),
    client.aliasChange.findMany({ where: { modelId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
  ]);
  const holders = new Map<string, { id: string; input: VersionInput }>();
  for (const a of aliases) if (stages.some((s) => s.alias === a.name)) holders.set(a.name, { id: a.version.id, input: toInput(await loadVersion(client, a.version.id)) });
  // A move made by an applied request passed its gates; any other move (set by hand, a rollback) says nothing.
  const history: AliasMove[] = changes.map((c) => ({ alias: c.alias, fromVersion: c.fromVersion, toVersion: c.toVersion, at: c.createdAt, gatesPassed: c.via === "promotion" || c.via === "emergency" || c.via === "rollout" ? true : null }));
  return { version: toInput(version), aliases, holders, history };
}

function judge(e: Evidence, o: { model: { name: string; riskTier: string }; policy: EffectivePolicy; stage: EffectiveStage; now: Date }): StageReadiness {
  return evaluateStage({
    model: { name: o.model.name, riskTier: o.model.riskTier },
    policy: o.policy,
    stage: o.stage,
    version: e.version,
    holder: e.holders.get(o.stage.alias)?.input ?? null,
    aliases: Object.fromEntries(e.aliases.map((a) => [a.name, a.version.version])),
    history: e.history,
    now: o.now,
  });
}

/**
 * The gates of one stage for one version, read inside the caller's transaction (a promotion request's evaluation),
 * with the id of the alias's current holder, which the request's evidence hash binds to.
 */
export async function stageReadiness(client: Tx, o: { model: { id: string; name: string; riskTier: string }; versionId: string; policy: EffectivePolicy; stage: EffectiveStage; now: Date }): Promise<{ readiness: StageReadiness; holderVersionId: string | null }> {
  const evidence = await loadEvidence(client, o.model.id, o.versionId, [o.stage]);
  return { readiness: judge(evidence, o), holderVersionId: evidence.holders.get(o.stage.alias)?.id ?? null };
}
