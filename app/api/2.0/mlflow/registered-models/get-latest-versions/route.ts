// GET, POST /api/2.0/mlflow/registered-models/get-latest-versions
import { unservedMethods } from "@/lib/api/methods";
import { getLatestVersions } from "@/lib/mlflow/read";
import { mlflowRoute } from "@/lib/mlflow/route";
import { ZGetLatestVersions } from "@/lib/mlflow/schemas";

export const GET = mlflowRoute(ZGetLatestVersions, (actor, input) => getLatestVersions(actor, input));
export const POST = mlflowRoute(ZGetLatestVersions, (actor, input) => getLatestVersions(actor, input));

export const { PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET", "POST"], "mlflow");
