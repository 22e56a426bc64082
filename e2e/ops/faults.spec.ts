import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIRequestContext, APIResponse } from "@playwright/test";
import { demoUser, sessionFor, tokenClient, unique } from "../support/api";
import { stagingReadyModel, versionBody } from "../support/registry";
import { COMMENT, JUSTIFICATION, ONE_LEAD, expect, test, type Cluster, type Instance } from "./support/cluster";

// Faults while requests flow: PostgreSQL stopped and started again under a running server, and the server itself
// killed with SIGKILL in the middle of approvals and ingests. Acknowledged means a 2xx answer.

const BATCH = 500;

type Seen = { what: string; status: number; body: string };

/** Calls that failed to reach the server at all (a killed process) count as unacknowledged, never as answers. */
async function attempt(what: string, call: () => Promise<APIResponse>, seen: Seen[]): Promise<APIResponse | null> {
  try {
    const res = await call();
    seen.push({ what, status: res.status(), body: await res.text() });
    return res;
  } catch {
    return null;
  }
}

/** A stream of approvals, version registrations, reads and serving lookups, until `stop()`. */
function traffic(o: { engineer: APIRequestContext; lead: APIRequestContext; serving: APIRequestContext; requests: { id: string; model: string }[]; model: string }) {
  const seen: Seen[] = [];
  const approved = new Set<string>();
  const versions = new Set<number>();
  const batches = { sent: [] as string[], acknowledged: new Set<string>() };
  let running = true;
  const loops = [
    (async () => {
      for (const r of o.requests) {
        if (!running) break;
        const res = await attempt("approve", () => o.lead.post(`/api/v1/promotions/${r.id}/decisions`, { data: { decision: "approve", comment: COMMENT } }), seen);
        if (res?.status() === 201) approved.add(r.id);
        await new Promise((w) => setTimeout(w, 150));
      }
    })(),
    (async () => {
      while (running) {
        const res = await attempt("register", () => o.engineer.post(`/api/v1/models/${o.model}/versions`, { data: versionBody() }), seen);
        if (res?.status() === 201) versions.add((await res.json()).version);
        await new Promise((w) => setTimeout(w, 100));
      }
    })(),
    (async () => {
      // Metric batches, each under its own metric name and Idempotency-Key, so each is whole or absent in the table.
      for (let n = 0; running; n++) {
        const metric = `batch_${n}`;
        const at = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000).toISOString();
        const items = Array.from({ length: BATCH }, (_, i) => ({ version: 1, metric, timestamp: at, value: i }));
        batches.sent.push(metric);
        const res = await attempt("ingest", () => o.serving.post(`/api/v1/models/${o.model}/metrics`, { data: { items }, headers: { "idempotency-key": metric } }), seen);
        if (res?.status() === 200) batches.acknowledged.add(metric);
        await new Promise((w) => setTimeout(w, 50));
      }
    })(),
    (async () => {
      while (running) {
        await attempt("read", () => o.engineer.get("/api/v1/models?limit=5"), seen);
        await attempt("serve", () => o.serving.get(`/api/v1/models/${o.model}/aliases/candidate`), seen);
        await new Promise((w) => setTimeout(w, 50));
      }
    })(),
  ];
  return {
    seen,
    approved,
    versions,
    batches,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

async function prepare(cluster: Cluster, a: Instance, n: number) {
  const [admin, engineer, lead] = await Promise.all((["admin", "engineer", "lead"] as const).map((r) => sessionFor(a.url, demoUser(r))));
  const token = (await (await admin.post("/api/v1/tokens", { data: { name: unique("serving"), kind: "service", scopes: ["serving:read", "metrics:write"] } })).json()).token as string;
  const requests: { model: string; id: string }[] = [];
  // A few at a time: this is set-up, not the load under test.
  for (let i = 0; i < n; i += 5) {
    const models = await Promise.all(Array.from({ length: Math.min(5, n - i) }, () => stagingReadyModel({ engineer, admin, policy: ONE_LEAD, comment: "one ML Lead", versions: 1 })));
    for (const model of models) {
      const res = await engineer.post("/api/v1/promotions", { data: { model, version: 1, stage: "staging", justification: JUSTIFICATION } });
      expect(res.status(), await res.text()).toBe(201);
      requests.push({ model, id: (await res.json()).id });
    }
  }
  const model = unique("stream");
  expect((await engineer.post("/api/v1/models", { data: { name: model, team: "payments", description: "versions registered during faults" } })).status()).toBe(201);
  expect((await engineer.post(`/api/v1/models/${model}/versions`, { data: versionBody() })).status()).toBe(201);
  expect((await engineer.put(`/api/v1/models/${model}/aliases/candidate`, { data: { version: 1 } })).status()).toBe(200);
  // Live metrics are taken for the versions serving traffic: make v1 the champion, as an operator adopting a registry would.
  await cluster.query(
    `INSERT INTO model_aliases (id, model_id, name, version_id, updated_at)
     SELECT 'ops-' || m.id, m.id, 'champion', v.id, now() FROM registered_models m JOIN model_versions v ON v.model_id = m.id AND v.version = 1 WHERE m.name = $1`,
    [model],
  );
  return { admin, engineer, lead, token, requests, model };
}

/** Every request is either wholly applied (status, one alias move, one audit event each) or untouched. */
async function expectWholeOrNothing(cluster: Cluster, requests: { id: string; model: string }[], acknowledged: Set<string>) {
  for (const r of requests) {
    const [row] = await cluster.query<{ status: string }>("SELECT status FROM promotion_requests WHERE id = $1", [r.id]);
    const [{ n: decisions }] = await cluster.query<{ n: number }>("SELECT count(*)::int AS n FROM promotion_decisions WHERE request_id = $1", [r.id]);
    const [{ n: moves }] = await cluster.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'alias.set' AND target_id = $1", [`${r.model}@staging`]);
    const [{ n: applied }] = await cluster.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'promotion.applied' AND target_id = $1", [r.id]);
    const [alias] = await cluster.query<{ version: number }>(
      "SELECT v.version FROM model_aliases a JOIN model_versions v ON v.id = a.version_id JOIN registered_models m ON m.id = a.model_id WHERE m.name = $1 AND a.name = 'staging'",
      [r.model],
    );
    const state = { status: row.status, decisions, moves, applied, alias: alias?.version ?? null };
    if (acknowledged.has(r.id) || row.status === "applied") expect(state, r.model).toEqual({ status: "applied", decisions: 1, moves: 1, applied: 1, alias: 1 });
    else expect(state, r.model).toEqual({ status: "awaiting-approval", decisions: 0, moves: 0, applied: 0, alias: null });
  }
}

async function expectBatches(cluster: Cluster, model: string, batches: { sent: string[]; acknowledged: Set<string> }) {
  const rows = await cluster.query<{ metric: string; n: number }>(
    "SELECT p.metric, count(*)::int AS n FROM metric_points p JOIN registered_models m ON m.id = p.model_id WHERE m.name = $1 GROUP BY p.metric",
    [model],
  );
  const stored = new Map(rows.map((r) => [r.metric, r.n]));
  for (const metric of batches.sent) {
    if (batches.acknowledged.has(metric)) expect(stored.get(metric), metric).toBe(BATCH);
    else expect([undefined, BATCH], metric).toContain(stored.get(metric));
  }
}

async function expectVersions(cluster: Cluster, model: string, acknowledged: Set<number>) {
  const stored = (await cluster.query<{ version: number }>("SELECT v.version FROM model_versions v JOIN registered_models m ON m.id = v.model_id WHERE m.name = $1 ORDER BY 1", [model])).map((r) => r.version);
  for (const v of acknowledged) expect(stored, `acknowledged version ${v}`).toContain(v);
  // Numbers are contiguous: an unacknowledged registration is wholly present or absent, never a gap or a half.
  expect(stored).toEqual(stored.map((_, i) => i + 1));
  const [{ n }] = await cluster.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM model_versions v JOIN registered_models m ON m.id = v.model_id WHERE m.name = $1 AND NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.action = 'version.register' AND e.target_id = v.id)",
    [model],
  );
  expect(n, "versions without their audit event").toBe(0);
}

