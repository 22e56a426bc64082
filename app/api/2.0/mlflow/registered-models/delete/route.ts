// DELETE /api/2.0/mlflow/registered-models/delete
import { unservedMethods } from "@/lib/api/methods";
import { deleteRegisteredModel } from "@/lib/mlflow/write";
import { mlflowRoute } from "@/lib/mlflow/route";
import { ZName } from "@/lib/mlflow/schemas";

export const DELETE = mlflowRoute(ZName, (actor, input) => deleteRegisteredModel(actor, input));

export const { GET, POST, PUT, PATCH, OPTIONS } = unservedMethods(["DELETE"], "mlflow");
