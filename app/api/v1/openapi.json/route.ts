// GET /api/v1/openapi.json
import { unservedMethods } from "@/lib/api/methods";
import { openApiDocument } from "@/lib/api/openapi";

// Built once per process, on first request: the document only changes with the code. (Not prerendered: a route
// that answers other methods, as every route does with its 405s, is dynamic to Next.)
let body: string | undefined;

export function GET() {
  body ??= JSON.stringify(openApiDocument());
  return new Response(body, { headers: { "content-type": "application/json" } });
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET"]);