test("a database outage: 503s with JSON and a friendly page, health says down, recovery without a restart", async ({ cluster, browser }) => {
  const a = await cluster.start({ name: "A" });
  const { admin, engineer, lead, token, requests, model } = await prepare(cluster, a, 40);
  const serving = await tokenClient(a.url, token);
  const flow = traffic({ engineer, lead, serving, requests, model });
  await new Promise((w) => setTimeout(w, 1_500));

  await cluster.postgres.stop();
  const stoppedAt = flow.seen.length;
  // Requests keep flowing against the stopped database for a few seconds.
  await new Promise((w) => setTimeout(w, 4_000));
  const health = await fetch(`${a.url}/api/v1/health`);
  expect(health.status).toBe(503);
  expect(await health.json()).toMatchObject({ status: "down", database: { reachable: false } });
  const direct = await fetch(`${a.url}/api/v1/models`, { headers: { authorization: `Bearer ${token}` } });
  expect(direct.status).toBe(503);
  expect(direct.headers.get("retry-after")).toBe("5");
  expect(await direct.json()).toEqual({ error: { code: "unavailable", message: expect.stringContaining("database is unavailable") } });

  // A person in the browser sees a page that explains and retries by itself.
  const context = await browser.newContext({ baseURL: a.url });
  await context.addCookies((await admin.storageState()).cookies);
  const page = await context.newPage();
  const shown = await page.goto("/models");
  expect(shown?.status()).toBe(503);
  await expect(page.getByRole("heading", { name: "Gatehouse cannot reach its database right now" })).toBeVisible();
  await expect(page.getByText("tries again every 10 seconds")).toBeVisible();

  await cluster.postgres.start();
  // Back without restarting the server process.
  await expect.poll(async () => (await fetch(`${a.url}/api/v1/health`)).status, { timeout: 30_000 }).toBe(200);
  await expect.poll(async () => (await page.reload())?.status(), { timeout: 15_000 }).toBe(200);
  await expect(page.getByRole("heading", { name: "Models", exact: true })).toBeVisible();
  await new Promise((w) => setTimeout(w, 1_500));
  await flow.stop();

  const during = flow.seen.slice(stoppedAt);
  const tally = (list: Seen[]) => {
    const counts = new Map<string, number>();
    for (const x of list) counts.set(`${x.what} ${x.status}`, (counts.get(`${x.what} ${x.status}`) ?? 0) + 1);
    return [...counts].map(([k, n]) => `${k}: ${n}`).join(", ");
  };
  console.log(`outage: before ${tally(flow.seen.slice(0, stoppedAt))}; from the stop on ${tally(during)}`);
  // Every answer during the outage was a success from just before it or a 503 with the JSON error; never a 500.
  const bad = flow.seen.filter((s) => !(s.status < 300 || s.status === 409 || s.status === 503));
  expect(bad, JSON.stringify(bad.slice(0, 3))).toEqual([]);
  const unavailable = flow.seen.filter((s) => s.status === 503);
  expect(unavailable.length).toBeGreaterThan(0);
  for (const s of unavailable) expect(JSON.parse(s.body)).toMatchObject({ error: { code: "unavailable" } });
  expect(during.some((s) => s.status < 300), "traffic succeeded again after the outage").toBe(true);
  for (const s of flow.seen) expect(s.body).not.toMatch(/at .*\.(js|ts|mjs):\d+/);

  await expectWholeOrNothing(cluster, requests, flow.approved);
  await expectVersions(cluster, model, flow.versions);
  await expectBatches(cluster, model, flow.batches);
  expect((await (await admin.get("/api/v1/audit/verify")).json()).ok).toBe(true);
  // And it still works: a decision now goes through.
  // (One whose approval was cut off may have committed all the same, with its answer lost: pick one still waiting.)
  const waiting = new Set((await cluster.query<{ id: string }>("SELECT id FROM promotion_requests WHERE status = 'awaiting-approval'")).map((r) => r.id));
  const left = requests.find((r) => waiting.has(r.id));
  if (left) expect((await lead.post(`/api/v1/promotions/${left.id}/decisions`, { data: { decision: "approve", comment: COMMENT } })).status()).toBe(201);
  await context.close();
  await Promise.all([admin, engineer, lead, serving].map((c) => c.dispose()));
});

