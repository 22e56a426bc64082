// DELETE /api/2.0/mlflow/model-versions/delete
import { unservedMethods } from "@/lib/api/methods";
import { deleteModelVersion } from "@/lib/mlflow/write";
import { mlflowRoute } from "@/lib/mlflow/route";
import { ZNameVersion } from "@/lib/mlflow/schemas";

export const DELETE = mlflowRoute(ZNameVersion, (actor, input) => deleteModelVersion(actor, input));

export const { GET, POST, PUT, PATCH, OPTIONS } = unservedMethods(["DELETE"], "mlflow");
