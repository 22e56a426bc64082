// GET, POST, PATCH, PUT, DELETE /api/2.0/mlflow/{anything else}
import { NextResponse } from "next/server";
import { withApi } from "@/lib/api/with-api";
import { mlflowErrorResponse } from "@/lib/mlflow/route";

/** MLflow's tracking API (runs, experiments, metrics, artifacts…) is not Gatehouse's; every other path is unknown. */
const handler = withApi(
  {},
  async ({ params }) => {
    const path = params.path;
    const tracking = /^(runs|experiments|metrics|artifacts|logged-models|traces|datasets)(\/|$)/.test(path);
    const message = tracking
      ? `Gatehouse serves MLflow's model registry API only, not the tracking API (${path}). Keep your tracking server for runs and point only the registry at Gatehouse: mlflow.set_registry_uri(...) or MLFLOW_REGISTRY_URI.`
      : `No MLflow endpoint ${path} in Gatehouse; see docs/mlflow.md for the endpoints it serves.`;
    return NextResponse.json({ error_code: "ENDPOINT_NOT_FOUND", message }, { status: 404 });
  },
  mlflowErrorResponse,
);

export { handler as DELETE, handler as GET, handler as PATCH, handler as POST, handler as PUT };
