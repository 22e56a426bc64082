// POST /api/2.0/mlflow/registered-models/rename
import { unservedMethods } from "@/lib/api/methods";
import { mlflowRefusal } from "@/lib/mlflow/route";

export const POST = mlflowRefusal(
  "BAD_REQUEST",
  "Gatehouse does not rename registered models: serving resolves them by name, and their history and audit trail are kept under it. Register a model under the new name instead.",
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"], "mlflow");
