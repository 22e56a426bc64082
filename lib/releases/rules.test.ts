import { describe, expect, it } from "vitest";
import { checkRules, describeRule, parseRange, satisfies, signatureProblems, type Member, type RuleVersion, type Served, type SourcedRule } from "./rules";

describe("version ranges", () => {
  it.each([
    [">=7", 7, true],
    [">=7", 6, false],
    [">7", 7, false],
    ["<10", 9, true],
    ["<=9", 10, false],
    [">=7 <10", 9, true],
    [">=7 <10", 10, false],
    [">=7, <10", 7, true],
    ["7", 7, true],
    ["v7", 8, false],
    ["=7", 7, true],
    ["==7", 7, true],
    ["!=8", 8, false],
    ["!=8", 9, true],
  ])("%s with v%i: %s", (range, version, expected) => {
    const parsed = parseRange(range);
    expect(parsed).not.toBeNull();
    expect(satisfies(version, parsed!)).toBe(expected);
  });

  it.each(["", " ", ">=", "~7", "^7", "7.1", ">= 7", "latest", "1 2 3 4 5 6 7 8 9", "-1"])("%j is not a range", (range) => {
    expect(parseRange(range)).toBeNull();
  });
});

const col = (name: string, type: string) => ({ name, type });
const ver = (model: string, version: number, over: Partial<RuleVersion> = {}): RuleVersion => ({ model, version, signature: null, featureSetName: "clicks", featureSetVersion: "3", ...over });
const encoder = (version: number, over: Partial<RuleVersion> = {}) => ver("encoder", version, { signature: { inputs: [col("text", "string")], outputs: [col("embedding", "tensor")] }, ...over });
const ranker = (version: number, over: Partial<RuleVersion> = {}) => ver("ranker", version, { signature: { inputs: [col("embedding", "tensor"), col("user_id", "long")], outputs: [col("score", "double")] }, ...over });

describe("signatures", () => {
  it.each([
    ["every output is an input of the same type", encoder(7), ranker(12), []],
    ["an output the consumer does not read", encoder(7, { signature: { inputs: [], outputs: [col("embedding", "tensor"), col("norm", "double")] } }), ranker(12), ["encoder v7's output norm (double) is not an input of ranker v12"]],
    ["a type that differs", encoder(7, { signature: { inputs: [], outputs: [col("embedding", "string")] } }), ranker(12), ["embedding is string from encoder but tensor for ranker"]],
    ["no provider signature", encoder(7, { signature: null }), ranker(12), ["encoder v7 was registered without a signature"]],
    ["no consumer signature", encoder(7), ranker(12, { signature: null }), ["ranker v12 was registered without a signature"]],
    ["a provider with no outputs", encoder(7, { signature: { inputs: [], outputs: [] } }), ranker(12), ["encoder v7's signature declares no outputs"]],
  ])("%s", (_name, provider, consumer, expected) => {
    expect(signatureProblems(provider, consumer)).toEqual(expected);
  });
});

describe("checking rules against what a release leaves in place", () => {
  const release = (r: Omit<SourcedRule, "source">): SourcedRule => ({ ...r, source: { kind: "release" } });
  const members: Member[] = [
    { model: "ranker", version: 12, stage: "production", alias: "champion" },
    { model: "encoder", version: 7, stage: "production", alias: "champion" },
  ];
  const world: Record<string, Served> = {
    "ranker/production": { version: ranker(12), alias: "champion" },
    "encoder/production": { version: encoder(7), alias: "champion" },
    "tokenizer/production": { version: ver("tokenizer", 3, { featureSetVersion: "2" }), alias: "champion" },
    "vocab/production": { version: null, alias: "champion" },
    "ghost/production": null,
    "typo/production": "no-model",
  };
  const served = (model: string, stage: string): Served => world[`${model}/${stage}`] ?? null;

  it.each([
    ["a satisfied range", release({ model: "ranker", requires: "encoder", versions: ">=7" }), "pass", "ranker v12 (production): encoder@champion would be v7, within >=7."],
    ["a range the release does not reach", release({ model: "ranker", requires: "encoder", versions: ">=8" }), "fail", "ranker v12 (production): encoder@champion would be v7, outside >=8."],
    ["for the named version", release({ model: "ranker", version: 12, requires: "encoder", versions: "7" }), "pass", "ranker v12 (production): encoder@champion would be v7, within 7."],
    ["for another version", release({ model: "ranker", version: 11, requires: "encoder", versions: ">=9" }), "not-applicable", "The release promotes ranker v12, not v11."],
    ["a dependent not in the release", release({ model: "search", requires: "encoder", versions: ">=7" }), "not-applicable", "search is not in this release."],
    ["a stage the release does not move", release({ model: "ranker", requires: "encoder", versions: ">=7", stages: ["staging"] }), "not-applicable", "The release does not move ranker in staging."],
    ["matching signatures", release({ model: "ranker", requires: "encoder", signature: true }), "pass", "ranker v12 (production): encoder@champion would be v7, signatures match."],
    ["the same feature set", release({ model: "ranker", requires: "encoder", sameFeatureSet: true }), "pass", "ranker v12 (production): encoder@champion would be v7, same feature set."],
    ["another feature set, outside the release", release({ model: "ranker", requires: "tokenizer", sameFeatureSet: true }), "fail", "ranker v12 (production): ranker v12 was trained on clicks@3 but tokenizer v3 on clicks@2."],
    ["nothing holds the required alias", release({ model: "ranker", requires: "vocab", versions: ">=1" }), "fail", "ranker v12 (production): nothing holds vocab@champion."],
    ["a model without the stage", release({ model: "ranker", requires: "ghost", versions: ">=1" }), "fail", "ranker v12 (production): ghost has no stage production."],
    ["a model that does not exist", release({ model: "ranker", requires: "typo", versions: ">=1" }), "fail", "ranker v12 (production): there is no model named typo."],
  ])("%s", (_name, rule, status, message) => {
    const [check] = checkRules([rule], members, served);
    expect(check).toMatchObject({ status, message, rule: describeRule(rule), path: "rules.0", source: "declared in the release" });
  });

  it("names a policy's rule by its model, and reports every failing part", () => {
    const rule: SourcedRule = { model: "ranker", requires: "encoder", versions: ">=8", signature: true, sameFeatureSet: true, source: { kind: "policy", model: "ranker" } };
    const noFeatures: Record<string, Served> = { ...world, "encoder/production": { version: encoder(7, { featureSetName: null, featureSetVersion: null, signature: { inputs: [], outputs: [col("embedding", "float")] } }), alias: "champion" } };
    const [check] = checkRules([rule], members, (m, s) => noFeatures[`${m}/${s}`] ?? null);
    expect(check).toMatchObject({ status: "fail", source: "policy of ranker", path: "policies.ranker.dependencies" });
    expect(check.message).toBe("ranker v12 (production): encoder@champion would be v7, outside >=8; embedding is float from encoder but tensor for ranker; encoder v7 records no feature set in its lineage.");
    expect(check.rule).toBe("ranker requires encoder >=8 with a matching signature and the same feature set");
  });
});
