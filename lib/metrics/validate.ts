import type { ZodType } from "zod";
import { AppError, type ErrorDetail } from "@/lib/api/errors";
import { ZMetricPoint, ZMetricRatio, ZMetricWindow, type TMetricPoint, type TMetricRatio, type TMetricWindow } from "./schemas";

/** Checking a batch's items one by one, so every bad item is named by its index. Pure. */

export type MetricKind = "point" | "window" | "ratio";
export type MetricItem = ({ kind: "point" } & TMetricPoint) | ({ kind: "window" } & TMetricWindow) | ({ kind: "ratio" } & TMetricRatio);
/** A problem with one item: `path` is "items.<index>.<field>" as in every other error's details. */
export type ItemProblem = { index: number; path: string; message: string };

/** At most this many problems are listed in an error; the message says how many items were bad in all. */
export const MAX_DETAILS = 100;

const SHAPES = "Each item is a point { version, metric, timestamp, value }, a window { version, metric, windowStart, windowEnd, count, sum, min, max, p50, p95, p99 } or a counter pair { version, metric, windowStart, windowEnd, numerator, denominator }, each with optional dimensions";
const WINDOW_FIELDS = ["count", "sum", "min", "max", "p50", "p95", "p99"];
const SCHEMAS: Record<MetricKind, ZodType> = { point: ZMetricPoint, window: ZMetricWindow, ratio: ZMetricRatio };

/** Which of the three shapes an item is meant to be, from its distinguishing fields; null when none. */
export function kindOf(item: unknown): MetricKind | null {
  if (typeof item !== "object" || item === null || Array.isArray(item)) return null;
  if ("numerator" in item || "denominator" in item) return "ratio";
  if ("timestamp" in item || "value" in item) return "point";
  if (WINDOW_FIELDS.some((f) => f in item)) return "window";
  return null;
}

/** The valid items (with their kind) and the problems of the others. */
export function validateItems(raw: readonly unknown[]): { items: MetricItem[]; problems: ItemProblem[] } {
  const items: MetricItem[] = [];
  const problems: ItemProblem[] = [];
  raw.forEach((item, index) => {
    const kind = kindOf(item);
    if (!kind) {
      const windowish = typeof item === "object" && item !== null && ("windowStart" in item || "windowEnd" in item);
      problems.push({ index, path: `items.${index}`, message: windowish ? "A window needs count, sum, min, max, p50, p95 and p99; a counter pair needs numerator and denominator" : SHAPES });
      return;
    }
    const parsed = SCHEMAS[kind].safeParse(item);
    if (parsed.success) items.push({ kind, ...(parsed.data as object) } as MetricItem);
    else for (const issue of parsed.error.issues) problems.push({ index, path: ["items", index, ...issue.path].map(String).join("."), message: issue.message });
  });
  return { items, problems };
}

/**
 * The error for a batch with bad items: nothing of it is stored. `status` 400 for items that are malformed,
 * 422 for well-formed items this model does not accept now (lib/metrics/accepted.ts).
 */
export function batchError(problems: readonly ItemProblem[], total: number, status: 400 | 422 = 400): AppError {
  const bad = new Set(problems.map((p) => p.index)).size;
  const details: ErrorDetail[] = problems.slice(0, MAX_DETAILS).map(({ path, message }) => ({ path, message }));
  if (problems.length > MAX_DETAILS) details.push({ path: "items", message: `…and ${problems.length - MAX_DETAILS} more problems not listed` });
  const first = problems.slice(0, 3).map((p) => `${p.path}: ${p.message}`).join("; ");
  const verb = status === 400 ? "are invalid" : "were refused";
  return new AppError(status, status === 400 ? "invalid_batch" : "items_refused", `${bad} of ${total} items ${verb}; nothing was ingested. ${first}${problems.length > 3 ? "; …" : ""}`, details);
}
