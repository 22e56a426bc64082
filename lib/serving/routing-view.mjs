// The serving answer for GET /api/v1/models/{name}/routing: how the serving layer splits traffic between the champion
// and a rollout's challenger. Plain JS, shared by the Next route and the in-process fast path (scripts/lib/serving.mjs)
// so both give byte-identical responses and ETags.

/** One query for every model (the fast path's snapshot) or, with $1, for one model id (the Next route). */
export function routingQuery(oneModel) {
  return `
    SELECT DISTINCT ON (m.id) m.id AS model_id, m.name AS model, m.team_id,
           r.id AS rollout_id, r.number AS rollout_number, r.status AS rollout_status, r.mode, r.traffic_percent,
           -- The last transition, not updated_at: judging refreshes the row every tick without changing the split.
           (SELECT max(e.created_at) FROM rollout_events e WHERE e.rollout_id = r.id) AS rollout_updated_at,
           cv.version AS champion_version, cv.artifact_uri AS champion_uri, cv.artifact_checksum AS champion_checksum, ca.updated_at AS champion_updated_at,
           xv.version AS challenger_version, xv.artifact_uri AS challenger_uri, xv.artifact_checksum AS challenger_checksum
    FROM registered_models m
    LEFT JOIN rollouts r ON r.model_id = m.id AND r.status IN ('running', 'paused', 'waiting')
    -- The champion is the alias rollouts move (the production stage's): the latest rollout's, else @champion.
    LEFT JOIN LATERAL (SELECT alias FROM rollouts l WHERE l.model_id = m.id ORDER BY l.started_at DESC LIMIT 1) last ON true
    LEFT JOIN model_aliases ca ON ca.model_id = m.id AND ca.name = COALESCE(r.alias, last.alias, 'champion')
    LEFT JOIN model_versions cv ON cv.id = ca.version_id
    LEFT JOIN model_versions xv ON xv.id = r.challenger_version_id
    ${oneModel ? "WHERE m.id = $1" : ""}
    ORDER BY m.id, r.started_at DESC NULLS LAST`;
}

/** @param {Record<string, any>} row a row of routingQuery */
export function routingView(row) {
  const live = row.rollout_id !== null && row.rollout_id !== undefined;
  const version = (v, uri, checksum) => (v === null || v === undefined ? null : { version: v, artifactUri: uri, artifactChecksum: checksum });
  const times = [row.rollout_updated_at, row.champion_updated_at].filter(Boolean).map((t) => new Date(t).getTime());
  return {
    model: row.model,
    champion: version(row.champion_version, row.champion_uri, row.champion_checksum),
    challenger: live ? version(row.challenger_version, row.challenger_uri, row.challenger_checksum) : null,
    mode: live ? row.mode : "none",
    challengerTrafficPercent: live ? Number(row.traffic_percent) : 0,
    rolloutId: live ? row.rollout_id : null,
    rolloutNumber: live ? row.rollout_number : null,
    paused: live ? row.rollout_status === "paused" : false,
    updatedAt: times.length ? new Date(Math.max(...times)).toISOString() : null,
  };
}
