import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";
import { ZAliasName } from "@/lib/registry/schemas";
import { REPORT_KINDS, SEVERITIES } from "@/lib/registry/report-schemas";
import { RANGE_HINT, parseRange } from "./range";
import { DURATION_HINT, durationSeconds } from "./duration";

/**
 * The promotion policy document, as YAML admins and CI write it. docs/policy.md documents every key with examples;
 * keep the two in step. Objects are strict: an unknown key is an error naming the valid ones.
 */

const strict = <T extends z.core.$ZodLooseShape>(shape: T) =>
  z.strictObject(shape, { error: (iss) => (iss.code === "unrecognized_keys" ? `Unknown key${iss.keys.length > 1 ? "s" : ""} ${iss.keys.map((k) => `"${k}"`).join(", ")}; valid keys: ${Object.keys(shape).join(", ")}` : undefined) });

const Name = z.string().trim().min(1, "Must not be empty").max(200, "Use at most 200 characters");
const Text = z.string().trim().min(1, "Must not be empty").max(1_000, "Use at most 1000 characters");
export const ZDuration = z.string({ error: `Expected ${DURATION_HINT}` }).refine((s) => durationSeconds(s) !== null, `Expected ${DURATION_HINT}`);
const Ratio = z.number({ error: "Expected a number between 0 and 1" }).min(0, "Must be at least 0").max(1, "Must be at most 1");
const Percent = z.number({ error: "Expected a percentage (a number)" }).min(0, "Must be at least 0").max(1_000, "Must be at most 1000");
const NonNegative = z.number({ error: "Expected a number" }).min(0, "Must be at least 0");
const Finite = z.number({ error: "Expected a number" }).refine(Number.isFinite, "Expected a finite number");
const Direction = z.enum(["higher", "lower"], { error: "direction is higher or lower (which way is better)" });
/** The roles a policy may ask to decide: those holding "promotions.decide" (docs/permissions.md). */
export const DECIDING_ROLES = ["ml-lead", "compliance-officer", "admin"] as const satisfies readonly (typeof ROLES)[number][];
const Role = z.enum(DECIDING_ROLES, { error: `role is one of ${DECIDING_ROLES.join(", ")} (the roles that may decide on promotions)` });
export const GATE_REPORT_KINDS = ["offline-metrics", "latency"] as const;
const MetricReport = z.enum(GATE_REPORT_KINDS, { error: "report is offline-metrics or latency" });
export const ENVIRONMENT_FIELDS = ["imageDigest", "lockfileHash", "runtime", "accelerator", "resourceClass"] as const;
const ZEnvironment = strict({ imageDigest: Name.optional(), lockfileHash: Name.optional(), runtime: Name.optional(), accelerator: Name.optional(), resourceClass: Name.optional() });

const common = {
  id: z.string({ error: "Give the gate an id" }).regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "id uses lower-case letters, digits and '-' (at most 63)"),
  onFail: Text.optional().describe("The sentence shown when the gate fails, after Gatehouse's own explanation"),
  mandatory: z.boolean({ error: "mandatory is true or false" }).optional().describe("Organisation default only: model policies may tighten, never loosen or remove"),
  enabled: z.boolean({ error: "enabled is true or false" }).optional().describe("false switches off an inherited, non-mandatory gate"),
};

