// GET, POST /api/v1/models/{name}/versions/{version}/reports
import { z } from "zod";
import { Reply, withApi } from "@/lib/api/with-api";
import { REPORT_KINDS, ZReportInput } from "@/lib/registry/report-schemas";
import { addReport, listReports } from "@/lib/registry/reports";

const ZQuery = z.object({ kind: z.enum(REPORT_KINDS as [string, ...string[]]).optional() });

export const GET = withApi({ permission: "registry.read", query: ZQuery }, async ({ actor, params, query }) => ({
  items: await listReports({ actor, model: params.name, version: params.version, kind: query.kind }),
}));

export const POST = withApi({ permission: "registry.write", body: ZReportInput }, async ({ actor, params, body }) =>
  new Reply(await addReport({ actor, model: params.name, version: params.version, input: body }), 201),
);
