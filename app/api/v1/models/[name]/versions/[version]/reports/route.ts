// GET, POST /api/v1/models/{name}/versions/{version}/reports
import { unservedMethods } from "@/lib/api/methods";
import { Reply, withApi } from "@/lib/api/with-api";
import { ZReportInput, ZReportsQuery } from "@/lib/registry/report-schemas";
import { addReport, listReports } from "@/lib/registry/reports";

export const GET = withApi({ permission: "registry.read", query: ZReportsQuery }, async ({ actor, params, query }) => ({
  items: await listReports({ actor, model: params.name, version: params.version, kind: query.kind }),
}));

export const POST = withApi({ permission: "registry.write", body: ZReportInput }, async ({ actor, params, body }) =>
  new Reply(await addReport({ actor, model: params.name, version: params.version, input: body }), 201),
);

export const { PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET", "POST"]);
