// POST /api/v1/models/{name}/metrics
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { ingestMetrics } from "@/lib/metrics/ingest";
import { MAX_INGEST_BODY_BYTES, ZMetricBatchEnvelope } from "@/lib/metrics/schemas";

export const POST = withApi({ permission: "metrics.write", body: ZMetricBatchEnvelope, maxBodyBytes: MAX_INGEST_BODY_BYTES }, async ({ actor, params, body, request }) =>
  ingestMetrics({ actor, model: params.name, input: body, idempotencyKey: request.headers.get("idempotency-key") }),
);

export const { GET, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["POST"]);
