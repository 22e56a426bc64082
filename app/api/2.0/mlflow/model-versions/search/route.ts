// GET /api/2.0/mlflow/model-versions/search
import { unservedMethods } from "@/lib/api/methods";
import { searchVersions } from "@/lib/mlflow/read";
import { mlflowRoute } from "@/lib/mlflow/route";
import { ZSearchModelVersions } from "@/lib/mlflow/schemas";

export const GET = mlflowRoute(ZSearchModelVersions, (actor, input) => searchVersions(actor, input));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"], "mlflow");
