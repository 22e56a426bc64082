// GET /api/v1/audit/verify
import { withApi } from "@/lib/api/with-api";
import { verifyAndRecord } from "@/lib/audit/verifications";

export const GET = withApi({ permission: "audit.read" }, async ({ actor }) => verifyAndRecord({ actor }));
