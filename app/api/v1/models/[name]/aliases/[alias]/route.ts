// GET, PUT, DELETE /api/v1/models/{name}/aliases/{alias}
import { NextResponse } from "next/server";
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { ZReasonInput } from "@/lib/auth/schemas";
import { deleteAlias, resolveAlias, setAlias } from "@/lib/registry/aliases";
import { ZSetAliasInput } from "@/lib/registry/schemas";
import { etagMatches } from "@/lib/serving/alias-view.mjs";

/** The serving lookup: answers 304 when the caller's ETag still matches. */
export const GET = withApi({}, async ({ actor, params, request }) => {
  const { view, etag } = await resolveAlias({ actor, model: params.name, alias: params.alias });
  const headers = { etag, "cache-control": "no-cache" };
  if (etagMatches(request.headers.get("if-none-match"), etag)) return new NextResponse(null, { status: 304, headers });
  return NextResponse.json(view, { headers });
});

export const PUT = withApi({ permission: "aliases.set", body: ZSetAliasInput }, async ({ actor, params, body }) =>
  setAlias({ actor, model: params.name, alias: params.alias, input: body }),
);

export const DELETE = withApi({ permission: "aliases.set", query: ZReasonInput }, async ({ actor, params, query }) =>
  deleteAlias({ actor, model: params.name, alias: params.alias, reason: query.reason }),
);

export const { POST, PATCH, OPTIONS } = unservedMethods(["GET", "PUT", "DELETE"]);
