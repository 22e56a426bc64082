// GET /api/v1/audit
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { listAuditEvents } from "@/lib/audit/query";
import { ZAuditQuery } from "@/lib/audit/schemas";

export const GET = withApi({ permission: "audit.read", query: ZAuditQuery }, async ({ actor, query }) => listAuditEvents({ actor, query }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"]);
