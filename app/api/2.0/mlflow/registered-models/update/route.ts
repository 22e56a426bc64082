// PATCH /api/2.0/mlflow/registered-models/update
import { unservedMethods } from "@/lib/api/methods";
import { updateRegisteredModel } from "@/lib/mlflow/write";
import { mlflowRoute } from "@/lib/mlflow/route";
import { ZUpdateRegisteredModel } from "@/lib/mlflow/schemas";

export const PATCH = mlflowRoute(ZUpdateRegisteredModel, (actor, input) => updateRegisteredModel(actor, input));

export const { GET, POST, PUT, DELETE, OPTIONS } = unservedMethods(["PATCH"], "mlflow");
