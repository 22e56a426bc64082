import { z } from "zod";
import { storable, STORABLE_MESSAGE } from "@/lib/text";

/** Live metrics as pipelines send them: points, pre-aggregated windows and counter pairs (docs/metrics.md). */
export const MAX_BATCH_ITEMS = 10_000;
/** A window or counter pair covers at most a day: longer ones could not be placed in a minute's rollup honestly. */
export const MAX_WINDOW_MS = 86_400_000;
export const MAX_DIMENSIONS = 8;
/** A full batch of windows with dimensions is ~3 MB of JSON; other routes keep the 1 MB limit. */
export const MAX_INGEST_BODY_BYTES = 10 * 1024 * 1024;

const ZVersion = z
  .number({ error: "version is the version number, e.g. 3" })
  .int("version is a whole number")
  .positive("version is a positive number")
  .max(2_147_483_647, "version is too large");

export const ZMetricName = z
  .string({ error: "metric is the metric's name, e.g. latency_ms" })
  .regex(/^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/, "A metric name starts with a letter and uses letters, digits, _ . : - (at most 100 characters)");

const ZTimestamp = (field: string) =>
  z.iso.datetime({ offset: true, error: `${field} is an ISO 8601 time with a time zone, e.g. 2026-11-22T10:15:00Z` });

// JSON cannot carry NaN or Infinity, and zod's number refuses them anyway: "finite" holds by construction. The bound
// keeps the per-minute sums finite too (PostgreSQL refuses a float overflow), far beyond any real metric or count.
export const MAX_METRIC_MAGNITUDE = 1e15;
const ZNumber = (field: string) =>
  z
    .number({ error: `${field} is a finite number` })
    .min(-MAX_METRIC_MAGNITUDE, `${field} must be at least -1e15`)
    .max(MAX_METRIC_MAGNITUDE, `${field} must be at most 1e15`);

const DIMENSION_NAME = "A dimension name starts with a letter and uses letters, digits, _ . - (at most 40 characters)";
export const ZDimensions = z
  .record(
    z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,39}$/, DIMENSION_NAME),
    z.string({ error: "A dimension value is a string" }).max(100, "A dimension value has at most 100 characters").refine(storable, STORABLE_MESSAGE),
    { error: (issue) => (issue.code === "invalid_type" ? 'dimensions is an object of names to strings, e.g. { "group": "A" }' : issue.code === "invalid_key" ? DIMENSION_NAME : undefined) },
  )
  .refine((d) => Object.keys(d).length <= MAX_DIMENSIONS, `At most ${MAX_DIMENSIONS} dimensions per item`);

/** Unknown fields are refused with the fields the shape does have, so a typo is found rather than dropped. */
const strict = <T extends z.ZodRawShape>(shape: T, what: string) =>
  z.strictObject(shape, {
    error: (issue) => (issue.code === "unrecognized_keys" ? `Unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}; ${what} has ${Object.keys(shape).join(", ")}` : undefined),
  });

/** windowEnd after windowStart, by at most a day; shared by windows and counter pairs. */
function checkWindow(w: { windowStart: string; windowEnd: string }, ctx: z.core.$RefinementCtx) {
  const span = Date.parse(w.windowEnd) - Date.parse(w.windowStart);
  if (!(span > 0)) ctx.addIssue({ code: "custom", path: ["windowEnd"], message: "windowEnd must be after windowStart" });
  else if (span > MAX_WINDOW_MS) ctx.addIssue({ code: "custom", path: ["windowEnd"], message: "A window covers at most 1 day; send shorter windows" });
}

export const ZMetricPoint = strict(
  {
    version: ZVersion,
    metric: ZMetricName,
    timestamp: ZTimestamp("timestamp"),
    value: ZNumber("value"),
    dimensions: ZDimensions.optional(),
  },
  "a point",
);

export const ZMetricWindow = strict(
  {
    version: ZVersion,
    metric: ZMetricName,
    windowStart: ZTimestamp("windowStart"),
    windowEnd: ZTimestamp("windowEnd"),
    count: z.number({ error: "count is the number of observations in the window" }).int("count is a whole number").min(1, "count is at least 1"),
    sum: ZNumber("sum"),
    min: ZNumber("min"),
    max: ZNumber("max"),
    p50: ZNumber("p50"),
    p95: ZNumber("p95"),
    p99: ZNumber("p99"),
    dimensions: ZDimensions.optional(),
  },
  "a window",
).superRefine((w, ctx) => {
  checkWindow(w, ctx);
  const order = [["min", w.min], ["p50", w.p50], ["p95", w.p95], ["p99", w.p99], ["max", w.max]] as const;
  for (let i = 1; i < order.length; i++) {
    if (order[i][1] < order[i - 1][1]) ctx.addIssue({ code: "custom", path: [order[i][0]], message: `${order[i][0]} (${order[i][1]}) is below ${order[i - 1][0]} (${order[i - 1][1]}); min ≤ p50 ≤ p95 ≤ p99 ≤ max` });
  }
  // The sum of `count` values each within [min, max]; a little slack for the sender's floating-point rounding.
  const [lo, hi] = [w.min * w.count, w.max * w.count];
  const slack = 1e-9 * Math.max(1, Math.abs(lo), Math.abs(hi));
  if (w.sum < lo - slack || w.sum > hi + slack) ctx.addIssue({ code: "custom", path: ["sum"], message: `sum (${w.sum}) is outside count × min … count × max (${lo} … ${hi})` });
});

export const ZMetricRatio = strict(
  {
    version: ZVersion,
    metric: ZMetricName,
    windowStart: ZTimestamp("windowStart"),
    windowEnd: ZTimestamp("windowEnd"),
    numerator: ZNumber("numerator").min(0, "numerator is at least 0"),
    denominator: ZNumber("denominator").positive("denominator is above 0"),
    dimensions: ZDimensions.optional(),
  },
  "a counter pair",
).superRefine(checkWindow);

/** One item: which of the three it is follows from its fields (lib/metrics/validate.ts picks the schema). */
export const ZMetricItem = z.union([ZMetricPoint, ZMetricWindow, ZMetricRatio]);
export const ZMetricBatch = z.strictObject({
  items: z.array(ZMetricItem).min(1, "Send at least one item").max(MAX_BATCH_ITEMS, `Send at most ${MAX_BATCH_ITEMS.toLocaleString("en")} items per batch`),
});

/** What the route parses up front: the envelope only; each item is checked on its own so every bad one is named. */
export const ZMetricBatchEnvelope = z.strictObject({
  items: z
    .array(z.unknown(), { error: "items is a list of points, windows and counter pairs" })
    .min(1, "Send at least one item")
    .max(MAX_BATCH_ITEMS, `Send at most ${MAX_BATCH_ITEMS.toLocaleString("en")} items per batch`),
});

export type TMetricPoint = z.infer<typeof ZMetricPoint>;
export type TMetricWindow = z.infer<typeof ZMetricWindow>;
export type TMetricRatio = z.infer<typeof ZMetricRatio>;
export type TMetricBatch = z.input<typeof ZMetricBatch>;

/** The Idempotency-Key header: 1 to 200 printable ASCII characters. */
export const ZIdempotencyKey = z.string().regex(/^[\x20-\x7E]{1,200}$/, "Idempotency-Key is 1 to 200 printable ASCII characters");
