import { describe, expect, it } from "vitest";
import { chunkPaths } from "./bundle.mjs";

// Pieces of what `next build` (Next 16, Turbopack) serves for a dashboard page, cut down.
const NONCE = 'nonce="eEv16z/F8JFqlcS3KYZsBA=="';
const scriptTag = (file: string, attrs = 'async=""') => `<script src="/_next/static/chunks/${file}" ${attrs} ${NONCE}></script>`;
const bootstrap = (files: string[]) =>
  `<script ${NONCE}>(globalThis.TURBOPACK || (globalThis.TURBOPACK = [])).push({"otherChunks":[${files.map((f) => `"static/chunks/${f}"`).join(",")}],"runtimeModuleIds":[94553]});</script>`;
/** A flight-data row as it appears in the HTML: a JS string literal, so its quotes are escaped. */
const flight = (payload: string) => `<script ${NONCE}>self.__next_f.push([1,${JSON.stringify(payload)}])</script>`;

describe("chunkPaths", () => {
  it.each([
    { name: "no scripts", html: "<html><body><p>Models</p></body></html>", expected: [] },
    {
      name: "script tags",
      html: scriptTag("29crn2tgz4jl1.js") + scriptTag("turbopack-077hmtqrhcoji.js"),
      expected: ["static/chunks/29crn2tgz4jl1.js", "static/chunks/turbopack-077hmtqrhcoji.js"],
    },
    {
      name: "the Turbopack bootstrap's otherChunks",
      html: bootstrap(["310vm2bl3xxpt.js", "3kqp_k6az93-s.js"]),
      expected: ["static/chunks/310vm2bl3xxpt.js", "static/chunks/3kqp_k6az93-s.js"],
    },
    {
      name: "flight data: chunk rows with escaped quotes, and the client references that point at them",
      html: flight('1:"/_next/static/chunks/2y_mlzubqzvrg.js"\n2:"/_next/static/chunks/1k46fdv4c0wh3.js"\n9:I[8477,["$1","$2"],"Providers"]\n'),
      expected: ["static/chunks/1k46fdv4c0wh3.js", "static/chunks/2y_mlzubqzvrg.js"],
    },
    {
      name: "flight data with escaped slashes",
      html: `<script>self.__next_f.push([1,"21:\\"\\/_next\\/static\\/chunks\\/0r91gtna9hag-.js\\"\\n22:\\"\\u002F_next\\u002Fstatic\\u002Fchunks\\u002F1is_xr6gcxj-z.js\\"\\n"])</script>`,
      expected: ["static/chunks/0r91gtna9hag-.js", "static/chunks/1is_xr6gcxj-z.js"],
    },
    {
      name: "duplicates: a tag, its preload link and its flight row name one chunk",
      html:
        `<link rel="preload" as="script" fetchPriority="low" ${NONCE} href="/_next/static/chunks/310vm2bl3xxpt.js"/>` +
        scriptTag("310vm2bl3xxpt.js") +
        bootstrap(["310vm2bl3xxpt.js"]) +
        flight('[["$","script","script-0",{"src":"/_next/static/chunks/310vm2bl3xxpt.js","async":true}]]'),
      expected: ["static/chunks/310vm2bl3xxpt.js"],
    },
    {
      name: "stylesheets, icons, source maps and JSON are not JavaScript",
      html:
        `<link rel="stylesheet" href="/_next/static/chunks/0t6k6-p1dbjpb.css" ${NONCE} data-precedence="next"/>` +
        `<link rel="icon" href="/icon.svg?icon.3l80u0k2f5q0x.svg"/>` +
        flight(':HL["/_next/static/chunks/0t6k6-p1dbjpb.css","style"]\n3:"/_next/static/chunks/2pqk3nva6wtfi.js.map"\n4:"/_next/static/media/data.json"\n'),
      expected: [],
    },
    {
      name: "the noModule polyfills: only browsers without ES modules load them",
      html: scriptTag("0cz1d0mv5g_q7.js", `noModule=""`) + scriptTag("1is_xr6gcxj-z.js"),
      expected: ["static/chunks/1is_xr6gcxj-z.js"],
    },
    {
      name: "sorted, with a deployment id's query string left off",
      html: scriptTag("zz.js?dpl=abc") + scriptTag("aa.js"),
      expected: ["static/chunks/aa.js", "static/chunks/zz.js"],
    },
  ])("$name", ({ html, expected }) => {
    expect(chunkPaths(html)).toEqual(expected);
  });
});
