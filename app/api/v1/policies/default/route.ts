// GET, PUT /api/v1/policies/default
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { getDefaultPolicy, putDefaultPolicy } from "@/lib/policy/policies";
import { ZPolicyVersionQuery, ZPutPolicyInput } from "@/lib/policy/schemas";

export const GET = withApi({ permission: "registry.read", query: ZPolicyVersionQuery }, async ({ actor, query }) => getDefaultPolicy({ actor, version: query.version }));

export const PUT = withApi({ permission: "policies.manage", body: ZPutPolicyInput }, async ({ actor, body }) => putDefaultPolicy({ actor, input: body }));

export const { POST, PATCH, DELETE, OPTIONS } = unservedMethods(["GET", "PUT"]);