const ZMetricGate = strict({ ...common, type: z.literal("metric"), report: MetricReport.default("offline-metrics"), metric: Name, min: Finite.optional(), max: Finite.optional(), dataset: Name.optional() }).refine(
  (g) => g.min !== undefined || g.max !== undefined,
  { message: "Give min, max or both", path: ["min"] },
);
const ZNoRegressionGate = strict({
  ...common,
  type: z.literal("no-regression"),
  report: MetricReport.default("offline-metrics"),
  metric: Name,
  direction: Direction.optional(),
  tolerance: strict({ absolute: NonNegative.optional(), relative: Percent.optional().describe("percent of the holder's value") })
    .refine((t) => (t.absolute === undefined) !== (t.relative === undefined), "Give exactly one of absolute or relative")
    .optional(),
});
const ZTestsGate = strict({ ...common, type: z.literal("tests-passed"), suites: z.array(z.enum(["unit", "integration", "contract"], { error: "suites are unit, integration or contract" })).optional(), minTests: z.number().int().min(0).optional() });
const ZSignatureGate = strict({ ...common, type: z.literal("signature-compatible") });
const ZDataValidationGate = strict({ ...common, type: z.literal("data-validation"), checks: z.array(Name).optional().describe("Checks that must be present (and pass)") });
const ZDriftThresholds = { psiMax: NonNegative.optional(), ksMaxStatistic: Ratio.optional(), ksMinPvalue: Ratio.optional() };
const ZDriftGate = strict({
  ...common,
  type: z.literal("drift"),
  ...ZDriftThresholds,
  bins: z.number().int().min(2).max(100).optional(),
  critical: z.union([z.literal("all"), z.array(Name)], { error: 'critical is "all" or a list of feature names' }).optional(),
  features: z.record(Name, strict({ ...ZDriftThresholds, critical: z.boolean().optional() })).optional(),
}).refine((g) => g.psiMax !== undefined || g.ksMaxStatistic !== undefined || g.ksMinPvalue !== undefined, { message: "Give psiMax, ksMaxStatistic or ksMinPvalue", path: ["psiMax"] });
const ZFairnessGate = strict({ ...common, type: z.literal("fairness"), attribute: Name.optional(), minParityRatio: Ratio.optional(), minEqualizedOddsRatio: Ratio.optional() });
const ZSecurityGate = strict({ ...common, type: z.literal("security-scan"), failOn: z.enum(SEVERITIES, { error: `failOn is one of ${SEVERITIES.join(", ")}` }).default("high") });
const ZObservabilityGate = strict({ ...common, type: z.literal("observability-ready"), require: z.array(z.enum(["dashboard", "alert", "logs"], { error: "require lists dashboard, alert, logs" })).min(1).optional() });
const ZEnvironmentGate = strict({
  ...common,
  type: z.literal("environment-parity"),
  against: z.enum(["stage", "holder"], { error: "against is stage or holder" }).optional().describe("Default: the stage's declared environment when it has one, else the current holder's"),
  fields: z.array(z.enum(ENVIRONMENT_FIELDS, { error: `fields are ${ENVIRONMENT_FIELDS.join(", ")}` })).min(1).optional(),
});
const ZLineageGate = strict({ ...common, type: z.literal("lineage") });
const ZRollbackGate = strict({ ...common, type: z.literal("rollback-ready") });
const ZStageOrderGate = strict({
  ...common,
  type: z.literal("stage-order"),
  requires: z.enum(["held-before", "holds-now"], { error: "requires is held-before or holds-now" }).default("held-before"),
  stage: Name.optional().describe("Default: the stage before this one"),
  exceptions: z.array(strict({ versions: z.array(z.number().int().positive()).min(1), reason: Text })).optional(),
});
const ZReportFreshGate = strict({ ...common, type: z.literal("report-fresh"), report: z.enum(REPORT_KINDS as [string, ...string[]], { error: `report is one of ${REPORT_KINDS.join(", ")}` }), maxAge: ZDuration });

export const GATE_TYPES = [
  "metric",
  "no-regression",
  "tests-passed",
  "signature-compatible",
  "data-validation",
  "drift",
  "fairness",
  "security-scan",
  "observability-ready",
  "environment-parity",
  "lineage",
  "rollback-ready",
  "stage-order",
  "report-fresh",
] as const;
export type GateType = (typeof GATE_TYPES)[number];

export const ZGate = z.discriminatedUnion(
  "type",
  [ZMetricGate, ZNoRegressionGate, ZTestsGate, ZSignatureGate, ZDataValidationGate, ZDriftGate, ZFairnessGate, ZSecurityGate, ZObservabilityGate, ZEnvironmentGate, ZLineageGate, ZRollbackGate, ZStageOrderGate, ZReportFreshGate],
  { error: (iss) => (iss.input && typeof iss.input === "object" && "type" in iss.input ? `Unknown gate type "${String((iss.input as { type: unknown }).type)}"; valid types: ${GATE_TYPES.join(", ")}` : `Give the gate a type: ${GATE_TYPES.join(", ")}`) },
);
export type Gate = z.infer<typeof ZGate>;
export type GateOf<T extends GateType> = Extract<Gate, { type: T }>;

const ZQuorumEntry = strict({ role: Role, count: z.number().int().min(1).max(10).default(1), when: strict({ riskTier: z.enum(["standard", "regulated"]) }).optional() });
const ZApprovals = strict({
  quorum: z.array(ZQuorumEntry).max(10).default([]).describe("Empty: promote automatically once gates pass"),
  electronicSignature: z.enum(["always", "regulated", "never"], { error: "electronicSignature is always, regulated or never" }).default("regulated"),
  ttl: ZDuration.default("7d"),
  remindAfter: ZDuration.optional(),
  escalateAfter: ZDuration.optional(),
});

const Bound = strict({
  relative: Percent.optional().describe("worse than the champion by at most this percent"),
  absolute: NonNegative.optional().describe("worse than the champion by at most this amount"),
  min: Finite.optional(),
  max: Finite.optional(),
}).refine((b) => [b.relative, b.absolute, b.min, b.max].filter((v) => v !== undefined).length === 1, "Give exactly one of relative, absolute, min, max");
const ZCriterion = strict({
  metric: Name,
  kind: z.enum(["mean", "ratio", "percentile"], { error: "kind is mean, ratio or percentile" }).default("mean"),
  quantile: z.enum(["p50", "p95", "p99"], { error: "quantile is p50, p95 or p99" }).optional().describe("For percentile metrics sent as windows: which percentile (default p95)"),
  direction: Direction.optional(),
  groupBy: Name.optional().describe("A dimension such as group: judge live fairness, the lowest group's value over the highest's (parity ratio)"),
  critical: z.boolean().default(false),
  advance: Bound.optional(),
  rollback: Bound.optional(),
})
  .refine((c) => c.advance || c.rollback, { message: "Give advance, rollback or both", path: ["advance"] })
  .refine((c) => !c.groupBy || [c.advance, c.rollback].every((b) => !b || b.min !== undefined || b.max !== undefined), {
    message: "A groupBy criterion judges the parity ratio against a fixed bound: use min or max (e.g. { min: 0.8 })",
    path: ["groupBy"],
  });