test("SIGKILL in the middle of approvals and ingests: every acknowledged change is there, nothing half-written", async ({ cluster }) => {
  const a = await cluster.start({ name: "A" });
  const { admin, engineer, lead, token, requests, model } = await prepare(cluster, a, 40);
  const serving = await tokenClient(a.url, token);
  const flow = traffic({ engineer, lead, serving, requests, model });
  await new Promise((w) => setTimeout(w, 4_000));
  await a.kill();
  await flow.stop();
  console.log(`crash: ${flow.approved.size} approvals, ${flow.versions.size} versions and ${flow.batches.acknowledged.size} of ${flow.batches.sent.length} metric batches acknowledged before the kill`);
  expect(flow.approved.size).toBeGreaterThan(0);
  expect(flow.versions.size).toBeGreaterThan(0);

  // The same database, a new process (as a supervisor would restart it).
  const b = await cluster.start({ name: "B (restarted)" });
  const auditor = await sessionFor(b.url, demoUser("auditor"));
  await expectWholeOrNothing(cluster, requests, flow.approved);
  await expectVersions(cluster, model, flow.versions);
  await expectBatches(cluster, model, flow.batches);
  expect(flow.batches.acknowledged.size).toBeGreaterThan(0);
  expect((await (await auditor.get("/api/v1/audit/verify")).json()).ok).toBe(true);
  await Promise.all([admin, engineer, lead, serving, auditor].map((c) => c.dispose()));
});

