import { z } from "zod";
import { ZPageQuery } from "@/lib/pagination";
import { STORABLE_MESSAGE, storable } from "@/lib/text";

/** Free text PostgreSQL can compare: no NUL bytes or broken Unicode. */
const text = (max: number) => z.string().trim().max(max).refine(storable, STORABLE_MESSAGE).optional();
const isoTime = (what: string) => z.iso.datetime({ offset: true, error: `${what} is an ISO 8601 time such as 2026-11-22T09:00:00Z` }).optional();

/** Filters of the audit log: the page, the API and the exports take the same ones. */
export const ZAuditFilters = z
  .object({
    model: text(128).describe("Events about this model: the model, its versions, reports, aliases, policy and promotion requests"),
    team: text(64).describe("Team slug"),
    actor: text(320).describe("Part of the actor's label (an email, a token name)"),
    action: text(100).describe('An action such as promotion.applied, or a prefix ending in "." such as promotion.'),
    from: isoTime("from"),
    to: isoTime("to"),
    q: text(200).describe("Text to find in the comments (reasons)"),
  })
  .refine((f) => !f.from || !f.to || Date.parse(f.from) <= Date.parse(f.to), { message: "from must not be after to", path: ["to"] });
export type TAuditFilters = z.infer<typeof ZAuditFilters>;

export const ZAuditQuery = z.intersection(ZAuditFilters, ZPageQuery);

export const ZAuditExportQuery = z.intersection(ZAuditFilters, z.object({ format: z.enum(["csv", "jsonl"], { error: "format is csv or jsonl" }).default("csv") }));
