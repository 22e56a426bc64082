/**
 * Compatibility rules between the models of a release ("ranker v12 requires encoder >= v7, with matching signatures"),
 * as pure functions over the versions the release would leave in place. No I/O: the caller loads the versions.
 *
 * A rule names a dependent model (optionally one version of it) and the model it requires, with any of:
 * - `versions`: a range the required model's version must be in (">=7", ">=7 <10", "7", "!=8");
 * - `signature`: the dependent's input schema accepts the required model's outputs (every output column is an input
 *   of the same type), as a classifier reading an encoder's embedding must;
 * - `sameFeatureSet`: both were trained on the same feature set (name and version), from their lineage.
 */
import { RANGE_HINT, parseRange, satisfies } from "@/lib/policy/range";

export { RANGE_HINT, parseRange, satisfies, type Comparator } from "@/lib/policy/range";

export type Column = { name: string; type: string; optional?: boolean };
export type RuleVersion = {
  model: string;
  version: number;
  signature: { inputs: Column[]; outputs: Column[] } | null;
  featureSetName: string | null;
  featureSetVersion: string | null;
};
export type Rule = { model: string; version?: number; requires: string; versions?: string; signature?: boolean; sameFeatureSet?: boolean; stages?: string[] };
/** Where a rule comes from: the release itself (declared by the engineer) or a member model's policy. */
export type RuleSource = { kind: "release" } | { kind: "policy"; model: string };
export type SourcedRule = Rule & { source: RuleSource };
export type Member = { model: string; version: number; stage: string; alias: string };
/** What a model serves at a stage after the release: its alias and version, null if it has no such stage, "no-model" if there is no such model. */
export type Served = { version: RuleVersion | null; alias: string } | null | "no-model";
export type RuleCheck = {
  /** The rule in words: "ranker v12 requires encoder >=7 with a matching signature". */
  rule: string;
  source: string;
  status: "pass" | "fail" | "not-applicable";
  /** What was found, in a sentence. */
  message: string;
  /** Where the rule is (rules.i for declared ones, policies.<model>.dependencies for a policy's), for error details. */
  path: string;
};

// ---------------------------------------------------------------------------------------------------------------
// Checking

export function describeRule(r: Rule): string {
  const extras = [r.signature ? "a matching signature" : null, r.sameFeatureSet ? "the same feature set" : null].filter(Boolean);
  const range = r.versions ? ` ${r.versions.trim()}` : "";
  return `${r.model}${r.version !== undefined ? ` v${r.version}` : ""} requires ${r.requires}${range}${extras.length ? ` with ${extras.join(" and ")}` : ""}${r.stages?.length ? ` (in ${r.stages.join(", ")})` : ""}`;
}

function describeSource(s: RuleSource): string {
  return s.kind === "release" ? "declared in the release" : `policy of ${s.model}`;
}

/** Why `consumer`'s inputs do not accept `provider`'s outputs, one phrase per column; empty when they do. */
export function signatureProblems(provider: RuleVersion, consumer: RuleVersion): string[] {
  if (!provider.signature) return [`${provider.model} v${provider.version} was registered without a signature`];
  if (!consumer.signature) return [`${consumer.model} v${consumer.version} was registered without a signature`];
  if (!provider.signature.outputs.length) return [`${provider.model} v${provider.version}'s signature declares no outputs`];
  const inputs = new Map(consumer.signature.inputs.map((c) => [c.name, c]));
  const problems: string[] = [];
  for (const out of provider.signature.outputs) {
    const input = inputs.get(out.name);
    if (!input) problems.push(`${provider.model} v${provider.version}'s output ${out.name} (${out.type}) is not an input of ${consumer.model} v${consumer.version}`);
    else if (input.type !== out.type) problems.push(`${out.name} is ${out.type} from ${provider.model} but ${input.type} for ${consumer.model}`);
  }
  return problems;
}

