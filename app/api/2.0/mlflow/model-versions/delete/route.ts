// DELETE /api/2.0/mlflow/model-versions/delete
import { deleteModelVersion } from "@/lib/mlflow/write";
import { mlflowRoute } from "@/lib/mlflow/route";
import { ZNameVersion } from "@/lib/mlflow/schemas";

export const DELETE = mlflowRoute(ZNameVersion, (actor, input) => deleteModelVersion(actor, input));
