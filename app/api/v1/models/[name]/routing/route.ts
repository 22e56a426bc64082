// GET /api/v1/models/{name}/routing
import { NextResponse } from "next/server";
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { resolveRouting } from "@/lib/rollouts/routing";
import { etagMatches } from "@/lib/serving/alias-view.mjs";

/** The serving layer's traffic split: answers 304 when the caller's ETag still matches. */
export const GET = withApi({}, async ({ actor, params, request }) => {
  const { view, etag } = await resolveRouting({ actor, model: params.name });
  const headers = { etag, "cache-control": "no-cache" };
  if (etagMatches(request.headers.get("if-none-match"), etag)) return new NextResponse(null, { status: 304, headers });
  return NextResponse.json(view, { headers });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"]);
