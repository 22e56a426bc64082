// The HTTP methods a route does not serve. Next answers them with an empty 405; a CI pipeline or an MLflow client
// that calls GET where POST is meant deserves to be told what the path takes instead.
export const ROUTE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type RouteMethod = (typeof ROUTE_METHODS)[number];

/** The error body's shape: Gatehouse's `{error: {code, message}}`, or MLflow's `{error_code, message}` under /api/2.0/mlflow. */
export type ErrorFormat = "gatehouse" | "mlflow";

type Handler = (request: Request) => Response;

/** What `Allow` lists for a route serving `served`: those, HEAD with GET (Next answers it from GET), and OPTIONS. */
export function allowHeader(served: readonly RouteMethod[]): string {
  const allow = new Set<string>([...served, "OPTIONS"]);
  if (served.includes("GET")) allow.add("HEAD");
  return [...allow].sort().join(", ");
}

/** The 405 body for `method` on `path`: which methods the path does take. */
export function methodNotAllowedBody(method: string, path: string, served: readonly RouteMethod[], format: ErrorFormat) {
  const takes = served.length === 1 ? served[0] : `${served.slice(0, -1).join(", ")} or ${served[served.length - 1]}`;
  const message = `${path} does not take ${method}; it takes ${takes}.`;
  return format === "mlflow" ? { error_code: "BAD_REQUEST", message } : { error: { code: "method_not_allowed", message } };
}

/**
 * Handlers for every method a route does not serve (405 with a JSON error and `Allow`), and OPTIONS (204 with
 * `Allow`). A route file exports the ones it lacks:
 * `export const { PUT, PATCH, DELETE, OPTIONS } = unservedMethods(["GET", "POST"]);`
 */
export function unservedMethods(served: readonly RouteMethod[], format: ErrorFormat = "gatehouse"): Record<RouteMethod | "OPTIONS", Handler> {
  const allow = allowHeader(served);
  const refuse: Handler = (request) =>
    Response.json(methodNotAllowedBody(request.method, new URL(request.url).pathname, served, format), { status: 405, headers: { allow } });
  const handlers = Object.fromEntries(ROUTE_METHODS.map((m) => [m, refuse])) as Record<RouteMethod | "OPTIONS", Handler>;
  handlers.OPTIONS = () => new Response(null, { status: 204, headers: { allow } });
  return handlers;
}
