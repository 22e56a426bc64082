// GET /api/v1/audit/verify
import { withApi } from "@/lib/api/with-api";
import { verifyAuditChain } from "@/lib/audit/verify";

export const GET = withApi({ permission: "audit.read" }, async () => verifyAuditChain());
