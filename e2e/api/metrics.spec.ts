import { expect, test, type APIRequestContext } from "@playwright/test";
import pg from "pg";
import { demoUser, expectError, sessionFor, tokenClient, unique } from "../support/api";
import { createModel, versionBody } from "../support/registry";

// POST /api/v1/models/{name}/metrics as a pipeline with a metrics:write token uses it.
test.describe("live metrics ingest", () => {
  let engineer: APIRequestContext;
  let admin: APIRequestContext;
  let metrics: APIRequestContext;
  let model: string;
  const minute = Math.floor(Date.now() / 60_000) * 60_000 - 5 * 60_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  const point = (value: number, over: Record<string, unknown> = {}) => ({ version: 1, metric: "latency_ms", timestamp: iso(minute + 1_000), value, ...over });

  async function sql<T>(text: string, params: unknown[]): Promise<T[]> {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      return (await client.query(text, params)).rows as T[];
    } finally {
      await client.end();
    }
  }
  const storedPoints = async () => Number((await sql<{ n: string }>("SELECT count(*) AS n FROM metric_points p JOIN registered_models m ON m.id = p.model_id WHERE m.name = $1", [model]))[0].n);
  const rollup = async (metric: string, dims = "") =>
    (await sql<Record<string, number>>(
      `SELECT sum(items)::float8 AS items, sum(count) AS count, sum(sum) AS sum, sum(numerator) AS numerator, sum(denominator) AS denominator, sum(p_weight) AS "pWeight"
       FROM metric_rollups r JOIN registered_models m ON m.id = r.model_id WHERE m.name = $1 AND r.metric = $2 AND r.dims = $3`,
      [model, metric, dims],
    ))[0];

  test.beforeAll(async ({ baseURL }) => {
    [engineer, admin] = await Promise.all([sessionFor(baseURL!, demoUser("engineer")), sessionFor(baseURL!, demoUser("admin"))]);
    model = (await createModel(engineer)).name;
    for (let i = 0; i < 2; i++) expect((await engineer.post(`/api/v1/models/${model}/versions`, { data: versionBody() })).status()).toBe(201);
    // @champion is protected (it moves only by promotion); set it as an operator bringing a registry under Gatehouse would.
    await sql(
      `INSERT INTO model_aliases (id, model_id, name, version_id, updated_at)
       SELECT $2, m.id, 'champion', v.id, now() FROM registered_models m JOIN model_versions v ON v.model_id = m.id AND v.version = 1 WHERE m.name = $1`,
      [model, unique("alias")],
    );
    const token = await (await admin.post("/api/v1/tokens", { data: { name: unique("metrics"), kind: "service", scopes: ["metrics:write"] } })).json();
    metrics = await tokenClient(baseURL!, token.token);
  });
  test.afterAll(async () => Promise.all([engineer, admin, metrics].map((c) => c.dispose())));

  test("points, windows and counter pairs with dimensions are stored for the champion", async () => {
    const items = [
      point(12, { dimensions: { group: "A" } }),
      point(18, { dimensions: { group: "B" } }),
      { version: 1, metric: "latency_ms", windowStart: iso(minute), windowEnd: iso(minute + 60_000), count: 100, sum: 1500, min: 2, max: 90, p50: 11, p95: 40, p99: 80 },
      { version: 1, metric: "ctr", windowStart: iso(minute), windowEnd: iso(minute + 60_000), numerator: 30, denominator: 1000, dimensions: { group: "A" } },
      { version: 1, metric: "ctr", windowStart: iso(minute), windowEnd: iso(minute + 60_000), numerator: 12, denominator: 800, dimensions: { group: "B" } },
    ];
    const res = await metrics.post(`/api/v1/models/${model}/metrics`, { data: { items } });
    expect(res.status(), await res.text()).toBe(200);
    expect(await res.json()).toEqual({ accepted: 5, replayed: false, model, counts: { points: 2, windows: 1, ratios: 2 } });
    expect(await rollup("latency_ms", '{"group":"A"}')).toMatchObject({ items: 1, count: 1, sum: 12 });
    expect(await rollup("latency_ms")).toMatchObject({ items: 1, count: 100, sum: 1500, pWeight: 100 });
    expect(await rollup("ctr", '{"group":"B"}')).toMatchObject({ items: 1, numerator: 12, denominator: 800, count: 0 });
  });

  test("a batch with two bad items is refused whole, naming both, and nothing of it is stored", async () => {
    const before = await storedPoints();
    const items = [point(1), point(2, { value: "fast" }), point(3), { version: 1, metric: "ctr", windowStart: iso(minute), windowEnd: iso(minute + 60_000), numerator: 1, denominator: 0 }];
    const body = await expectError(await metrics.post(`/api/v1/models/${model}/metrics`, { data: { items } }), 400, "invalid_batch");
    expect(body.error.message).toMatch(/^2 of 4 items are invalid; nothing was ingested/);
    expect(body.error.details!.map((d) => d.path)).toEqual(["items.1.value", "items.3.denominator"]);
    expect(await storedPoints()).toBe(before);
  });

  test("a retry with the same Idempotency-Key is answered again and counted once; another body under it is a 409", async () => {
    const items = [point(5, { metric: "retried" }), point(6, { metric: "retried" })];
    const headers = { "idempotency-key": unique("batch") };
    const first = await metrics.post(`/api/v1/models/${model}/metrics`, { data: { items }, headers });
    const again = await metrics.post(`/api/v1/models/${model}/metrics`, { data: { items }, headers });
    expect(first.status()).toBe(200);
    expect(again.status()).toBe(200);
    expect(await again.json()).toEqual({ ...(await first.json()), replayed: true });
    expect(await rollup("retried")).toMatchObject({ items: 2, sum: 11 });
    await expectError(await metrics.post(`/api/v1/models/${model}/metrics`, { data: { items: [point(7, { metric: "retried" })] }, headers }), 409, "idempotency_conflict");
  });

  test("metrics for a version outside the rollout are refused with the reason", async () => {
    const before = await storedPoints();
    const body = await expectError(await metrics.post(`/api/v1/models/${model}/metrics`, { data: { items: [point(1), point(1, { version: 2 })] } }), 422, "items_refused");
    expect(body.error.details).toEqual([{ path: "items.1.version", message: expect.stringContaining(`v2 is not ${model}'s champion (v1)`) }]);
    expect(await storedPoints()).toBe(before);
  });

  test("a token without metrics:write is refused; so is a model it cannot know", async ({ baseURL }) => {
    const token = await (await admin.post("/api/v1/tokens", { data: { name: unique("reader"), kind: "service", scopes: ["registry:read"] } })).json();
    const reader = await tokenClient(baseURL!, token.token);
    await expectError(await reader.post(`/api/v1/models/${model}/metrics`, { data: { items: [point(1)] } }), 403, "forbidden");
    await reader.dispose();
    await expectError(await metrics.post(`/api/v1/models/no-such-model/metrics`, { data: { items: [point(1)] } }), 404);
  });

  test("a full batch of 10,000 (over 1 MB) is taken; 10,001 items are refused", async () => {
    const items = Array.from({ length: 10_000 }, (_, i) => point(i, { metric: "bulk", dimensions: { group: `g${i % 10}` } }));
    expect(JSON.stringify({ items }).length).toBeGreaterThan(1024 * 1024);
    const res = await metrics.post(`/api/v1/models/${model}/metrics`, { data: { items } });
    expect(res.status(), await res.text()).toBe(200);
    expect((await res.json()).accepted).toBe(10_000);
    const body = await expectError(await metrics.post(`/api/v1/models/${model}/metrics`, { data: { items: [...items, point(1)] } }), 400, "invalid_input");
    expect(body.error.details![0].path).toBe("items");
  });
});
