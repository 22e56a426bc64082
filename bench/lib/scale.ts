// The sizes of the benchmark's organisation (bench/README.md). "full" is what issue 12 asks for; "tiny" is the same
// shape at a size the smoke test builds in seconds. Pure data, shared by the generator and the runner.

export type Scale = {
  name: "full" | "tiny";
  /** Teams besides the demo's three; models are spread over all of them. */
  extraTeams: number;
  models: number;
  versionsPerModel: number;
  /** Evaluation reports per version: offline-metrics, latency, security-scan. */
  reportsPerVersion: 3;
  /** Promotion requests in all, the rollouts' included; `awaiting` of them wait for payments' ML Lead today. */
  requests: number;
  awaiting: number;
  rollouts: number;
  /** Raw metric points in all; the first rollout's challenger has a `series` of them in one metric. */
  points: number;
  series: number;
  /** Audit events in all, the demo seed's included: version edits fill up to it. */
  auditEvents: number;
};

export const SCALES: Record<Scale["name"], Scale> = {
  full: { name: "full", extraTeams: 7, models: 1_000, versionsPerModel: 200, reportsPerVersion: 3, requests: 2_000, awaiting: 60, rollouts: 20, points: 5_000_000, series: 1_000_000, auditEvents: 1_000_000 },
  tiny: { name: "tiny", extraTeams: 2, models: 12, versionsPerModel: 20, reportsPerVersion: 3, requests: 60, awaiting: 4, rollouts: 3, points: 30_000, series: 10_000, auditEvents: 2_000 },
};

export function scaleNamed(name: string | undefined): Scale {
  const s = SCALES[(name ?? "full") as Scale["name"]];
  if (!s) throw new Error(`Unknown scale "${name}": full or tiny`);
  return s;
}

/** The database each scale lives in, beside the others on the benchmark's own embedded PostgreSQL. */
export const databaseName = (scale: Scale) => `gatehouse_bench_${scale.name}`;

/** Model names: team prefix, a use and a number, so lists sort and search like a real organisation's. */
const USES = ["fraud", "churn", "ranker", "forecast", "pricing", "risk", "search", "ads", "vision", "nlp"];
export function modelName(index: number, teamSlug: string): string {
  return `${teamSlug}-${USES[index % USES.length]}-${String(index + 1).padStart(4, "0")}`;
}
