// GET, PUT, DELETE /api/v1/models/{name}/mlflow
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { ZReasonInput } from "@/lib/auth/schemas";
import { getConnector, removeConnector, saveConnector } from "@/lib/mlflow/connector";
import { ZSaveConnectorInput } from "@/lib/mlflow/connector-schemas";

export const GET = withApi({ permission: "registry.read" }, async ({ actor, params }) => ({ connector: await getConnector({ actor, model: params.name }) }));

export const PUT = withApi({ permission: "mlflow.manage", body: ZSaveConnectorInput }, async ({ actor, params, body }) => saveConnector({ actor, model: params.name, input: body }));

export const DELETE = withApi({ permission: "mlflow.manage", query: ZReasonInput }, async ({ actor, params, query }) => removeConnector({ actor, model: params.name, reason: query.reason }));

export const { POST, PATCH, OPTIONS } = unservedMethods(["GET", "PUT", "DELETE"]);
