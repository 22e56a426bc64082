// The load test's request categories and the statuses each may answer; anything else fails the run
// (scripts/lib/load/report.mjs, judgeRun).

export const PAGES = {
  overview: "page: overview",
  models: "page: models",
  model: "page: model",
  version: "page: version",
  promotions: "page: promotions",
  approvals: "page: approvals inbox",
  audit: "page: audit log",
  rollout: "page: rollout",
};

export const C = {
  static: "static assets",
  read: "api: reads",
  version: "api: register version",
  report: "api: add report",
  request: "api: request promotion",
  decide: "api: decide",
  ingest: "ingest",
  replay: "ingest: retried batch",
  alias: "serving: alias",
  routing: "serving: routing",
};

export const EXPECTED = {
  ...Object.fromEntries(Object.values(PAGES).map((name) => [name, [200]])),
  [C.static]: [200],
  [C.read]: [200],
  [C.version]: [201],
  [C.report]: [201],
  [C.request]: [201],
  // Two leads deciding one request (on purpose, or because they picked the same one), or the requester superseding
  // it with a newer version meanwhile: the later decision finds it closed.
  [C.decide]: [201, 409],
  [C.ingest]: [200],
  [C.replay]: [200],
  [C.alias]: [200, 304],
  [C.routing]: [200, 304],
};

/** The order categories are printed in. */
export const ORDER = [...Object.values(PAGES), C.static, C.read, C.version, C.report, C.request, C.decide, C.ingest, C.replay, C.alias, C.routing];
