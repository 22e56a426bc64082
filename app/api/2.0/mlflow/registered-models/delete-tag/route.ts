// DELETE /api/2.0/mlflow/registered-models/delete-tag
import { deleteRegisteredModelTag } from "@/lib/mlflow/write";
import { mlflowRoute } from "@/lib/mlflow/route";
import { ZModelTagKey } from "@/lib/mlflow/schemas";

export const DELETE = mlflowRoute(ZModelTagKey, (actor, input) => deleteRegisteredModelTag(actor, input));
