// GET /api/v1/audit/verify
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { verifyAndRecord } from "@/lib/audit/verifications";

export const GET = withApi({ permission: "audit.read" }, async ({ actor }) => verifyAndRecord({ actor }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"]);
