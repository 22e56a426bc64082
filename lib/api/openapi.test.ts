import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";

// Every REST route under app/api/v1 with its methods, read from the files, must be in the document.
function routes(dir: string, prefix = "/api/v1"): { path: string; methods: string[] }[] {
  const out: { path: string; methods: string[] }[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...routes(full, `${prefix}/${entry.replace(/^\[(.+)\]$/, "{$1}")}`));
    else if (entry === "route.ts") {
      // Served methods only: `export const { … } = unservedMethods(…)` (the 405s) does not match.
      const text = readFileSync(full, "utf8");
      out.push({ path: prefix, methods: [...text.matchAll(/export (?:const|function|async function) (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1].toLowerCase()) });
    }
  }
  return out;
}

describe("the OpenAPI document", () => {
  const doc = openApiDocument();

  it("is OpenAPI 3.1 with bearer auth and an error schema", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it("describes request bodies from the route schemas, with required fields", () => {
    const op = doc.paths["/api/v1/models/{name}/versions"].post as { requestBody: { content: { "application/json": { schema: { required: string[]; properties: Record<string, unknown> } } } } };
    const schema = op.requestBody.content["application/json"].schema;
    expect(schema.required).toContain("artifact");
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["artifact", "lineage", "environment", "signature"]));
    const report = doc.paths["/api/v1/models/{name}/versions/{version}/reports"].post as { requestBody: { content: { "application/json": { schema: { oneOf?: unknown[]; anyOf?: unknown[] } } } } };
    const variants = report.requestBody.content["application/json"].schema.oneOf ?? report.requestBody.content["application/json"].schema.anyOf;
    expect(variants).toHaveLength(9);
  });

  it("says which operations may answer 429 and a token's own rate limit (docs/rate-limits.md)", () => {
    type Op = { responses: Record<string, { headers?: Record<string, unknown> }>; requestBody?: { content: { "application/json": { schema: { properties: Record<string, unknown> } } } } };
    const ops = doc.paths as unknown as Record<string, Record<string, Op>>;
    expect(Object.keys(ops["/api/v1/models"].get.responses["429"].headers ?? {})).toContain("Retry-After");
    expect(ops["/api/v1/health"].get.responses).not.toHaveProperty("429");
    expect(ops["/api/v1/tokens"].post.requestBody!.content["application/json"].schema.properties).toHaveProperty("rateLimitPerMinute");
    expect(doc.components.schemas.ApiToken.properties).toHaveProperty("rateLimitPerMinute");
  });

  it("documents every REST route and method there is, and nothing that is not there", () => {
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`)).sort();
    const served = routes(path.join(import.meta.dirname, "../../app/api/v1")).flatMap((r) => r.methods.map((m) => `${m} ${r.path}`)).sort();
    expect(documented).toEqual(served);
  });
});
