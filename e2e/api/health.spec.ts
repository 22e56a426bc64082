import { expect, test } from "@playwright/test";

test("health is public and reports the database, migrations and version", async ({ request }) => {
  const res = await request.get("/api/v1/health");
  expect(res.status()).toBe(200);
  expect(res.headers()["cache-control"]).toContain("no-store");
  const body = await res.json();
  expect(body).toMatchObject({ status: "ok", database: { reachable: true }, migrations: { current: true, pending: [] } });
  expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
  expect(body.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  expect(body.migrations.applied).toBeGreaterThan(0);
});
