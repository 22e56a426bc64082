// POST /api/v1/models/{name}/aliases/{alias}/rollback
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { rollbackAlias } from "@/lib/promotions/rollback";
import { ZRollbackInput } from "@/lib/promotions/schemas";

export const POST = withApi({ permission: "aliases.rollback", body: ZRollbackInput }, async ({ actor, params, body }) => rollbackAlias({ actor, model: params.name, alias: params.alias, input: body }));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"]);
