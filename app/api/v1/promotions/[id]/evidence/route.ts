// GET /api/v1/promotions/{id}/evidence
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { evidenceBundle } from "@/lib/promotions/evidence-bundle";

export const GET = withApi({ permission: "audit.export" }, async ({ actor, params }) => {
  const bundle = await evidenceBundle({ actor, id: params.id });
  return new Response(JSON.stringify(bundle, null, 2), {
    headers: { "content-type": "application/json; charset=utf-8", "content-disposition": `inline; filename="gatehouse-evidence-${bundle.request.model}-request-${bundle.request.number}.json"`, "cache-control": "no-store" },
  });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"]);
