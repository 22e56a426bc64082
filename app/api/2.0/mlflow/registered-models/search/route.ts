// GET /api/2.0/mlflow/registered-models/search
import { unservedMethods } from "@/lib/api/methods";
import { searchModels } from "@/lib/mlflow/read";
import { mlflowRoute } from "@/lib/mlflow/route";
import { ZSearchRegisteredModels } from "@/lib/mlflow/schemas";

export const GET = mlflowRoute(ZSearchRegisteredModels, (actor, input) => searchModels(actor, input));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"], "mlflow");
