// Browser tests drive Debian's Chromium: Playwright cannot download its own browser on this network.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { log, run } from "./setup.mjs";

export function findChromium() {
  for (const candidate of [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"]) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  const which = spawnSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], { encoding: "utf8" });
  return which.status === 0 ? which.stdout.trim() : null;
}

/** Installs Debian's chromium package when it is missing and we are root; otherwise says how. */
export function ensureChromium() {
  const found = findChromium();
  if (found) return found;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot) {
    throw new Error("Chromium is needed for the browser tests. Install it with `sudo apt-get install -y chromium` (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium binary, then run `npm test` again.");
  }
  log("installing Debian's chromium for the browser tests (apt-get)…");
  run("apt-get", ["update"], { env: { DEBIAN_FRONTEND: "noninteractive" }, quiet: true });
  run("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], { env: { DEBIAN_FRONTEND: "noninteractive" }, quiet: true });
  const installed = findChromium();
  if (!installed) throw new Error("apt-get installed chromium but no chromium binary was found on the PATH.");
  return installed;
}
