import { describe, expect, it } from "vitest";
import { allowHeader, methodNotAllowedBody, unservedMethods, type RouteMethod } from "./methods";

describe("allowHeader", () => {
  it.each<[RouteMethod[], string]>([
    [["GET"], "GET, HEAD, OPTIONS"],
    [["POST"], "OPTIONS, POST"],
    [["GET", "POST"], "GET, HEAD, OPTIONS, POST"],
    [["DELETE", "GET", "PATCH"], "DELETE, GET, HEAD, OPTIONS, PATCH"],
    [["PUT", "DELETE"], "DELETE, OPTIONS, PUT"],
  ])("%j → %s", (served, want) => expect(allowHeader(served)).toBe(want));
});

describe("methodNotAllowedBody", () => {
  it.each<[string, string, RouteMethod[], "gatehouse" | "mlflow", unknown]>([
    ["GET", "/api/v1/promotions/x/decisions", ["POST"], "gatehouse", { error: { code: "method_not_allowed", message: "/api/v1/promotions/x/decisions does not take GET; it takes POST." } }],
    ["PUT", "/api/v1/models", ["GET", "POST"], "gatehouse", { error: { code: "method_not_allowed", message: "/api/v1/models does not take PUT; it takes GET or POST." } }],
    ["PATCH", "/api/v1/x", ["GET", "PUT", "DELETE"], "gatehouse", { error: { code: "method_not_allowed", message: "/api/v1/x does not take PATCH; it takes GET, PUT or DELETE." } }],
    ["GET", "/api/2.0/mlflow/registered-models/create", ["POST"], "mlflow", { error_code: "BAD_REQUEST", message: "/api/2.0/mlflow/registered-models/create does not take GET; it takes POST." }],
  ])("%s %s", (method, path, served, format, want) => expect(methodNotAllowedBody(method, path, served, format)).toEqual(want));
});

describe("unservedMethods", () => {
  it("answers 405 with the JSON error and Allow, whatever the method asked", async () => {
    const { PUT } = unservedMethods(["GET", "POST"]);
    const res = PUT(new Request("http://x.test/api/v1/models?q=1", { method: "PUT" }));
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS, POST");
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ error: { code: "method_not_allowed", message: "/api/v1/models does not take PUT; it takes GET or POST." } });
  });

  it("answers OPTIONS with 204 and Allow", () => {
    const res = unservedMethods(["DELETE"], "mlflow").OPTIONS(new Request("http://x.test/a", { method: "OPTIONS" }));
    expect(res.status).toBe(204);
    expect(res.headers.get("allow")).toBe("DELETE, OPTIONS");
  });
});
