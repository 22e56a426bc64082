// GET /api/v1/rollouts/{id}/series?metric=&range=hour|day|all&dims=
import { unservedMethods } from "@/lib/api/methods";
import { withApi } from "@/lib/api/with-api";
import { rolloutMetrics, rolloutSeries } from "@/lib/rollouts/series";
import { ZRolloutSeriesQuery } from "@/lib/rollouts/series-schemas";

export const GET = withApi({ permission: "registry.read", query: ZRolloutSeriesQuery }, async ({ actor, params, query }) =>
  query.metric === undefined ? rolloutMetrics({ actor, id: params.id }) : rolloutSeries({ actor, id: params.id, metric: query.metric, range: query.range, dims: query.dims }),
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"]);
