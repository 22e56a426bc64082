import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { demoUser, sessionFor } from "../support/api";
import { createModel } from "../support/registry";
import { appDir, exportedMethods, filesUnder, fill, root, routeOf } from "../support/routes";

// A method a route does not serve answers 405 with a JSON error naming the methods it does, and an Allow header
// (lib/api/methods.ts), in MLflow's error format under /api/2.0/mlflow. Every route handler in app/ is walked: a new
// route file that forgets its `unservedMethods` line gets Next's empty 405 and fails here.

const ROUTE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

const handlers = filesUnder(appDir)
  .filter((f) => /[\\/]route\.ts$/.test(f))
  .map((file) => ({ file, route: routeOf(file), served: exportedMethods(readFileSync(file, "utf8")).filter((m) => (ROUTE_METHODS as readonly string[]).includes(m)) }))
  .filter((r) => r.served.length < ROUTE_METHODS.length);

function allowFor(served: string[]): string {
  const allow = new Set([...served, "OPTIONS"]);
  if (served.includes("GET")) allow.add("HEAD");
  return [...allow].sort().join(", ");
}

test("the walk finds the API's routes", () => {
  expect(handlers.length).toBeGreaterThan(80);
  expect(handlers.find((h) => h.route === "/api/v1/promotions/[id]/decisions")?.served).toEqual(["POST"]);
  expect(handlers.find((h) => h.route === "/api/2.0/mlflow/registered-models/alias")?.served).toEqual(["GET", "POST", "DELETE"]);
});

for (const { file, route, served } of handlers) {
  test(`${route}: the methods besides ${served.join(", ")} answer 405 with the JSON error`, async ({ request }) => {
    const url = fill(route);
    const mlflow = route.startsWith("/api/2.0/mlflow/");
    const label = (m: string) => `${m} ${url} (${path.relative(root, file)})`;
    for (const method of ROUTE_METHODS.filter((m) => !served.includes(m))) {
      const res = await request.fetch(url, { method, ...(method === "GET" ? {} : { data: {} }), maxRedirects: 0 });
      expect(res.status(), label(method)).toBe(405);
      expect(res.headers()["allow"], label(method)).toBe(allowFor(served));
      const body = await res.json();
      const pathname = new URL(res.url()).pathname;
      const message = `${pathname} does not take ${method}; it takes ${served.length === 1 ? served[0] : `${served.slice(0, -1).join(", ")} or ${served.at(-1)}`}.`;
      expect(body, label(method)).toEqual(mlflow ? { error_code: "BAD_REQUEST", message } : { error: { code: "method_not_allowed", message } });
    }
    const options = await request.fetch(url, { method: "OPTIONS", maxRedirects: 0 });
    expect(options.status(), label("OPTIONS")).toBe(204);
    expect(options.headers()["allow"], label("OPTIONS")).toBe(allowFor(served));
  });
}

test("signed in, a wrong method is still a 405 that says what to send, and changes nothing", async ({ baseURL }) => {
  const engineer = await sessionFor(baseURL!, demoUser("engineer"));
  const auditor = await sessionFor(baseURL!, demoUser("auditor"));
  const { name } = await createModel(engineer);
  const events = async () => (await (await auditor.get(`/api/v1/audit?model=${name}&limit=50`)).json()).items.length as number;
  const before = await events();
  expect(before).toBeGreaterThan(0);
  const res = await engineer.fetch(`/api/v1/models/${name}`, { method: "POST", data: { description: "posted where nothing takes it" } });
  expect(res.status()).toBe(405);
  expect((await res.json()).error.message).toBe(`/api/v1/models/${name} does not take POST; it takes GET.`);
  expect((await (await engineer.get(`/api/v1/models/${name}`)).json()).description).toBe("test model");
  expect(await events()).toBe(before);
});
