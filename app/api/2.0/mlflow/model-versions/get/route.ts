// GET /api/2.0/mlflow/model-versions/get
import { unservedMethods } from "@/lib/api/methods";
import { getModelVersion } from "@/lib/mlflow/read";
import { mlflowRoute } from "@/lib/mlflow/route";
import { ZNameVersion } from "@/lib/mlflow/schemas";

export const GET = mlflowRoute(ZNameVersion, (actor, input) => getModelVersion(actor, input));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"], "mlflow");
