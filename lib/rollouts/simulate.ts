import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { AppError } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { ingestMetrics } from "@/lib/metrics/ingest";
import { registerJob } from "@/lib/notifications/worker";
import { ACTIVE_STATUSES } from "./machine";
import { tickRollouts, type TickResult } from "./tick";

/**
 * The demo's live traffic (`npm run gatehouse -- simulate`, and in the background of `npm start` on the demo
 * database): every minute, realistic metrics for both versions of each live rollout of a demo model, sent through
 * the same ingest as a serving layer's, then a scheduler tick. Only models with a profile get data: a rollout of
 * anyone else's model is never fed made-up numbers.
 */
const MINUTE = 60_000;
/** Real time between simulator passes; each whole minute is sent once, on the first pass after it ends. */
export const SIMULATOR_EVERY_MS = 5_000;
/** Minutes sent at most when the simulator (re)starts behind, so charts are not empty; within ingest's lateness. */
export const BACKFILL_MINUTES = 10;
/** Gauges are scraped this many times a minute. */
export const POINTS_PER_MINUTE = 4;

/** A counter pair per minute (clicks/impressions, errors/requests) at each version's true rate. */
export type RatioSpec = { metric: string; champion: number; challenger: number };
/** A gauge (latency p95, live AUC) around each version's level, with relative noise; `rise` degrades the challenger. */
export type GaugeSpec = { metric: string; champion: number; challenger: number; noise: number; rise?: { afterMinutes: number; perMinute: number; upTo: number } };
export type DemoProfile = { requestsPerMinute: number; ratios: RatioSpec[]; gauges: GaugeSpec[] };
/** Each version's share of the model's requests (a shadow challenger mirrors all of them). */
export type Traffic = { champion: number; challenger: number };
export type VersionMinute = { requests: number; ratios: { metric: string; numerator: number; denominator: number }[]; gauges: { metric: string; values: number[] }[] };

/** The stories of the demo (prisma/demo-rollouts.ts): each profile matches its model's rollout criteria. */
export const DEMO_PROFILES: Record<string, DemoProfile> = {
  // Better click-through at the same latency and errors: passes every step and completes.
  "recsys-ranker": {
    requestsPerMinute: 12_000,
    ratios: [
      { metric: "ctr", champion: 0.041, challenger: 0.0432 },
      { metric: "error_rate", champion: 0.003, challenger: 0.0028 },
    ],
    gauges: [{ metric: "latency_p95_ms", champion: 38, challenger: 40, noise: 0.04 }],
  },
  // A slow feature join: after two minutes the challenger's p95 climbs through the 100 ms rollback bound.
  "churn-predictor": {
    requestsPerMinute: 3_000,
    ratios: [{ metric: "error_rate", champion: 0.004, challenger: 0.0042 }],
    gauges: [{ metric: "latency_p95_ms", champion: 45, challenger: 47, noise: 0.04, rise: { afterMinutes: 2, perMinute: 80, upTo: 280 } }],
  },
  // Shadowed: healthy and agreeing with its offline report, so it reaches the compliance checkpoint and waits there.
  "credit-risk": {
    requestsPerMinute: 600,
    ratios: [{ metric: "error_rate", champion: 0.002, challenger: 0.002 }],
    gauges: [
      { metric: "auc", champion: 0.912, challenger: 0.919, noise: 0.003 },
      { metric: "parity_ratio", champion: 0.87, challenger: 0.9, noise: 0.01 },
      { metric: "latency_p95_ms", champion: 31, challenger: 33, noise: 0.05 },
    ],
  },
  // Not rolling out in the demo; feeds the rollout that approving request #2 starts.
  "fraud-detector": {
    requestsPerMinute: 20_000,
    ratios: [{ metric: "error_rate", champion: 0.001, challenger: 0.001 }],
    gauges: [{ metric: "latency_p95_ms", champion: 11, challenger: 11.4, noise: 0.04 }],
  },
};

/** Who the data comes from: a serving layer with a metrics:write token, nothing more. */
const SIMULATOR: Actor = { kind: "service", tokenId: "demo-simulator", label: "demo simulator", scopes: ["metrics:write"] };

