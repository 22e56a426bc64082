// GET /api/v1/health
import { Reply, withPublicApi } from "@/lib/api/with-api";
import { checkHealth } from "@/lib/health";

export const dynamic = "force-dynamic";

export const GET = withPublicApi({}, async () => {
  const health = await checkHealth();
  return new Reply(health, health.status === "down" ? 503 : 200, { "cache-control": "no-store" });
});
