// GET /api/2.0/mlflow/registered-models/get
import { getRegisteredModel } from "@/lib/mlflow/read";
import { mlflowRoute } from "@/lib/mlflow/route";
import { ZName } from "@/lib/mlflow/schemas";

export const GET = mlflowRoute(ZName, (actor, input) => getRegisteredModel(actor, input));