export const ROLLOUT_STRATEGIES = ["direct", "shadow", "canary", "blue-green", "shadow-then-canary"] as const;
const ZRollout = strict({
  strategy: z.enum(ROLLOUT_STRATEGIES, { error: `strategy is one of ${ROLLOUT_STRATEGIES.join(", ")}` }),
  shadow: strict({ minDuration: ZDuration.default("24h"), stableDays: z.number().int().min(0).max(90).default(1) }).optional(),
  canary: strict({ steps: z.array(strict({ percent: z.number().min(1).max(100), hold: ZDuration })).min(1).max(20) })
    .refine((c) => c.steps.every((s, i) => i === 0 || s.percent > c.steps[i - 1].percent), "Steps must increase")
    .refine((c) => c.steps.at(-1)?.percent === 100, "The last step must reach 100 percent")
    .optional(),
  blueGreen: strict({ bake: ZDuration }).optional(),
  checkpoints: z.array(strict({ after: z.enum(["shadow", "canary"], { error: "after is shadow or canary" }), step: z.number().int().min(1).optional(), role: Role, count: z.number().int().min(1).default(1) })).optional(),
  criteria: z.array(ZCriterion).max(50).default([]),
  verdict: strict({ pass: z.number().min(0).max(100).default(95), marginal: z.number().min(0).max(100).default(75) }).refine((v) => v.marginal <= v.pass, "marginal must not exceed pass").optional(),
  minSamples: z.number().int().min(2).max(1_000).optional().describe("Time buckets each version needs before a metric is judged (default 10)"),
  watchWindow: ZDuration.optional(),
  lateLabels: ZDuration.optional(),
});

const Day = z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"], { error: "days are mon, tue, wed, thu, fri, sat, sun" });
const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Expected a time such as 09:00");
const ZFreezeWindow = z.union(
  [
    strict({ name: Name, start: z.iso.datetime({ offset: true, error: "start is an ISO date-time such as 2026-12-20T00:00:00Z" }), end: z.iso.datetime({ offset: true, error: "end is an ISO date-time" }) }).refine((w) => Date.parse(w.end) > Date.parse(w.start), { message: "end must be after start", path: ["end"] }),
    strict({ name: Name, weekly: strict({ days: z.array(Day).min(1), from: Clock, to: Clock }), timezone: z.string().refine(validTimeZone, "Unknown time zone").default("UTC") }),
  ],
  { error: "A freeze window has name and either start and end, or weekly { days, from, to }" },
);
export type FreezeWindow = z.infer<typeof ZFreezeWindow>;

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const ZStage = strict({
  alias: ZAliasName.optional().describe("Default: staging for staging, champion for production, else the stage's name"),
  environment: ZEnvironment.optional(),
  gates: z.array(ZGate).max(100).optional(),
  approvals: ZApprovals.optional(),
  rollout: ZRollout.optional(),
});

const ZDependency = strict({
  requires: Name.describe("The model this one needs, e.g. encoder"),
  versions: z.string({ error: RANGE_HINT }).max(100).refine((r) => parseRange(r) !== null, `versions is ${RANGE_HINT}`).optional(),
  signature: z.boolean({ error: "signature is true or false" }).optional().describe("This model's inputs accept every output of the required model (same names and types)"),
  sameFeatureSet: z.boolean({ error: "sameFeatureSet is true or false" }).optional().describe("Both were trained on the same feature set (name and version)"),
  stages: z.array(Name).min(1).max(20).optional().describe("Only in these stages (default: every stage)"),
}).refine((d) => d.versions !== undefined || d.signature || d.sameFeatureSet, { message: "Give versions, signature: true or sameFeatureSet: true (what the dependency needs)", path: ["versions"] });
export type Dependency = z.infer<typeof ZDependency>;

export const ZPolicyDocument = strict({
  description: Text.optional(),
  stages: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, "Stage names use lower-case letters, digits and '-'"), ZStage, { error: "stages maps stage names to their settings" }).optional(),
  freeze: z.array(ZFreezeWindow).max(100).optional().describe("Windows in which production promotions are refused except through the emergency path"),
  protectedAliases: z.array(ZAliasName).max(50).optional(),
  dependencies: z.array(ZDependency).max(50).optional().describe("Model policies only: the models this one needs at the same stage, checked for releases and requests"),
});
export type PolicyDocument = z.infer<typeof ZPolicyDocument>;
export type Approvals = z.infer<typeof ZApprovals>;
export type Rollout = z.infer<typeof ZRollout>;
export type Environment = z.infer<typeof ZEnvironment>;

/** Stages every model has, in order, unless the organisation default declares others. */
export const DEFAULT_STAGE_ALIASES: Record<string, string> = { staging: "staging", production: "champion" };
