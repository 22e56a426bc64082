import { z } from "zod";

/** The query of a rollout's chart data (GET /api/v1/rollouts/{id}/series). */

export const SERIES_RANGES = ["hour", "day", "all"] as const;
export type SeriesRange = (typeof SERIES_RANGES)[number];

export const ZRolloutSeriesQuery = z.object({
  metric: z.string().min(1).max(200).optional().describe("A metric's name; without it, the metrics there are to chart"),
  range: z.enum(SERIES_RANGES, { error: "range is hour, day or all" }).default("all").describe("The last hour, the last day, or the whole rollout (from a day before it started)"),
  dims: z.string().max(2_000).optional().describe('One group of a metric sent with dimensions, as JSON: {"group":"A"} (listed in groups)'),
});
export type TRolloutSeriesQuery = z.input<typeof ZRolloutSeriesQuery>;
