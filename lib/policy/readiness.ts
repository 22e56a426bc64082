import "server-only";
import { badRequest } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/permissions";
import { db, type Tx } from "@/lib/db";
import { findReadableModel } from "@/lib/registry/models";
import { findVersion, parseVersionNumber } from "@/lib/registry/versions";
import { evaluateStage, type StageReadiness } from "./gates";
import type { AliasMove, Column, VersionInput } from "./gates/context";
import { DEVELOPMENT } from "./merge";
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
  const stages = opts.stage ? policy.stages.filter((s) => s.name === opts.stage) : policy.stages;
  if (opts.stage && !stages.length) {
    const names = [DEVELOPMENT, ...policy.stages.map((s) => s.name)];
    throw badRequest(`"${opts.stage}" is not a stage of ${model.name}; its stages are ${names.join(", ")}`, [{ path: "stage", message: `One of ${policy.stages.map((s) => s.name).join(", ")}` }]);
  }
  const [version, aliases, changes] = await Promise.all([
    loadVersion(db, row.id),
    db.modelAlias.findMany({ where: { modelId: model.id }, include: { version: { select: { id: true, version: true } } } }),
    db.aliasChange.findMany({ where: { modelId: model.id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
  ]);
  const holders = new Map<string, VersionInput>();
  for (const a of aliases) if (stages.some((s) => s.alias === a.name)) holders.set(a.name, toInput(await loadVersion(db, a.version.id)));
  // Until promotion requests record their gate results (issue 6), an alias move carries no such record.
  const history: AliasMove[] = changes.map((c) => ({ alias: c.alias, fromVersion: c.fromVersion, toVersion: c.toVersion, at: c.createdAt, gatesPassed: null }));
  const now = opts.now ?? new Date();
  const input = toInput(version);
  return stages.map((stage) => ({
    ...evaluateStage({
      model: { name: model.name, riskTier: model.riskTier },
      policy,
      stage,
      version: input,
      holder: holders.get(stage.alias) ?? null,
      aliases: Object.fromEntries(aliases.map((a) => [a.name, a.version.version])),
      history,
      now,
    }),
    model: model.name,
    version: version.version,
    policy: { defaultVersion, modelVersion },
    evaluatedAt: now.toISOString(),
    notes: policy.notes,
  }));
}
