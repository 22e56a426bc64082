import { loosenings } from "./mandatory";
import type { PolicyError, PolicySource } from "./parse";
import { DEFAULT_STAGE_ALIASES, type Approvals, type Dependency, type Environment, type FreezeWindow, type Gate, type PolicyDocument, type Rollout } from "./schema";

/**
 * A model's effective policy: the organisation default with the model's own document layered on top. Pure.
 * - Stages and their order come from the default (`stages` in key order; development is always first, implicit).
 * - Gates merge by id: a model gate with a default gate's id replaces it, `enabled: false` switches an inherited gate
 *   off, new ids are added after the inherited ones. A mandatory default gate can be tightened, never loosened or
 *   switched off (validateModelPolicy says which and where; mergePolicies keeps the default's gate if a stored model
 *   policy predates a stricter default).
 * - approvals, rollout, environment and alias: the model's replace the default's, per stage.
 * - Freeze windows and protected aliases: both documents' apply.
 */
export type EffectiveGate = Gate & { source: "default" | "model"; mandatory: boolean };
export type EffectiveStage = { name: string; alias: string; previous: string | null; environment: Environment | null; gates: EffectiveGate[]; approvals: Approvals; rollout: Rollout | null };
export type EffectivePolicy = { stages: EffectiveStage[]; freeze: FreezeWindow[]; protectedAliases: string[]; dependencies: Dependency[]; notes: string[] };

export const DEVELOPMENT = "development";
const DEFAULT_APPROVALS: Approvals = { quorum: [], electronicSignature: "regulated", ttl: "7d" };
const BUILT_IN_PROTECTED = ["champion", "staging", "challenger"];

function stageNames(defaultDoc: PolicyDocument): string[] {
  const names = Object.keys(defaultDoc.stages ?? {});
  return names.length ? names : Object.keys(DEFAULT_STAGE_ALIASES);
}

export function stageAlias(name: string, declared?: string): string {
  return declared ?? DEFAULT_STAGE_ALIASES[name] ?? name;
}

/** Problems in the organisation default that only make sense for it (model-level checks are in validateModelPolicy). */
export function validateDefaultPolicy(doc: PolicyDocument, source: PolicySource): PolicyError[] {
  const errors: PolicyError[] = [];
  const stages = Object.entries(doc.stages ?? {});
  if (doc.stages && stages.length === 0) errors.push(source.error(["stages"], "Declare at least one stage after development, such as staging and production"));
  if (doc.dependencies) errors.push(source.error(["dependencies"], "dependencies belong in a model's own policy: they say which models that model needs"));
  if (doc.stages?.[DEVELOPMENT]) errors.push(source.error(["stages", DEVELOPMENT], "development is where every registered version starts; it has no gates or alias, so leave it out"));
  const aliases = new Map<string, string>();
  for (const [name, s] of stages) {
    const alias = stageAlias(name, s.alias);
    const other = aliases.get(alias);
    if (other) errors.push(source.error(["stages", name, "alias"], `Stage ${name} uses alias @${alias}, which stage ${other} already uses`));
    aliases.set(alias, name);
  }
  return errors;
}

/** Problems in a model's policy given the organisation default: unknown stages, `mandatory` set, mandatory gates loosened. */
export function validateModelPolicy(defaultDoc: PolicyDocument, doc: PolicyDocument, source: PolicySource): PolicyError[] {
  const errors: PolicyError[] = [];
  const known = stageNames(defaultDoc);
  (doc.dependencies ?? []).forEach((d, i) =>
    (d.stages ?? []).forEach((s, j) => {
      if (!known.includes(s)) errors.push(source.error(["dependencies", i, "stages", j], `Stage "${s}" is not one of the organisation's stages: ${known.join(", ")}`));
    }),
  );
  for (const [name, stage] of Object.entries(doc.stages ?? {})) {
    if (!known.includes(name)) {
      errors.push(source.error(["stages", name], `Stage "${name}" is not one of the organisation's stages: ${known.join(", ")}`));
      continue;
    }
    const inherited = defaultDoc.stages?.[name]?.gates ?? [];
    (stage.gates ?? []).forEach((gate, i) => {
      if (gate.mandatory !== undefined) errors.push(source.error(["stages", name, "gates", i, "mandatory"], "Only the organisation default marks gates mandatory"));
      const base = inherited.find((g) => g.id === gate.id);
      if (!base?.mandatory) return;
      for (const l of loosenings(base, gate)) {
        const path = ["stages", name, "gates", i, ...(l.field ? l.field.split(".") : [])];
        errors.push(source.error(path, `Gate "${gate.id}" is mandatory in the organisation default; this ${l.message}. A model policy may tighten a mandatory gate, never loosen or remove it.`));
      }
    });
  }
  return errors;
}

export function mergePolicies(defaultDoc: PolicyDocument, modelDoc: PolicyDocument | null): EffectivePolicy {
  const notes: string[] = [];
  const names = stageNames(defaultDoc);
  const stages = names.map((name, index): EffectiveStage => {
    const d = defaultDoc.stages?.[name] ?? {};
    const m = modelDoc?.stages?.[name] ?? {};
    const gates: EffectiveGate[] = [];
    for (const g of d.gates ?? []) {
      const override = (m.gates ?? []).find((x) => x.id === g.id);
      if (!override) {
        gates.push({ ...g, source: "default", mandatory: g.mandatory === true });
        continue;
      }
      const loosened = g.mandatory ? loosenings(g, override) : [];
      if (loosened.length) {
        notes.push(`The model policy's gate "${g.id}" (${name}) ${loosened[0].message}; the organisation default's mandatory gate applies instead.`);
        gates.push({ ...g, source: "default", mandatory: true });
      } else if (override.enabled !== false) gates.push({ ...override, source: "model", mandatory: g.mandatory === true });
    }
    for (const g of m.gates ?? []) if (!gates.some((x) => x.id === g.id) && !(d.gates ?? []).some((x) => x.id === g.id) && g.enabled !== false) gates.push({ ...g, source: "model", mandatory: false });
    return {
      name,
      alias: stageAlias(name, m.alias ?? d.alias),
      previous: index === 0 ? DEVELOPMENT : names[index - 1],
      environment: m.environment ?? d.environment ?? null,
      gates,
      approvals: m.approvals ?? d.approvals ?? DEFAULT_APPROVALS,
      rollout: m.rollout ?? d.rollout ?? null,
    };
  });
  return {
    stages,
    freeze: [...(defaultDoc.freeze ?? []), ...(modelDoc?.freeze ?? [])],
    protectedAliases: [...new Set([...BUILT_IN_PROTECTED, ...stages.map((s) => s.alias), ...(defaultDoc.protectedAliases ?? []), ...(modelDoc?.protectedAliases ?? [])])],
    dependencies: modelDoc?.dependencies ?? [],
    notes,
  };
}
