// POST /api/2.0/mlflow/registered-models/rename
import { mlflowRefusal } from "@/lib/mlflow/route";

export const POST = mlflowRefusal(
  "BAD_REQUEST",
  "Gatehouse does not rename registered models: serving resolves them by name, and their history and audit trail are kept under it. Register a model under the new name instead.",
);
