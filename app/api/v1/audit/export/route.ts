// GET /api/v1/audit/export
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { exportAuditEvents } from "@/lib/audit/export";
import { ZAuditExportQuery } from "@/lib/audit/schemas";

export const GET = withApi({ permission: "audit.export", query: ZAuditExportQuery }, async ({ actor, query }) => {
  const { stream, filename, contentType } = await exportAuditEvents({ actor, query });
  return new Response(stream, { headers: { "content-type": contentType, "content-disposition": `attachment; filename="${filename}"`, "cache-control": "no-store" } });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"]);
