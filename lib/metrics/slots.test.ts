import { describe, expect, it } from "vitest";
import { createSlots } from "./slots";

/** A task that runs until released by hand, recording when it started. */
function gate(started: number[], id: number) {
  let release!: () => void;
  let fail!: (e: Error) => void;
  const done = new Promise<number>((resolve, reject) => {
    release = () => resolve(id);
    fail = reject;
  });
  return { fn: () => (started.push(id), done), release: () => release(), fail: (e: Error) => fail(e) };
}

const settle = () => new Promise((r) => setImmediate(r));

describe("createSlots", () => {
  it.each([
    { limit: 1, tasks: 4 },
    { limit: 2, tasks: 5 },
    { limit: 4, tasks: 4 },
  ])("runs at most $limit of $tasks at once, in arrival order", async ({ limit, tasks }) => {
    const slots = createSlots(limit);
    const started: number[] = [];
    const gates = Array.from({ length: tasks }, (_, i) => gate(started, i));
    const results = gates.map((g) => slots.run(g.fn));
    await settle();
    expect(started).toEqual(Array.from({ length: Math.min(limit, tasks) }, (_, i) => i));
    for (let i = 0; i < tasks; i++) {
      gates[i].release();
      await settle();
      expect(started).toEqual(Array.from({ length: Math.min(tasks, limit + i + 1) }, (_, j) => j));
    }
    expect(await Promise.all(results)).toEqual(gates.map((_, i) => i));
  });

  it("a task that fails gives its slot to the next one and reports its own error", async () => {
    const slots = createSlots(1);
    const started: number[] = [];
    const [a, b] = [gate(started, 0), gate(started, 1)];
    const first = slots.run(a.fn);
    const second = slots.run(b.fn);
    await settle();
    expect(started).toEqual([0]);
    a.fail(new Error("the database went away"));
    await expect(first).rejects.toThrow("the database went away");
    await settle();
    expect(started).toEqual([0, 1]);
    b.release();
    expect(await second).toBe(1);
  });

  it("a newcomer waits behind those already waiting, even as a slot frees", async () => {
    const slots = createSlots(1);
    const started: number[] = [];
    const [a, b, c] = [gate(started, 0), gate(started, 1), gate(started, 2)];
    void slots.run(a.fn);
    void slots.run(b.fn);
    await settle();
    a.release();
    void slots.run(c.fn);
    await settle();
    expect(started).toEqual([0, 1]);
    b.release();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    c.release();
  });
});
