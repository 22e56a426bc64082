// POST /api/2.0/mlflow/model-versions/create
import { unservedMethods } from "@/lib/api/methods";
import { createModelVersion } from "@/lib/mlflow/write";
import { mlflowRoute } from "@/lib/mlflow/route";
import { ZCreateModelVersion } from "@/lib/mlflow/schemas";

export const POST = mlflowRoute(ZCreateModelVersion, (actor, input) => createModelVersion(actor, input));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"], "mlflow");
