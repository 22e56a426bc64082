// POST /api/2.0/mlflow/model-versions/transition-stage
import { unservedMethods } from "@/lib/api/methods";
import { mlflowRefusal } from "@/lib/mlflow/route";

export const POST = mlflowRefusal(
  "BAD_REQUEST",
  "Model stages are deprecated in MLflow and not used by Gatehouse: versions move between environments through aliases. Set an alias with POST /api/2.0/mlflow/registered-models/alias (MlflowClient.set_registered_model_alias); protected aliases such as champion move through Gatehouse promotion requests.",
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"], "mlflow");
