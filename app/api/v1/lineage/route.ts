// GET /api/v1/lineage?dataHash=…|commit=…
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { reverseLineage } from "@/lib/registry/lineage";
import { ZLineageQuery } from "@/lib/registry/schemas";

export const GET = withApi({ permission: "registry.read", query: ZLineageQuery }, async ({ actor, query }) => reverseLineage({ actor, query }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"]);
