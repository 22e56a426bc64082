// GET /api/v1/health
import { unservedMethods } from "@/lib/api/methods";
import { Reply, withPublicApi } from "@/lib/api/with-api";
import { checkHealth } from "@/lib/health";

export const dynamic = "force-dynamic";

export const GET = withPublicApi({}, async () => {
  const health = await checkHealth();
  return new Reply(health, health.status === "down" ? 503 : 200, { "cache-control": "no-store" });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"]);
