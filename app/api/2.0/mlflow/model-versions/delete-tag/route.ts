// DELETE /api/2.0/mlflow/model-versions/delete-tag
import { unservedMethods } from "@/lib/api/methods";
import { deleteModelVersionTag } from "@/lib/mlflow/write";
import { mlflowRoute } from "@/lib/mlflow/route";
import { ZVersionTagKey } from "@/lib/mlflow/schemas";

export const DELETE = mlflowRoute(ZVersionTagKey, (actor, input) => deleteModelVersionTag(actor, input));

export const { GET, POST, PUT, PATCH, OPTIONS } = unservedMethods(["DELETE"], "mlflow");
