import { z } from "zod";
import { storable, STORABLE_MESSAGE } from "@/lib/text";

/**
 * Evaluation report kinds and their payloads. The OpenAPI document publishes these schemas; gates (issue 5) read
 * them. Reports are append-only: a newer report of a kind supersedes older ones in views.
 */
const Name = z.string().trim().min(1).max(200).refine(storable, STORABLE_MESSAGE);
const Count = z.number().int().nonnegative();
const Rate = z.number().min(0).max(1);
const Url = z.url({ protocol: /^https?$/ }).max(2_000);
const Samples = z.array(z.number().finite()).min(1).max(100_000);

export const ZOfflineMetrics = z
  .object({
    dataset: z.object({ name: Name, uri: z.string().max(2_000).optional(), hash: z.string().max(200).optional() }),
    metrics: z.record(Name, z.number().finite()).refine((m) => Object.keys(m).length > 0, "Give at least one metric"),
    direction: z.record(Name, z.enum(["higher", "lower"])).optional().describe("Which way is better per metric; defaults by name (loss, error, latency, rmse, mae: lower)"),
  })
  .describe("offline-metrics: named metrics on a dataset");

export const ZTestsReport = z
  .object({
    suites: z
      .array(
        z.object({
          name: Name,
          kind: z.enum(["unit", "integration", "contract"]),
          passed: Count,
          failed: Count,
          skipped: Count.default(0),
          failures: z.array(z.object({ test: Name, message: z.string().max(5_000) })).max(500).default([]),
        }),
      )
      .min(1),
  })
  .describe("tests: unit, integration and contract suite results");

export const ZDataValidation = z
  .object({
    dataset: Name.optional(),
    checks: z.array(z.object({ name: Name, passed: z.boolean(), details: z.string().max(5_000).optional() })).min(1).max(1_000),
  })
  .describe("data-validation: checks with pass/fail");

const ZHistogram = z
  .object({ edges: z.array(z.number().finite()).min(2), reference: z.array(Count), current: z.array(Count) })
  .refine((h) => h.reference.length === h.edges.length - 1 && h.current.length === h.edges.length - 1, "A histogram has one count fewer than it has edges");

export const ZDriftReport = z
  .object({
    features: z
      .array(z.object({ feature: Name, reference: Samples.optional(), current: Samples.optional(), histogram: ZHistogram.optional() }))
      .min(1)
      .max(1_000)
      .refine((fs) => fs.every((f) => (f.reference && f.current) || f.histogram), "Each feature needs reference and current samples, or a histogram"),
  })
  .describe("drift: per-feature reference and current samples or histograms");

export const ZFairnessReport = z
  .object({
    attribute: Name.describe("The protected attribute, e.g. age_band"),
    groups: z
      .array(z.object({ group: Name, count: Count, positiveRate: Rate, truePositiveRate: Rate.optional(), falsePositiveRate: Rate.optional() }))
      .min(2, "Give at least two groups"),
  })
  .describe("fairness: per-group counts and rates");

export const ZLatencyReport = z
  .object({
    percentilesMs: z.object({ p50: z.number().nonnegative(), p95: z.number().nonnegative(), p99: z.number().nonnegative() }).refine((p) => p.p50 <= p.p95 && p.p95 <= p.p99, "Percentiles must not decrease (p50 ≤ p95 ≤ p99)"),
    throughputRps: z.number().nonnegative().optional(),
    concurrency: z.number().int().positive().optional(),
    durationSeconds: z.number().positive().optional(),
  })
  .describe("latency: load-test percentiles");

export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export const ZSecurityScan = z
  .object({
    scanner: Name,
    findings: z.array(z.object({ id: Name, severity: z.enum(SEVERITIES), title: z.string().max(1_000), package: z.string().max(300).optional() })).max(10_000),
  })
  .describe("security-scan: findings with severities");

export const ZObservability = z
  .object({ links: z.array(z.object({ kind: z.enum(["dashboard", "alert", "logs"]), title: Name, url: Url })).min(1).max(100) })
  .describe("observability: dashboard, alert and log links");

/** JSON nested at most `max` deep, checked without recursion so hostile nesting cannot exhaust the stack. */
function shallowJson(value: unknown, max = 32): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (depth > max) return false;
    if (v === null || typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v))) continue;
    if (Array.isArray(v)) v.forEach((x) => stack.push([x, depth + 1]));
    else if (typeof v === "object") Object.values(v as object).forEach((x) => stack.push([x, depth + 1]));
    else return false;
  }
  return true;
}

export const ZCustomReport = z
  .object({ title: Name, data: z.unknown().refine((d) => d !== undefined && shallowJson(d), "data must be JSON nested at most 32 levels deep") })
  .describe("custom: any JSON under a title");

export const ZReportInput = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("offline-metrics"), payload: ZOfflineMetrics }),
    z.object({ kind: z.literal("tests"), payload: ZTestsReport }),
    z.object({ kind: z.literal("data-validation"), payload: ZDataValidation }),
    z.object({ kind: z.literal("drift"), payload: ZDriftReport }),
    z.object({ kind: z.literal("fairness"), payload: ZFairnessReport }),
    z.object({ kind: z.literal("latency"), payload: ZLatencyReport }),
    z.object({ kind: z.literal("security-scan"), payload: ZSecurityScan }),
    z.object({ kind: z.literal("observability"), payload: ZObservability }),
    z.object({ kind: z.literal("custom"), payload: ZCustomReport }),
  ],
  { error: "kind is one of offline-metrics, tests, data-validation, drift, fairness, latency, security-scan, observability, custom" },
);
export type TReportInput = z.input<typeof ZReportInput>;
export type ReportKind = z.infer<typeof ZReportInput>["kind"];
export const ZReportsQuery = z.object({ kind: z.enum(["offline-metrics", "tests", "data-validation", "drift", "fairness", "latency", "security-scan", "observability", "custom"]).optional() });

export const REPORT_KINDS: ReportKind[] = ["offline-metrics", "tests", "data-validation", "drift", "fairness", "latency", "security-scan", "observability", "custom"];
