// POST /api/2.0/mlflow/registered-models/set-tag
import { unservedMethods } from "@/lib/api/methods";
import { setRegisteredModelTag } from "@/lib/mlflow/write";
import { mlflowRoute } from "@/lib/mlflow/route";
import { ZModelTag } from "@/lib/mlflow/schemas";

export const POST = mlflowRoute(ZModelTag, (actor, input) => setRegisteredModelTag(actor, input));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"], "mlflow");
