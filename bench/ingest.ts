// `npm run bench:ingest [-- --seconds 30 --batch 5000 --concurrency 4 --in-process]`: live-metric ingest throughput
// (target: ≥ 50,000 points/s per instance in batches of 5,000, per the rollout issue). By default over HTTP: the
// built app (`npm run build` first, or it builds) in a child process, POST /api/v1/models/{name}/metrics with a
// service token, keep-alive; `--in-process` calls ingestMetrics directly (no HTTP, no JSON parsing).
// On a throw-away embedded PostgreSQL under .data/bench-postgres, or DATABASE_URL when set (it adds a model and
// its points there). Prints figures; asserts nothing.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg("seconds", 30);
const BATCH = arg("batch", 5_000);
const CONCURRENCY = arg("concurrency", 4);
const IN_PROCESS = process.argv.includes("--in-process");
const PORT = Number(process.env.GATEHOUSE_BENCH_PORT || 3350);
const root = path.resolve(import.meta.dirname, "..");
// The set-up scripts are plain .mjs without type declarations; loaded by path.
const script = (name: string) => import(path.join(root, "scripts", "lib", name));

type Item = { version: number; metric: string; timestamp: string; value: number; dimensions: { group: string } };

/** Distinct batches made up front, so the load generator spends its time sending: 5 metrics × 4 groups × 5 minutes. */
function makeBatches(n: number, now: number): string[] {
  const metrics = ["latency_ms", "score", "live_auc", "error", "ctr_click"];
  return Array.from({ length: n }, (_, b) => {
    const items: Item[] = Array.from({ length: BATCH }, (_, i) => ({
      version: 1,
      metric: metrics[i % metrics.length],
      timestamp: new Date(now - ((i * 7919 + b * 104_729) % 300_000)).toISOString(),
      value: ((i * 31 + b) % 1000) / 10,
      dimensions: { group: "ABCD"[i % 4] },
    }));
    return JSON.stringify({ items });
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

async function main() {
  const { log } = await script("setup.mjs");
  const { startEmbedded, migrate } = await script("database.mjs");
  const database = process.env.DATABASE_URL
    ? { url: process.env.DATABASE_URL, stop: async () => {} }
    : await startEmbedded({ dir: path.join(root, ".data", "bench-postgres"), port: Number(process.env.GATEHOUSE_BENCH_PG_PORT || 54361), name: "gatehouse_bench", fresh: true });
  let server: ChildProcess | null = null;
  try {
    migrate(database.url);
    process.env.DATABASE_URL = database.url;
    process.env.NEXTAUTH_SECRET ||= randomBytes(32).toString("base64url");
    // lib/ reads its settings on first use: import it only now.
    const { db } = await import("../lib/db");
    const { createTeam } = await import("../lib/auth/teams");
    const { createToken } = await import("../lib/auth/tokens");
    const { createModel } = await import("../lib/registry/models");
    const { registerVersion } = await import("../lib/registry/versions");
    const { importAliases } = await import("../lib/registry/aliases");
    const { ingestMetrics } = await import("../lib/metrics/ingest");
    const system = { kind: "system" as const, label: "bench" };
    const suffix = randomBytes(3).toString("hex");
    const name = `bench-ingest-${suffix}`;
    await createTeam({ actor: system, input: { slug: `bench-${suffix}`, name: `Bench ${suffix}` } });
    await createModel({ actor: system, input: { name, team: `bench-${suffix}` } });
    await registerVersion({ actor: system, model: name, input: { artifact: { uri: "s3://bench/model.onnx", checksum: `sha256:${randomBytes(32).toString("hex")}` } } });
    await importAliases({ actor: system, model: name, aliases: { champion: 1 }, reason: "benchmark" });
    // Its own rate limit, far above anything one instance can ingest: the bench measures ingest, not the API limit.
    const { secret } = await createToken({ actor: system, input: { name: `bench-${suffix}`, kind: "service", scopes: ["metrics:write"], rateLimitPerMinute: 1_000_000 } });

    let send: (body: string) => Promise<void>;
    if (IN_PROCESS) {
      const actor = { kind: "service" as const, tokenId: "bench", label: "bench", scopes: ["metrics:write" as const] };
      send = async (body) => void (await ingestMetrics({ actor, model: name, input: JSON.parse(body) }));
    } else {
      const { ensureBuilt } = await script("setup.mjs");
      ensureBuilt();
      server = spawn(process.execPath, [path.join(root, "scripts", "serve.mjs")], {
        env: { ...process.env, PORT: String(PORT), HOST: "127.0.0.1", NEXTAUTH_URL: `http://127.0.0.1:${PORT}` },
        stdio: ["ignore", "inherit", "inherit"],
      });
      await waitForServer(`http://127.0.0.1:${PORT}/api/v1/health`);
      const url = `http://127.0.0.1:${PORT}/api/v1/models/${name}/metrics`;
      send = async (body) => {
        const res = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" }, body });
        if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
        await res.arrayBuffer();
      };
    }

    const batches = makeBatches(40, Date.now());
    log(`warming up, then ${SECONDS} s of batches of ${BATCH} points, ${CONCURRENCY} in flight, ${IN_PROCESS ? "in process" : "over HTTP"}`);
    for (let i = 0; i < CONCURRENCY; i++) await send(batches[i]);
    const latencies: number[] = [];
    let sent = 0;
    const started = performance.now();
    const deadline = started + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, w) => {
        for (let i = w; performance.now() < deadline; i += CONCURRENCY) {
          const t = performance.now();
          await send(batches[i % batches.length]);
          latencies.push(performance.now() - t);
          sent += BATCH;
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const model = await db.registeredModel.findUniqueOrThrow({ where: { name } });
    const raw = await db.metricPoint.count({ where: { modelId: model.id } });
    const rollups = await db.metricRollup.count({ where: { modelId: model.id } });
    const rate = sent / elapsed;
    console.log(`node ${process.version}, ${IN_PROCESS ? "in process (ingestMetrics)" : "over HTTP (next start, keep-alive)"}, batches of ${BATCH}, ${CONCURRENCY} in flight, ${elapsed.toFixed(1)} s`);
    console.log(`points/s           ${Math.round(rate).toLocaleString("en").padStart(10)}   target ≥ 50,000: ${rate >= 50_000 ? "met" : "MISSED"}`);
    console.log(`batch latency p50  ${percentile(latencies, 0.5).toFixed(1).padStart(10)} ms`);
    console.log(`batch latency p95  ${percentile(latencies, 0.95).toFixed(1).padStart(10)} ms`);
    console.log(`batches            ${latencies.length.toLocaleString("en").padStart(10)}`);
    console.log(`raw rows           ${raw.toLocaleString("en").padStart(10)}   (with the warm-up's ${(CONCURRENCY * BATCH).toLocaleString("en")})`);
    console.log(`rollup rows        ${rollups.toLocaleString("en").padStart(10)}`);
    await db.$disconnect();
  } finally {
    server?.kill("SIGTERM");
    await database.stop();
  }
}

async function waitForServer(url: string) {
  for (let i = 0; i < 600; i++) {
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server did not come up at ${url}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