/** A small seeded generator (mulberry32 over an FNV-1a hash): the same minute always gets the same numbers. */
function random(seed: string): () => number {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Where traffic goes: shadow mirrors everything, a canary splits it, and after completion the new champion has it all. */
export function trafficOf(r: { status: string; mode: string; trafficPercent: number }): Traffic {
  if (r.status === "watching" || r.mode === "blue-green") return { champion: 0, challenger: 1 };
  if (r.mode === "shadow") return { champion: 1, challenger: 1 };
  const p = Math.min(100, Math.max(0, r.trafficPercent)) / 100;
  return { champion: 1 - p, challenger: p };
}

/**
 * One minute of a profile's traffic (pure): `minute` numbers the minute (it seeds the noise), `minutesIn` counts
 * minutes since the rollout started (the challenger's `rise` follows it). A version with no traffic sends nothing.
 */
export function demoMetrics(profile: DemoProfile, o: { seed: string; minute: number; minutesIn: number; traffic: Traffic }): Record<keyof Traffic, VersionMinute | null> {
  const side = (which: keyof Traffic): VersionMinute | null => {
    const share = o.traffic[which];
    if (!(share > 0)) return null;
    const rand = random(`${o.seed}:${which}:${o.minute}`);
    const requests = Math.max(1, Math.round(profile.requestsPerMinute * share * (1 + 0.05 * normal(rand))));
    const ratios = profile.ratios.map((r) => {
      const p = r[which];
      // Binomial counts, by the normal approximation: a thin canary's rate is as noisy as a real one's.
      const numerator = Math.min(requests, Math.max(0, Math.round(requests * p + Math.sqrt(requests * p * (1 - p)) * normal(rand))));
      return { metric: r.metric, numerator, denominator: requests };
    });
    const gauges = profile.gauges.map((g) => {
      const rising = which === "challenger" && g.rise ? g.rise.perMinute * Math.max(0, o.minutesIn - g.rise.afterMinutes) : 0;
      const level = g.rise && rising > 0 ? Math.min(g.rise.upTo, g[which] + rising) : g[which];
      return { metric: g.metric, values: Array.from({ length: POINTS_PER_MINUTE }, () => round(Math.max(0, level * (1 + g.noise * normal(rand))), 4)) };
    });
    return { requests, ratios, gauges };
  };
  return { champion: side("champion"), challenger: side("challenger") };
}

/** A version's minute as ingest items: counter pairs over the minute, gauge points spread across it. */
export function minuteItems(m: VersionMinute, version: number, minuteStart: number): object[] {
  const windowStart = new Date(minuteStart).toISOString();
  const windowEnd = new Date(minuteStart + MINUTE).toISOString();
  return [
    ...m.ratios.map((r) => ({ version, metric: r.metric, windowStart, windowEnd, numerator: r.numerator, denominator: r.denominator })),
    ...m.gauges.flatMap((g) => g.values.map((value, i) => ({ version, metric: g.metric, timestamp: new Date(minuteStart + Math.floor(((i + 0.5) * MINUTE) / g.values.length)).toISOString(), value }))),
  ];
}

const minuteOf = (t: number) => Math.floor(t / MINUTE) * MINUTE;

type LiveRollout = Awaited<ReturnType<typeof liveRollouts>>[number];

function liveRollouts(models: readonly string[], only?: readonly string[]) {
  return db.rollout.findMany({
    where: { status: { in: [...ACTIVE_STATUSES] }, model: { name: { in: [...models] } }, ...(only ? { id: { in: [...only] } } : {}) },
    include: { model: { select: { name: true } } },
    orderBy: { startedAt: "asc" },
  });
}

/** Sends one minute for a rollout's versions; false when another simulator already sent that minute. */
async function sendMinute(r: LiveRollout, profile: DemoProfile, minuteStart: number, traffic: Traffic, now: Date, key: string): Promise<boolean> {
  const data = demoMetrics(profile, { seed: r.model.name, minute: minuteStart / MINUTE, minutesIn: (minuteStart - minuteOf(r.startedAt.getTime())) / MINUTE, traffic });
  const items = [...(data.champion && r.championVersion !== null ? minuteItems(data.champion, r.championVersion, minuteStart) : []), ...(data.challenger ? minuteItems(data.challenger, r.challengerVersion, minuteStart) : [])];
  if (!items.length) return false;
  try {
    // Keyed by the minute, so two simulators (the server's and the CLI's) count each minute once.
    const done = await ingestMetrics({ actor: SIMULATOR, model: r.model.name, input: { items }, idempotencyKey: `demo-simulator:${key}:${new Date(minuteStart).toISOString()}`, now });
    return !done.replayed;
  } catch (err) {
    if (err instanceof AppError && err.status === 409) return false;
    throw err;
  }
}

export type SimulateResult = { sent: { model: string; rollout: number; minutes: number; traffic: Traffic }[]; failed: { model: string; error: string }[]; tick: TickResult };

/**
 * One pass at `now`: for each live rollout of a model with a profile, every whole minute since the last one sent
 * (at most BACKFILL_MINUTES back, never before the rollout's first minute) at its current split, then a scheduler
 * tick so the rollouts move on. `profiles` and `scheduler` let tests drive their own models on a fake clock.
 */
export async function simulateTick(o: { now?: Date; profiles?: Record<string, DemoProfile>; scheduler?: { name?: string; only?: readonly string[] } } = {}): Promise<SimulateResult> {
  const now = o.now ?? new Date();
  const profiles = o.profiles ?? DEMO_PROFILES;
  const result: Omit<SimulateResult, "tick"> = { sent: [], failed: [] };
  for (const r of await liveRollouts(Object.keys(profiles), o.scheduler?.only)) {
    const traffic = trafficOf(r);
    try {
      const last = await db.metricRollup.findFirst({ where: { modelId: r.modelId, versionId: r.challengerVersionId, bucket: { gte: new Date(minuteOf(r.startedAt.getTime())) } }, orderBy: { bucket: "desc" }, select: { bucket: true } });
      const from = Math.max(last ? last.bucket.getTime() + MINUTE : minuteOf(r.startedAt.getTime()), minuteOf(now.getTime()) - BACKFILL_MINUTES * MINUTE);
      let minutes = 0;
      for (let m = from; m + MINUTE <= now.getTime(); m += MINUTE) if (await sendMinute(r, profiles[r.model.name], m, traffic, now, String(r.number))) minutes++;
      if (minutes) result.sent.push({ model: r.model.name, rollout: r.number, minutes, traffic });
    } catch (err) {
      // A rollout that ended between the read and the send refuses its metrics; the next pass skips it.
      result.failed.push({ model: r.model.name, error: err instanceof Error ? err.message : String(err) });
    }
  }
  const tick = await tickRollouts({ now, name: o.scheduler?.name, only: o.scheduler?.only });
  return { ...result, tick };
}

/**
 * The champion's traffic of the `minutes` before each live demo rollout began, for the demo seed: the first page
 * view already has lines to compare against. Returns the minutes sent.
 */
export async function backfillChampions(o: { now?: Date; minutes?: number; profiles?: Record<string, DemoProfile> } = {}): Promise<number> {
  const now = o.now ?? new Date();
  const profiles = o.profiles ?? DEMO_PROFILES;
  let sent = 0;
  for (const r of await liveRollouts(Object.keys(profiles))) {
    const start = minuteOf(r.startedAt.getTime());
    for (let m = start - (o.minutes ?? BACKFILL_MINUTES) * MINUTE; m < start; m += MINUTE) {
      if (await sendMinute(r, profiles[r.model.name], m, { champion: 1, challenger: 0 }, now, `${r.number}:before`)) sent++;
    }
  }
  return sent;
}

const pct = (t: Traffic) => (t.champion === 1 && t.challenger === 1 ? "shadow" : `${Math.round(t.challenger * 100)}% challenger`);

/** What a pass did, one line per rollout that got data or changed (holds are quiet). */
export function describePass(r: SimulateResult): string[] {
  return [
    ...r.sent.map((s) => `${s.model} (rollout ${s.rollout}, ${pct(s.traffic)}): sent ${s.minutes} minute${s.minutes === 1 ? "" : "s"} of metrics`),
    ...r.failed.map((f) => `${f.model}: metrics refused: ${f.error}`),
    ...r.tick.rollouts.filter((x) => x.action !== "hold").map((x) => `rollout ${x.number}: ${x.action}: ${x.reason}`),
    ...r.tick.failed.map((f) => `rollout ${f.id} could not be judged: ${f.error}`),
  ];
}

/** The simulator in the foreground until `signal` aborts (the CLI's `simulate`; Ctrl-C stops it). */
export async function runSimulator(o: { everyMs?: number; signal?: AbortSignal; log?: (line: string) => void } = {}): Promise<void> {
  const log = o.log ?? ((line: string) => console.log(line));
  while (!o.signal?.aborted) {
    try {
      for (const line of describePass(await simulateTick())) log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
    } catch (err) {
      log(`simulator pass failed (retrying): ${err instanceof Error ? err.message : String(err)}`);
    }
    await sleep(o.everyMs ?? SIMULATOR_EVERY_MS, undefined, { signal: o.signal }).catch(() => {});
  }
}

/** The simulator as a background job of the server process (instrumentation.ts, when GATEHOUSE_DEMO_SIMULATOR is set). */
export function startDemoSimulator(): void {
  registerJob("demo-simulator", SIMULATOR_EVERY_MS, async (now) => {
    const pass = await simulateTick({ now });
    for (const f of pass.failed) console.error(`[gatehouse] demo simulator: ${f.model}: ${f.error}`);
  });
}
