// `npm run bench:data [-- --scale full|tiny]`: installs what is missing, then writes the benchmark's data set
// (bench/lib/data.ts; bench/README.md says what is in it).
import { ensureInstalled } from "../scripts/lib/setup.mjs";

ensureInstalled();
const { ensurePrismaClient, run } = await import("../scripts/lib/setup.mjs");
const { tsxArgs } = await import("../scripts/lib/boot.mjs");
ensurePrismaClient();
try {
  run(process.execPath, ["--max-old-space-size=6144", ...tsxArgs, new URL("./lib/data.ts", import.meta.url).pathname, ...process.argv.slice(2)]);
} catch {
  process.exit(1);
}
