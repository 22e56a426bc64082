// GET, POST, DELETE /api/2.0/mlflow/registered-models/alias
import { unservedMethods } from "@/lib/api/methods";
import { deleteRegisteredModelAlias, getModelVersionByAlias, setRegisteredModelAlias } from "@/lib/mlflow/aliases";
import { mlflowRoute } from "@/lib/mlflow/route";
import { ZAlias, ZSetAlias } from "@/lib/mlflow/schemas";

export const GET = mlflowRoute(ZAlias, (actor, input) => getModelVersionByAlias(actor, input));
export const POST = mlflowRoute(ZSetAlias, (actor, input, request) => setRegisteredModelAlias(actor, input, request));
export const DELETE = mlflowRoute(ZAlias, (actor, input) => deleteRegisteredModelAlias(actor, input));

export const { PUT, PATCH, OPTIONS } = unservedMethods(["GET", "POST", "DELETE"], "mlflow");
