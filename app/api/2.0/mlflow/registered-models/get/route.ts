// GET /api/2.0/mlflow/registered-models/get
import { unservedMethods } from "@/lib/api/methods";
import { getRegisteredModel } from "@/lib/mlflow/read";
import { mlflowRoute } from "@/lib/mlflow/route";
import { ZName } from "@/lib/mlflow/schemas";

export const GET = mlflowRoute(ZName, (actor, input) => getRegisteredModel(actor, input));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"], "mlflow");
