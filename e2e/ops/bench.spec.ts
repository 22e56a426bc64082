import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { root } from "./support/cluster";

// The benchmark's smoke pass (bench/README.md): the tiny data set, one run of every section with short durations.
// It must complete and print every figure; it asserts no timing (the figures of a 1-second run on a shared CI
// machine mean nothing, and targets belong to `npm run bench`, not to the tests).
const testPg = Number(process.env.GATEHOUSE_TEST_PG_PORT || 54331);

const SECTIONS: Record<string, RegExp[]> = {
  serving: [/^alias lookup: Gatehouse \/ bare Node$/, /^alias lookup: p99$/, /^routing lookup: Gatehouse \/ bare Node$/, /^routing lookup: p99$/, /^after an alias move: new version seen in$/, /^after an alias move: p99$/],
  pages: ["models list", "model page \\(20 versions\\)", "version page", "approvals inbox", "audit log, first page", "audit log, deep page \\(cursor\\)", "rollout page"].flatMap((p) => [new RegExp(`^${p}: p50$`), new RegExp(`^${p}: p95$`)]),
  chart: [/^rollout series, whole rollout: p95$/],
  ingest: [/^points\/s sustained/],
  audit: [/^chain verification$/, /^CSV export of the whole log: peak RSS growth$/],
  bundle: [/^first-load JS \/models$/, /^first-load JS \/rollouts\/cbro0+$/],
  "cold start": [/^npm start to the first page$/, /^embedded PostgreSQL start-up$/],
};

test("npm run bench -- --smoke completes and prints every figure", async () => {
  test.setTimeout(600_000);
  const results = mkdtempSync(path.join(os.tmpdir(), "gatehouse-bench-"));
  try {
    const child = spawn(process.execPath, [path.join(root, "bench", "run.mjs"), "--smoke", "--results", results], {
      cwd: root,
      env: { ...process.env, GATEHOUSE_BENCH_PORT: "3140", GATEHOUSE_BENCH_PG_PORT: String(testPg + 3) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code, `bench --smoke exited ${code}; its output:\n${out}\n${err.slice(-4000)}`).toBe(0);

    const [file] = readdirSync(results);
    const result = JSON.parse(readFileSync(path.join(results, file), "utf8")) as { scale: string; runs: number; machine: { cores: number }; rows: { section: string; name: string; value: number | null; note: string; failure: string | null }[] };
    expect(result).toMatchObject({ scale: "tiny", runs: 1 });
    expect(result.machine.cores).toBeGreaterThan(0);
    // Nothing failed, functionally (an error answer, a wrong body, a skipped cache, a wrong export), and every figure
    // has a value. Targets are not judged here.
    expect(result.rows.filter((r) => r.failure !== null || r.value === null), JSON.stringify(result.rows, null, 1)).toEqual([]);
    for (const [section, names] of Object.entries(SECTIONS)) {
      const rows = result.rows.filter((r) => r.section === section);
      for (const name of names) expect(rows.map((r) => r.name), `${section}: ${name}`).toContainEqual(expect.stringMatching(name));
    }
    // The printed table has a line for every row, and says where the JSON went.
    for (const r of result.rows) expect(out).toContain(r.name);
    expect(out).toContain(`written to `);
    expect(out).toMatch(/machine: .+, \d+ cores/);
  } finally {
    rmSync(results, { recursive: true, force: true });
  }
});