function featureSet(v: RuleVersion): string | null {
  return v.featureSetName || v.featureSetVersion ? `${v.featureSetName ?? "(unnamed)"}@${v.featureSetVersion ?? "(no version)"}` : null;
}

/**
 * Checks every rule against what the release would leave in place. `served(model, stage)` is the version of `model`
 * at `stage` after the release: the member's version when the release moves it there, else the alias's current
 * holder (null when nothing holds it). A rule applies to each member of its dependent model (in its `stages`, and
 * for its `version` when it names one); a rule whose dependent is not a member is not applicable.
 */
export function checkRules(rules: readonly SourcedRule[], members: readonly Member[], served: (model: string, stage: string) => Served): RuleCheck[] {
  const out: RuleCheck[] = [];
  rules.forEach((rule, i) => {
    const path = rule.source.kind === "release" ? `rules.${i}` : `policies.${rule.source.model}.dependencies`;
    const base = { rule: describeRule(rule), source: describeSource(rule.source), path };
    const applicable = members.filter((m) => m.model === rule.model && (rule.version === undefined || rule.version === m.version) && (!rule.stages?.length || rule.stages.includes(m.stage)));
    if (!applicable.length) {
      const why = !members.some((m) => m.model === rule.model)
        ? `${rule.model} is not in this release.`
        : rule.version !== undefined && !members.some((m) => m.model === rule.model && m.version === rule.version)
          ? `The release promotes ${rule.model} v${members.find((m) => m.model === rule.model)!.version}, not v${rule.version}.`
          : `The release does not move ${rule.model} in ${rule.stages!.join(", ")}.`;
      out.push({ ...base, status: "not-applicable", message: why });
      return;
    }
    for (const m of applicable) {
      const dep = served(rule.requires, m.stage);
      const own = served(m.model, m.stage);
      const consumer = own && own !== "no-model" ? own.version : null;
      const problems: string[] = [];
      let found = "";
      if (dep === "no-model") problems.push(`there is no model named ${rule.requires}`);
      else if (!dep) problems.push(`${rule.requires} has no stage ${m.stage}`);
      else if (!dep.version) problems.push(`nothing holds ${rule.requires}@${dep.alias}`);
      else {
        const v = dep.version;
        found = `${rule.requires}@${dep.alias} would be v${v.version}`;
        if (rule.versions) {
          const range = parseRange(rule.versions);
          if (!range) problems.push(`"${rule.versions}" is not ${RANGE_HINT}`);
          else if (!satisfies(v.version, range)) problems.push(`${found}, outside ${rule.versions.trim()}`);
        }
        if (rule.signature && consumer) problems.push(...signatureProblems(v, consumer));
        if (rule.sameFeatureSet && consumer) {
          const a = featureSet(consumer);
          const b = featureSet(v);
          if (!a || !b) problems.push(`${!a ? `${consumer.model} v${consumer.version}` : `${v.model} v${v.version}`} records no feature set in its lineage`);
          else if (a !== b) problems.push(`${consumer.model} v${consumer.version} was trained on ${a} but ${v.model} v${v.version} on ${b}`);
        }
      }
      const subject = `${m.model} v${m.version} (${m.stage})`;
      out.push(
        problems.length
          ? { ...base, status: "fail", message: `${subject}: ${problems.join("; ")}.` }
          : { ...base, status: "pass", message: `${subject}: ${found}${rule.versions ? `, within ${rule.versions.trim()}` : ""}${rule.signature ? ", signatures match" : ""}${rule.sameFeatureSet ? ", same feature set" : ""}.` },
      );
    }
  });
  return out;
}

/** The failing checks as one message for an error or a status reason. */
export function describeFailures(checks: readonly RuleCheck[]): string {
  const failed = checks.filter((c) => c.status === "fail");
  return failed.map((c) => `${c.rule} (${c.source}): ${c.message}`).join(" ");
}
