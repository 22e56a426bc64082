import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { kickJob, registerJob, startWorker, stopWorker } from "./worker";

// The worker's schedule with a fake clock: first run, interval, debounced kicks, no overlapping runs.
describe("background worker", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    delete (globalThis as { gatehouseWorker?: unknown }).gatehouseWorker;
  });
  afterEach(async () => {
    await stopWorker();
    vi.useRealTimers();
  });

  it("runs nothing before it starts, then each job a second after start and every interval after that", async () => {
    const runs: number[] = [];
    registerJob("tick", 5_000, async () => void runs.push(Date.now()));
    kickJob("tick");
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toHaveLength(0);
    expect(startWorker()).toBe(true);
    expect(startWorker()).toBe(false);
    await vi.advanceTimersByTimeAsync(999);
    expect(runs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(runs).toHaveLength(4);
  });

  it("a job registered after start runs too; registering a name again replaces it", async () => {
    startWorker();
    const a: string[] = [];
    registerJob("late", 1_000, async () => void a.push("old"));
    registerJob("late", 1_000, async () => void a.push("new"));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(a).toEqual(["new"]);
  });

  it("kicks within the delay make one run, soon, instead of waiting for the interval", async () => {
    let runs = 0;
    registerJob("kicked", 60_000, async () => void (runs += 1));
    startWorker();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(1);
    kickJob("kicked");
    kickJob("kicked");
    kickJob("kicked", 100);
    await vi.advanceTimersByTimeAsync(300);
    expect(runs).toBe(2);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(runs).toBe(2);
  });

  it("never runs one job twice at once: kicks during a run make exactly one more run after it", async () => {
    let running = 0;
    let most = 0;
    let runs = 0;
    registerJob("slow", 60_000, async () => {
      running += 1;
      most = Math.max(most, running);
      runs += 1;
      await new Promise((r) => setTimeout(r, 2_000));
      running -= 1;
    });
    startWorker();
    await vi.advanceTimersByTimeAsync(1_500);
    kickJob("slow", 0);
    kickJob("slow", 0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toBe(2);
    expect(most).toBe(1);
  });

  it("a failing job keeps its schedule and is reported once a minute, not on every run", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    let runs = 0;
    registerJob("broken", 5_000, async () => {
      runs += 1;
      throw new Error("database is down");
    });
    startWorker();
    await vi.advanceTimersByTimeAsync(1_000 + 5_000 * 12);
    expect(runs).toBe(13);
    expect(errors.mock.calls.filter((c) => String(c[0]).includes("job broken failed"))).toHaveLength(2);
    errors.mockRestore();
  });

  it("refuses intervals too short to be meant", () => {
    expect(() => registerJob("spin", 0, async () => {})).toThrow(/at least 100/);
  });
});
