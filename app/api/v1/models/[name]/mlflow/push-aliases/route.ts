// POST /api/v1/models/{name}/mlflow/push-aliases
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { ZReasonInput } from "@/lib/auth/schemas";
import { pushAliases } from "@/lib/mlflow/connector";

export const POST = withApi({ permission: "aliases.rollback", body: ZReasonInput }, async ({ actor, params, body }) => pushAliases({ actor, model: params.name, reason: body.reason }));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"]);
