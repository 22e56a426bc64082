// GET /api/v1/models/{name}/versions/{version}/gates
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { versionReadiness } from "@/lib/policy/readiness";
import { ZGatesQuery } from "@/lib/policy/schemas";

/** A dry run of the gates for moving this version to `?stage=`: what would pass, warn, fail or lack evidence. */
export const GET = withApi({ permission: "registry.read", query: ZGatesQuery }, async ({ actor, params, query }) => {
  const [readiness] = await versionReadiness({ actor, model: params.name, version: params.version, stage: query.stage });
  return readiness;
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"]);
