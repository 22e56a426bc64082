// DELETE /api/2.0/mlflow/registered-models/delete-tag
import { unservedMethods } from "@/lib/api/methods";
import { deleteRegisteredModelTag } from "@/lib/mlflow/write";
import { mlflowRoute } from "@/lib/mlflow/route";
import { ZModelTagKey } from "@/lib/mlflow/schemas";

export const DELETE = mlflowRoute(ZModelTagKey, (actor, input) => deleteRegisteredModelTag(actor, input));

export const { GET, POST, PUT, PATCH, OPTIONS } = unservedMethods(["DELETE"], "mlflow");