test("webhook receivers that hang or are down never hold up a promotion; their deliveries retry with backoff", async ({ cluster }) => {
  const a = await cluster.start({ name: "A" });
  // One receiver accepts connections and never answers; the other address has nothing listening.
  const held: ServerResponse[] = [];
  const hanging = createServer((_req, res) => void held.push(res));
  await new Promise<void>((r) => hanging.listen(0, "127.0.0.1", r));
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
  const downPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  try {
    const { admin, lead, requests } = await prepare(cluster, a, 4);
    const hook = async (url: string) => {
      const res = await admin.post("/api/v1/webhooks", { data: { url, events: ["promotion.applied"], description: unique("hook") } });
      expect(res.status(), await res.text()).toBe(201);
      return (await res.json()).id as string;
    };
    await hook(`http://127.0.0.1:${(hanging.address() as AddressInfo).port}/hook`);
    const down = await hook(`http://127.0.0.1:${downPort}/hook`);

    const decide = (id: string) => lead.post(`/api/v1/promotions/${id}/decisions`, { data: { decision: "approve", comment: COMMENT } });
    const first = await decide(requests[0].id);
    expect(first.status()).toBe(201);
    expect((await first.json()).status).toBe("applied");
    await expect.poll(() => held.length, { timeout: 15_000 }).toBeGreaterThan(0);
    // The receiver still holds its delivery open, and the next promotions apply all the same.
    for (const r of requests.slice(1)) {
      const res = await decide(r.id);
      expect(res.status()).toBe(201);
      expect((await res.json()).status).toBe("applied");
    }
    expect(held.filter((res) => !res.writableEnded).length).toBeGreaterThan(0);

    type Delivery = { status: string; attempts: number; lastError: string | null; lastAttemptAt: string | null; nextAttemptAt: string | null };
    const deliveries = async () => (await (await admin.get(`/api/v1/webhooks/${down}/deliveries?limit=100`)).json()).items as Delivery[];
    await expect.poll(async () => (await deliveries()).filter((d) => d.attempts >= 1).length, { timeout: 20_000 }).toBe(requests.length);
    for (const d of await deliveries()) {
      expect(d).toMatchObject({ status: "pending", lastError: expect.any(String) });
      // The first retry waits 30 s with equal jitter: between 15 and 30 s after the failed attempt.
      const wait = Date.parse(d.nextAttemptAt!) - Date.parse(d.lastAttemptAt!);
      expect(wait).toBeGreaterThanOrEqual(15_000);
      expect(wait).toBeLessThanOrEqual(30_000);
    }
    await admin.dispose();
    await lead.dispose();
  } finally {
    for (const res of held) res.destroy();
    hanging.closeAllConnections();
    await new Promise<void>((r) => hanging.close(() => r()));
  }
});
