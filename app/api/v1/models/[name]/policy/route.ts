// GET, PUT /api/v1/models/{name}/policy
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { getModelPolicy, putModelPolicy } from "@/lib/policy/policies";
import { ZPolicyVersionQuery, ZPutPolicyInput } from "@/lib/policy/schemas";

export const GET = withApi({ permission: "registry.read", query: ZPolicyVersionQuery }, async ({ actor, params, query }) =>
  getModelPolicy({ actor, model: params.name, version: query.version }),
);

export const PUT = withApi({ permission: "policies.manage", body: ZPutPolicyInput }, async ({ actor, params, body }) =>
  putModelPolicy({ actor, model: params.name, input: body }),
);

export const { POST, PATCH, DELETE, OPTIONS } = unservedMethods(["GET", "PUT"]);
