import "server-only";
import type { Tx } from "@/lib/db";
import { effectivePolicyFor } from "@/lib/policy/policies";
import { checkRules, type Member, type RuleCheck, type RuleVersion, type Served, type SourcedRule } from "./rules";
import type { TReleaseRule } from "./schemas";

/** Loading what the pure rule check (rules.ts) needs: the members' policy dependencies and the versions in place. */
function ruleVersion(model: string, v: { version: number; signature: unknown; featureSetName: string | null; featureSetVersion: string | null }): RuleVersion {
  return { model, version: v.version, signature: (v.signature as RuleVersion["signature"]) ?? null, featureSetName: v.featureSetName, featureSetVersion: v.featureSetVersion };
}

/**
 * Every rule that applies to a release (those it declares, then each member's policy dependencies), checked against
 * what the release would leave in place: members' versions at their stages, current holders elsewhere.
 */
export async function checkReleaseRules(tx: Tx, o: { rules: readonly TReleaseRule[]; members: readonly { model: { id: string; name: string }; version: RuleVersionSource; stage: string; alias: string }[] }): Promise<RuleCheck[]> {
  const sourced: SourcedRule[] = o.rules.map((r) => ({ ...r, source: { kind: "release" } }));
  for (const m of o.members) {
    const { policy } = await effectivePolicyFor(tx, m.model.id);
    for (const d of policy.dependencies) sourced.push({ model: m.model.name, requires: d.requires, versions: d.versions, signature: d.signature, sameFeatureSet: d.sameFeatureSet, stages: d.stages, source: { kind: "policy", model: m.model.name } });
  }
  const members: Member[] = o.members.map((m) => ({ model: m.model.name, version: m.version.version, stage: m.stage, alias: m.alias }));
  const served = new Map<string, Served>();
  const key = (model: string, stage: string) => `${model}\u0000${stage}`;
  for (const m of o.members) served.set(key(m.model.name, m.stage), { version: ruleVersion(m.model.name, m.version), alias: m.alias });
  const wanted = new Set<string>();
  for (const r of sourced) for (const m of o.members) if (m.model.name === r.model) wanted.add(key(r.requires, m.stage));
  for (const k of wanted) {
    if (served.has(k)) continue;
    const [name, stage] = k.split("\u0000");
    const model = await tx.registeredModel.findUnique({ where: { name }, select: { id: true } });
    if (!model) {
      served.set(k, "no-model");
      continue;
    }
    const { policy } = await effectivePolicyFor(tx, model.id);
    const s = policy.stages.find((x) => x.name === stage);
    if (!s) {
      served.set(k, null);
      continue;
    }
    const holder = await tx.modelAlias.findUnique({ where: { modelId_name: { modelId: model.id, name: s.alias } }, include: { version: { select: { version: true, signature: true, featureSetName: true, featureSetVersion: true } } } });
    served.set(k, { version: holder ? ruleVersion(name, holder.version) : null, alias: s.alias });
  }
  return checkRules(sourced, members, (model, stage) => served.get(key(model, stage)) ?? null);
}
type RuleVersionSource = { version: number; signature: unknown; featureSetName: string | null; featureSetVersion: string | null };
