// `npm run serve`: production start. Applies migrations and serves an existing build; no install, no demo data.
// Run one per instance behind a load balancer, all with the same DATABASE_URL and NEXTAUTH_SECRET.
import { existsSync } from "node:fs";
import path from "node:path";
import { prepareRuntime } from "./lib/boot.mjs";
import { log, root } from "./lib/setup.mjs";
import { startServer } from "./lib/server.mjs";

if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
  log("no build found: run `npm run build` first");
  process.exit(1);
}
const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOST || "0.0.0.0";
const database = await prepareRuntime();
const server = await startServer({ port, hostname });
log(`serving on ${hostname}:${port}`);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, async () => {
    server.close();
    await database.stop();
    process.exit(0);
  });
}
