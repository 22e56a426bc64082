// GET, POST /api/v1/releases
import { unservedMethods } from "@/lib/api/methods";
import { Reply, withApi } from "@/lib/api/with-api";
import { createRelease } from "@/lib/releases/release";
import { ZCreateReleaseInput, ZListReleasesQuery } from "@/lib/releases/schemas";
import { listReleases } from "@/lib/releases/views";

export const GET = withApi({ permission: "registry.read", query: ZListReleasesQuery }, async ({ actor, query }) => listReleases({ actor, query }));

export const POST = withApi({ permission: "promotions.request", body: ZCreateReleaseInput }, async ({ actor, body }) => {
  const release = await createRelease({ actor, input: body });
  return new Reply(release, 201, { location: `/api/v1/releases/${release.id}` });
});

export const { PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET", "POST"]);
