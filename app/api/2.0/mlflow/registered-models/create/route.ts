// POST /api/2.0/mlflow/registered-models/create
import { unservedMethods } from "@/lib/api/methods";
import { createRegisteredModel } from "@/lib/mlflow/write";
import { mlflowRoute } from "@/lib/mlflow/route";
import { ZCreateRegisteredModel } from "@/lib/mlflow/schemas";

export const POST = mlflowRoute(ZCreateRegisteredModel, (actor, input) => createRegisteredModel(actor, input));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"], "mlflow");
