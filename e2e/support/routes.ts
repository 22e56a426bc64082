import { readdirSync } from "node:fs";
import path from "node:path";

// The app's routes as its source tree names them, for the tests that walk every route (unauthenticated.spec.ts,
// methods.spec.ts): a new route is covered without anyone listing it.

export const root = path.join(__dirname, "..", "..");
export const appDir = path.join(root, "app");
export const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** The route a file under app/ serves, as its folders name it: route groups and parallel-route slots leave no trace in the URL. */
export function routeOf(file: string): string {
  const segments = path.relative(appDir, path.dirname(file)).split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith("@"));
  return "/" + segments.join("/");
}

/**
 * The HTTP methods a route handler serves, read from its source. The line `export const { … } = unservedMethods(…)`
 * (lib/api/methods.ts: the 405s for every other method) is left out on purpose: those are not served.
 */
export function exportedMethods(text: string): string[] {
  const source = text.replace(/^export\s+const\s*\{[^}]*\}\s*=\s*unservedMethods\([^)]*\);?$/gm, "");
  const found = new Set<string>();
  for (const m of source.matchAll(/export\s+(?:async\s+)?(?:function|const|let|var)\s+([A-Z]+)\b/g)) found.add(m[1]);
  for (const m of source.matchAll(/export\s*\{([^}]*)\}/g)) for (const part of m[1].split(",")) found.add(part.trim().split(/\s+as\s+/).at(-1)!.trim());
  return METHODS.filter((m) => found.has(m));
}

// Values for dynamic segments: real demo names where there are some, so a handler that looked things up before
// checking credentials would show itself with a 200 or 404 instead of the 401.
const SEGMENT_VALUES: Record<string, string> = { name: "fraud-detector", version: "1", alias: "champion", id: "1", token: "not-a-live-invitation" };
export const PLACEHOLDER_ID = "00000000-0000-4000-8000-000000000000";

export function fill(route: string): string {
  return route
    .split("/")
    .map((s) => {
      const m = /^\[{1,2}(\.\.\.)?([^\]]+)\]{1,2}$/.exec(s);
      if (!m) return s;
      return m[1] ? "a/b" : (SEGMENT_VALUES[m[2]] ?? PLACEHOLDER_ID);
    })
    .join("/");
}
