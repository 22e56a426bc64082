// PATCH /api/2.0/mlflow/model-versions/update
import { unservedMethods } from "@/lib/api/methods";
import { updateModelVersion } from "@/lib/mlflow/write";
import { mlflowRoute } from "@/lib/mlflow/route";
import { ZUpdateModelVersion } from "@/lib/mlflow/schemas";

export const PATCH = mlflowRoute(ZUpdateModelVersion, (actor, input) => updateModelVersion(actor, input));

export const { GET, POST, PUT, DELETE, OPTIONS } = unservedMethods(["PATCH"], "mlflow");
