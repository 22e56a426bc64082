// `npm start`: install what is missing, start the database (embedded unless DATABASE_URL is set), migrate, seed
// demo data on first run, build when sources changed, and serve on http://127.0.0.1:3000.
import { ensureInstalled, log } from "./lib/setup.mjs";

ensureInstalled();
const { prepareRuntime, printDemoSignIns, seedDemo } = await import("./lib/boot.mjs");
const { ensureBuilt } = await import("./lib/setup.mjs");
const { startServer } = await import("./lib/server.mjs");

const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOST || "127.0.0.1";
let database;
try {
  database = await prepareRuntime();
  // Demo users with a published password belong only in the local embedded database, unless asked for.
  const demo = !database.external || process.env.GATEHOUSE_SEED_DEMO === "true";
  if (demo) seedDemo();
  ensureBuilt();
  // The demo's rollouts get simulated live traffic from a job of this server process (lib/rollouts/simulate.ts).
  if (demo) process.env.GATEHOUSE_DEMO_SIMULATOR ??= "true";
  process.env.NEXTAUTH_URL ||= `http://${hostname}:${port}`;
  const server = await startServer({ port, hostname });
  if (demo) printDemoSignIns(process.env.NEXTAUTH_URL);
  else log(`Gatehouse is running on ${process.env.NEXTAUTH_URL}; create the first admin with \`npm run gatehouse -- user create --email … --name … --role admin\``);
  const shutdown = async (signal) => {
    log(`${signal}: stopping…`);
    server.close();
    await database.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
} catch (err) {
  log(`could not start: ${err instanceof Error ? err.message : String(err)}`);
  await database?.stop();
  process.exit(1);
}
