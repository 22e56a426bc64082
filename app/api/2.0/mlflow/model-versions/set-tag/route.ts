// POST /api/2.0/mlflow/model-versions/set-tag
import { unservedMethods } from "@/lib/api/methods";
import { setModelVersionTag } from "@/lib/mlflow/write";
import { mlflowRoute } from "@/lib/mlflow/route";
import { ZVersionTag } from "@/lib/mlflow/schemas";

export const POST = mlflowRoute(ZVersionTag, (actor, input) => setModelVersionTag(actor, input));

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"], "mlflow");
