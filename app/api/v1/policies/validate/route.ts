// POST /api/v1/policies/validate
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { validatePolicy } from "@/lib/policy/policies";
import { ZValidatePolicyInput } from "@/lib/policy/schemas";

/** 200 { valid: true }, or 422 with every problem's path, line, column and message. Saves nothing. */
export const POST = withApi({ permission: "registry.read", body: ZValidatePolicyInput }, async ({ actor, body }) => validatePolicy({ actor, input: body }));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"]);
