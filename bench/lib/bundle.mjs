// Browser weight: first-load JavaScript per dashboard route, gzipped, from the build output. The running server
// names the chunks a route loads (its HTML); their bytes come from the files under .next/static.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

/**
 * The JavaScript chunks an HTML page loads on first load, as paths relative to .next/ ("static/chunks/x.js"), sorted
 * and unique. Next 16 (Turbopack) names them in three places, all of which this reads:
 * - `<script src="/_next/static/chunks/x.js">` tags (the runtime and framework chunks);
 * - the inline Turbopack bootstrap, `{"otherChunks":["static/chunks/x.js", …]}`;
 * - the flight data, `self.__next_f.push([1,"1:\"/_next/static/chunks/x.js\"\n…I[68027,[\"$1\",…]…"])`, whose
 *   rows are the client components' chunks (quotes escaped; slashes may be too, as `\/` or `\u002F`).
 * `<script noModule>` tags are left out: only browsers without ES modules run them (the polyfills), as Next's own
 * first-load figure leaves them out. Stylesheets, images and other assets are not JavaScript and are ignored.
 */
export function chunkPaths(html) {
  const text = String(html)
    .replace(/<script\b[^>]*\bnomodule\b[^>]*>\s*<\/script>/gi, "")
    .replace(/\\u002[fF]/g, "/")
    .replace(/\\+\//g, "/");
  const found = new Set();
  for (const m of text.matchAll(/(?:\/_next\/|(?<![\w/.-]))(static\/[\w\-.~@%/]+?\.js)(?![\w.-])/g)) found.add(m[1]);
  return [...found].sort();
}

/**
 * For each route (a path such as "/models"): GET it from `base` as the signed-in session `cookie` (a whole Cookie
 * header), collect its first-load chunks (chunkPaths), and add up their sizes as built in `root`/.next/static:
 * `files` is how many chunks, `chunks` which (paths relative to .next/).
 * `gzipBytes` is each file gzipped on its own at level 9, which is what a CDN would serve (and cache) for it.
 */
export async function measureBundles({ base, cookie, routes, root }) {
  const results = [];
  for (const route of routes) {
    const url = new URL(route, base).href;
    const res = await fetch(url, { headers: { cookie, accept: "text/html" }, redirect: "manual" });
    if (res.status >= 300 && res.status < 400) {
      const location = res.headers.get("location") ?? "";
      await res.body?.cancel();
      if (/\/signin\b/.test(location)) throw new Error(`GET ${route} redirected to sign-in (${location}): the cookie is not a valid session`);
      throw new Error(`GET ${route} redirected to ${location}, not a page`);
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`GET ${route} answered ${res.status}${/^\s*</.test(html) ? "" : `: ${html.slice(0, 300)}`}`);
    const chunks = chunkPaths(html);
    if (chunks.length === 0) throw new Error(`GET ${route} named no JavaScript chunks: is ${base} a Next.js production server?`);
    let bytes = 0;
    let gzipBytes = 0;
    for (const file of chunks) {
      const full = path.join(root, ".next", file);
      if (!existsSync(full)) throw new Error(`${route} loads /_next/${file}, which is not in ${path.join(root, ".next")}: the server runs another build`);
      const content = readFileSync(full);
      bytes += content.length;
      gzipBytes += gzipSync(content, { level: 9 }).length;
    }
    results.push({ route, files: chunks.length, chunks, bytes, gzipBytes });
  }
  return results;
}
