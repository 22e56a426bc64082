import type { Actor } from "@/lib/auth/permissions";
import { ingestMetrics } from "@/lib/metrics/ingest";
import { requestPromotion } from "@/lib/promotions/request";
import { SYSTEM_ACTOR, goodVersion, makeModel, makeTeam, makeUser } from "@/lib/promotions/test-fixtures";
import { importAliases } from "@/lib/registry/aliases";
import { db } from "@/lib/db";

/** Database-test fixtures for rollouts: a model whose staging stage rolls out, a champion, live metrics on a fake clock. */
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
type User = Actor & { kind: "user" };

/** A staging stage that promotes without approvals and rolls out as `rollout` (YAML, indented for the stage). */
export const ROLLOUT_POLICY = (rollout: string) => `stages:
  staging:
    approvals:
      quorum: []
    rollout:
${rollout
  .trim()
  .split("\n")
  .map((l) => `      ${l}`)
  .join("\n")}
`;

export const CANARY = `
strategy: canary
canary:
  steps:
    - { percent: 10, hold: 1h }
    - { percent: 100, hold: 1h }
minSamples: 5
watchWindow: 2h
criteria:
  - metric: latency_p95_ms
    kind: percentile
    direction: lower
    advance: { relative: 10 }
    rollback: { max: 250 }
  - metric: error_rate
    kind: ratio
    critical: true
    advance: { absolute: 0.002 }
    rollback: { absolute: 0.01 }
`;

export type Scene = { team: { id: string; slug: string }; engineer: User; lead: User; compliance: User; viewer: User };

export async function makeScene(): Promise<Scene> {
  const team = await makeTeam("rollout");
  return {
    team,
    engineer: await makeUser("Rae Engineer", ["engineer"], team.id),
    lead: await makeUser("Rob Lead", ["ml-lead"], team.id),
    compliance: await makeUser("Cy Compliance", ["compliance-officer"], null),
    viewer: await makeUser("Val Viewer", ["viewer"], team.id),
  };
}

/** A model with v1 on @staging and v2 requested to staging at `now`: the request goes straight to rolling-out. */
export async function rolloutScenario(s: Scene, rolloutYaml: string, now: Date) {
  const model = await makeModel({ team: s.team, engineer: s.engineer, policy: ROLLOUT_POLICY(rolloutYaml) });
  const v1 = await goodVersion(model, s.engineer);
  const v2 = await goodVersion(model, s.engineer);
  await importAliases({ actor: SYSTEM_ACTOR, model, aliases: { staging: v1 }, reason: "the running version" });
  const request = await requestPromotion({ actor: s.engineer, input: { model, version: v2, stage: "staging", justification: "Retrained with the new features; offline metrics improved." }, now });
  const rollout = await db.rollout.findUniqueOrThrow({ where: { requestId: request.id } });
  return { model, v1, v2, request, rollout };
}

/** A deterministic wobble in [-1, 1], so samples are not all one value. */
const wobble = (i: number) => Math.sin(i * 12.9898) * 0.5 + Math.sin(i * 4.1414) * 0.5;

/**
 * One batch of a minute-by-minute series for each version from `from` (inclusive) for `minutes`, sent at the end of it:
 * latency p95 points around `latency`, and error counter pairs at `errorRate`.
 */
export async function sendMinutes(o: { actor: Actor; model: string; from: Date; minutes: number; versions: Record<number, { latency: number; errorRate: number }> }) {
  const items: object[] = [];
  for (let m = 0; m < o.minutes; m++) {
    const at = new Date(o.from.getTime() + m * MINUTE + 30_000);
    for (const [version, v] of Object.entries(o.versions)) {
      items.push({ version: Number(version), metric: "latency_p95_ms", timestamp: at.toISOString(), value: v.latency + wobble(m * 7 + Number(version)) * v.latency * 0.02 });
      const requests = 1_000 + Math.round(wobble(m + Number(version)) * 100);
      const windowStart = new Date(o.from.getTime() + m * MINUTE);
      items.push({ version: Number(version), metric: "error_rate", windowStart: windowStart.toISOString(), windowEnd: new Date(windowStart.getTime() + MINUTE).toISOString(), numerator: Math.round(requests * v.errorRate * (1 + wobble(m * 3 + Number(version)) * 0.2)), denominator: requests });
    }
  }
  return ingestMetrics({ actor: o.actor, model: o.model, input: { items }, now: new Date(o.from.getTime() + o.minutes * MINUTE) });
}
