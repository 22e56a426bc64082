import { describe, expect, it } from "vitest";
import { validateItems } from "@/lib/metrics/validate";
import { DEMO_PROFILES, POINTS_PER_MINUTE, demoMetrics, minuteItems, trafficOf, type Traffic } from "./simulate";

// The demo's made-up traffic must look like a serving layer's: rates where they belong, volumes following the split.
const minute = 29_600_000;
const at = (profile: keyof typeof DEMO_PROFILES, minutesIn: number, traffic: Traffic, m = minute + minutesIn) => demoMetrics(DEMO_PROFILES[profile], { seed: profile, minute: m, minutesIn, traffic });
const canary = (percent: number): Traffic => ({ champion: 1 - percent / 100, challenger: percent / 100 });
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const gauge = (v: ReturnType<typeof at>["champion"], metric: string) => mean(v!.gauges.find((g) => g.metric === metric)!.values);
const ratio = (v: ReturnType<typeof at>["champion"], metric: string) => {
  const r = v!.ratios.find((x) => x.metric === metric)!;
  return r.numerator / r.denominator;
};

describe("trafficOf", () => {
  it.each([
    [{ status: "running", mode: "canary", trafficPercent: 10 }, { champion: 0.9, challenger: 0.1 }],
    [{ status: "paused", mode: "canary", trafficPercent: 50 }, { champion: 0.5, challenger: 0.5 }],
    [{ status: "running", mode: "canary", trafficPercent: 100 }, { champion: 0, challenger: 1 }],
    [{ status: "waiting", mode: "shadow", trafficPercent: 0 }, { champion: 1, challenger: 1 }],
    [{ status: "running", mode: "blue-green", trafficPercent: 100 }, { champion: 0, challenger: 1 }],
    [{ status: "watching", mode: "none", trafficPercent: 100 }, { champion: 0, challenger: 1 }],
  ])("%o sends %o of the traffic to each version", (rollout, traffic) => {
    expect(trafficOf(rollout)).toEqual(traffic);
  });
});

describe("demoMetrics", () => {
  it.each([
    // A thin canary's minute is noisy (60 credit applications hold 0 or 1 errors), as real ones are.
    ["recsys-ranker", "ctr", 0.025, 0.065],
    ["recsys-ranker", "error_rate", 0, 0.012],
    ["churn-predictor", "error_rate", 0, 0.025],
    ["credit-risk", "error_rate", 0, 0.06],
  ] as const)("%s's %s stays between %d and %d at every split", (profile, metric, lo, hi) => {
    for (let m = 0; m < 30; m++) {
      for (const t of [canary(10), canary(50), { champion: 1, challenger: 1 }]) {
        const v = at(profile, m, t);
        for (const side of [v.champion, v.challenger]) {
          expect(ratio(side, metric)).toBeGreaterThanOrEqual(lo);
          expect(ratio(side, metric)).toBeLessThanOrEqual(hi);
        }
      }
    }
  });

  it("volumes follow the split: the champion is silent at 100%, the challenger at 0%, a shadow mirrors everything", () => {
    expect(at("recsys-ranker", 5, canary(100)).champion).toBeNull();
    expect(at("recsys-ranker", 5, canary(0)).challenger).toBeNull();
    const ten = at("recsys-ranker", 5, canary(10));
    expect(ten.challenger!.requests).toBeGreaterThan(900);
    expect(ten.challenger!.requests).toBeLessThan(1500);
    expect(ten.champion!.requests / ten.challenger!.requests).toBeGreaterThan(6);
    const shadow = at("credit-risk", 5, { champion: 1, challenger: 1 });
    expect(shadow.challenger!.requests / shadow.champion!.requests).toBeCloseTo(1, 0);
  });

  it.each([
    [0, 40, 60],
    [2, 40, 60],
    [4, 170, 230],
    [6, 250, 300],
    [20, 250, 300],
  ])("churn's challenger p95 after %i minutes is between %i and %i ms; the champion's stays put", (minutesIn, lo, hi) => {
    const v = at("churn-predictor", minutesIn, canary(10));
    expect(gauge(v.challenger, "latency_p95_ms")).toBeGreaterThan(lo);
    expect(gauge(v.challenger, "latency_p95_ms")).toBeLessThan(hi);
    expect(gauge(v.champion, "latency_p95_ms")).toBeLessThan(60);
  });

  it("recsys's challenger wins on click-through over a step of several minutes, at a similar latency", () => {
    const minutes = Array.from({ length: 10 }, (_, m) => at("recsys-ranker", m, canary(50)));
    const pooled = (side: "champion" | "challenger") => {
      const r = minutes.map((v) => v[side]!.ratios.find((x) => x.metric === "ctr")!);
      return r.reduce((a, x) => a + x.numerator, 0) / r.reduce((a, x) => a + x.denominator, 0);
    };
    expect(pooled("challenger")).toBeGreaterThan(pooled("champion"));
    const latency = (side: "champion" | "challenger") => mean(minutes.map((v) => gauge(v[side], "latency_p95_ms")));
    expect(latency("challenger") / latency("champion")).toBeLessThan(1.1);
  });

  it("is deterministic: the same minute always gets the same numbers, another minute different ones", () => {
    expect(at("credit-risk", 3, canary(10))).toEqual(at("credit-risk", 3, canary(10)));
    expect(at("credit-risk", 3, canary(10))).not.toEqual(at("credit-risk", 3, canary(10), minute + 4));
  });
});

describe("minuteItems", () => {
  it("turns a minute into counter pairs over the minute and gauge points inside it, all valid ingest items", () => {
    const start = Date.UTC(2031, 0, 1, 10, 0);
    const v = at("credit-risk", 1, { champion: 1, challenger: 1 });
    const items = minuteItems(v.challenger!, 4, start);
    const { items: valid, problems } = validateItems(items);
    expect(problems).toEqual([]);
    expect(valid.filter((i) => i.kind === "ratio")).toEqual([expect.objectContaining({ version: 4, metric: "error_rate", windowStart: "2031-01-01T10:00:00.000Z", windowEnd: "2031-01-01T10:01:00.000Z" })]);
    const points = valid.filter((i) => i.kind === "point");
    expect(points).toHaveLength(3 * POINTS_PER_MINUTE);
    for (const p of points) expect(p.kind === "point" && Date.parse(p.timestamp) - start).toBeLessThan(60_000);
  });
});
