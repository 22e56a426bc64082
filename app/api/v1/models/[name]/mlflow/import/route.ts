// POST /api/v1/models/{name}/mlflow/import
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { importNow } from "@/lib/mlflow/connector";

export const POST = withApi({ permission: "registry.read" }, async ({ actor, params }) => importNow({ actor, model: params.name }));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"]);
