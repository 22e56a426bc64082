import { z } from "zod";
import { ZPageQuery } from "@/lib/pagination";

/** Filters of the audit log: the page, the API and the exports take the same ones. */
const isoTime = (what: string) => z.iso.datetime({ offset: true, error: `${what} is an ISO 8601 time such as 2026-11-22T09:00:00Z` }).optional();

export const ZAuditFilters = z
  .object({
    model: z.string().trim().max(128).optional().describe("Events about this model: the model, its versions, reports, aliases, policy and promotion requests"),
    team: z.string().trim().max(64).optional().describe("Team slug"),
    actor: z.string().trim().max(320).optional().describe("Part of the actor's label (an email, a token name)"),
    action: z.string().trim().max(100).optional().describe('An action such as promotion.applied, or a prefix ending in "." such as promotion.'),
    from: isoTime("from"),
    to: isoTime("to"),
    q: z.string().trim().max(200).optional().describe("Text to find in the comments (reasons)"),
  })
  .refine((f) => !f.from || !f.to || Date.parse(f.from) <= Date.parse(f.to), { message: "from must not be after to", path: ["to"] });
export type TAuditFilters = z.infer<typeof ZAuditFilters>;

export const ZAuditQuery = z.intersection(ZAuditFilters, ZPageQuery);

export const ZAuditExportQuery = z.intersection(ZAuditFilters, z.object({ format: z.enum(["csv", "jsonl"], { error: "format is csv or jsonl" }).default("csv") }));
