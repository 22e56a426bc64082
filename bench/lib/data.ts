// `npm run bench:data [-- --scale full|tiny]`: the benchmark's organisation in its own database (bench/README.md):
// the demo seeded through the use cases, then bench/lib/generate.ts's bulk data on top. On the benchmark's embedded
// PostgreSQL (.data/bench-postgres, port GATEHOUSE_BENCH_PG_PORT or 54361), database gatehouse_bench_<scale>,
// made anew each run. Prints what it wrote and how long it took; writes .data/bench-<scale>.json for `npm run bench`.
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { databaseName, scaleNamed } from "./scale";

const root = path.resolve(import.meta.dirname, "..", "..");
const script = (name: string) => import(path.join(root, "scripts", "lib", name));
const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

async function main() {
  const scale = scaleNamed(arg("scale"));
  const { log, runAsync } = await script("setup.mjs");
  const { startEmbedded, migrate } = await script("database.mjs");
  const { tsxArgs } = await script("boot.mjs");
  const started = performance.now();
  const lap = (() => {
    let t = started;
    return (what: string) => {
      const now = performance.now();
      log(`  ${what}: ${((now - t) / 1000).toFixed(1)} s`);
      t = now;
    };
  })();
  const database = await startEmbedded({ dir: path.join(root, ".data", "bench-postgres"), port: Number(process.env.GATEHOUSE_BENCH_PG_PORT || 54361), name: databaseName(scale), fresh: true });
  try {
    migrate(database.url);
    process.env.DATABASE_URL = database.url;
    process.env.NEXTAUTH_SECRET ||= randomBytes(32).toString("base64url");
    log(`the ${scale.name} organisation into ${databaseName(scale)}: the demo first…`);
    await runAsync(process.execPath, [...tsxArgs, path.join(root, "prisma", "seed.ts")], { env: { DATABASE_URL: database.url } });
    lap("demo seeded");

    // lib/ reads DATABASE_URL on first use: imported only now.
    const { db } = await import("../../lib/db");
    const { createTeam } = await import("../../lib/auth/teams");
    const { createUser } = await import("../../lib/auth/users");
    const seeder = { kind: "system" as const, label: "bench data" };
    const demo = (await import("../../prisma/demo-users.json", { with: { type: "json" } })).default;
    const lead = async (email: string) => {
      const u = await db.user.findUniqueOrThrow({ where: { email } });
      return { id: u.id, label: u.email };
    };
    const teams = [];
    for (const [slug, email] of [["payments", "lead@gatehouse.local"], ["growth", "lead-growth@gatehouse.local"], ["risk", "lead-risk@gatehouse.local"]]) {
      const t = await db.team.findUniqueOrThrow({ where: { slug } });
      teams.push({ id: t.id, slug, lead: await lead(email) });
    }
    for (let i = 1; i <= scale.extraTeams; i++) {
      const slug = `unit-${String(i).padStart(2, "0")}`;
      const team = await createTeam({ actor: seeder, input: { slug, name: `Unit ${i}`, reason: "benchmark data" } });
      const email = `lead-${slug}@bench.gatehouse.local`;
      await createUser({ actor: seeder, input: { email, name: `Lead of unit ${i}`, password: demo.password, roles: [{ role: "ml-lead", team: slug }], reason: "benchmark data" } });
      teams.push({ id: team.id, slug, lead: await lead(email) });
    }
    await db.$disconnect();
    lap("teams and their leads");

    const { default: pg } = await import("pg");
    const { generate } = await import("./generate");
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    pool.on("error", () => {}); // an idle client cut off when the database stops after a failure: the failure is reported, not this
    let result;
    try {
      result = await generate({ pool, scale, teams, now: Date.now(), log: (m: string) => log(`  ${m}`) });
    } finally {
      await pool.end();
    }
    lap("bulk data");
    const seconds = (performance.now() - started) / 1000;
    const manifest = { scale: scale.name, database: databaseName(scale), generatedAt: new Date().toISOString(), seconds: Number(seconds.toFixed(1)), counts: result };
    writeFileSync(path.join(root, ".data", `bench-${scale.name}.json`), JSON.stringify(manifest, null, 2) + "\n");
    console.log(`bench:data (${scale.name}) done in ${seconds.toFixed(1)} s (target: under 15 minutes for full)`);
    for (const [k, v] of Object.entries(result)) console.log(`  ${k.padEnd(12)} ${v.toLocaleString("en")}`);
  } finally {
    await database.stop();
  }
}

main().catch((err) => {
  console.error(`[gatehouse] bench:data failed: ${err instanceof Error ? (err.stack ?? err.message) : err}`);
  process.exit(1);
});
