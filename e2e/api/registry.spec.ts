import http from "node:http";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { demoUser, expectError, sessionFor, tokenClient, unique } from "../support/api";
import { createModel, dataHash, sha, versionBody } from "../support/registry";

test.describe("registry API", () => {
  let engineer: APIRequestContext;
  let viewer: APIRequestContext;
  let admin: APIRequestContext;
  test.beforeAll(async ({ baseURL }) => {
    [engineer, viewer, admin] = await Promise.all([sessionFor(baseURL!, demoUser("engineer")), sessionFor(baseURL!, demoUser("viewer")), sessionFor(baseURL!, demoUser("admin"))]);
  });
  test.afterAll(async () => Promise.all([engineer, viewer, admin].map((c) => c.dispose())));

  async function token(baseURL: string, ...scopes: string[]) {
    const t = await (await admin.post("/api/v1/tokens", { data: { name: unique("reg"), kind: "service", scopes } })).json();
    return tokenClient(baseURL, t.token);
  }

  test("models: create, duplicate, bad names, team scope and roles", async ({ baseURL }) => {
    const res = await engineer.post("/api/v1/models", { data: { name: unique("fraud"), team: "payments", riskTier: "regulated", tags: { owner: "fraud-squad" } } });
    expect(res.status()).toBe(201);
    const model = await res.json();
    expect(model).toMatchObject({ team: { slug: "payments" }, riskTier: "regulated", latestVersion: null, aliases: [], tags: { owner: "fraud-squad" } });
    await expectError(await engineer.post("/api/v1/models", { data: { name: model.name, team: "payments" } }), 409, "conflict");
    for (const name of ["-leading-dash", "has space", "a/b", "x".repeat(200), ""]) {
      const body = await expectError(await engineer.post("/api/v1/models", { data: { name, team: "payments" } }), 400);
      expect(JSON.stringify(body.error)).toContain('"path":"name"');
    }
    await expectError(await engineer.post("/api/v1/models", { data: { name: unique("m"), team: "no-such-team" } }), 400);
    await expectError(await engineer.post("/api/v1/models", { data: { name: unique("m"), team: "payments", riskTier: "medium" } }), 400);
    // engineer of payments cannot register for risk; a viewer cannot register at all
    await expectError(await engineer.post("/api/v1/models", { data: { name: unique("m"), team: "risk" } }), 403);
    await expectError(await viewer.post("/api/v1/models", { data: { name: unique("m"), team: "payments" } }), 403);
    const ci = await token(baseURL!, "registry:write");
    expect((await ci.post("/api/v1/models", { data: { name: unique("ci"), team: "risk" } })).status()).toBe(201);
    const serving = await token(baseURL!, "serving:read");
    await expectError(await serving.get(`/api/v1/models/${model.name}`), 403);
    await Promise.all([ci.dispose(), serving.dispose()]);
    await expectError(await viewer.get("/api/v1/models/does-not-exist"), 404, "not_found");
  });

  test("models: search, filters and cursor pagination", async () => {
    const tag = unique("t");
    const names: string[] = [];
    for (let i = 0; i < 3; i++) names.push((await createModel(engineer, { tags: { batch: tag }, riskTier: i === 0 ? "regulated" : "standard" })).name);
    const tagged = await (await viewer.get(`/api/v1/models?tag=batch=${tag}&limit=2`)).json();
    expect(tagged.items).toHaveLength(2);
    const rest = await (await viewer.get(`/api/v1/models?tag=batch=${tag}&limit=2&cursor=${tagged.nextCursor}`)).json();
    expect([...tagged.items, ...rest.items].map((m: { name: string }) => m.name).sort()).toEqual([...names].sort());
    expect(rest.nextCursor).toBeNull();
    const regulated = await (await viewer.get(`/api/v1/models?tag=batch=${tag}&riskTier=regulated`)).json();
    expect(regulated.items.map((m: { name: string }) => m.name)).toEqual([names[0]]);
    const search = await (await viewer.get(`/api/v1/models?q=${names[1].slice(0, 20)}`)).json();
    expect(search.items.map((m: { name: string }) => m.name)).toContain(names[1]);
    await expectError(await viewer.get("/api/v1/models?riskTier=extreme"), 400);
    await expectError(await viewer.get("/api/v1/models?tag=novalue"), 400);
  });

  test("versions: numbered per model, immutable but for description, tags and status", async () => {
    const { name } = await createModel(engineer);
    const v1 = await (await engineer.post(`/api/v1/models/${name}/versions`, { data: versionBody() })).json();
    expect(v1).toMatchObject({ version: 1, status: "ready", reproducible: true, notReproducibleBecauseMissing: [] });
    const partial = versionBody({ lineage: { commitSha: sha(), parentVersion: 1 } });
    const v2res = await engineer.post(`/api/v1/models/${name}/versions`, { data: partial });
    expect(v2res.status()).toBe(201);
    const v2 = await v2res.json();
    expect(v2).toMatchObject({ version: 2, reproducible: false, notReproducibleBecauseMissing: ["data snapshot hash", "feature set version"], lineage: { parentVersion: 1 } });
    expect(v2.registeredBy).toBe(demoUser("engineer"));

    const list = await (await viewer.get(`/api/v1/models/${name}/versions?limit=1`)).json();
    expect(list.items.map((v: { version: number }) => v.version)).toEqual([2]);
    const next = await (await viewer.get(`/api/v1/models/${name}/versions?limit=1&cursor=${list.nextCursor}`)).json();
    expect(next.items.map((v: { version: number }) => v.version)).toEqual([1]);

    const patched = await engineer.patch(`/api/v1/models/${name}/versions/1`, { data: { description: "champion candidate", tags: { reviewed: "yes" } } });
    expect(patched.status()).toBe(200);
    expect(await patched.json()).toMatchObject({ description: "champion candidate", tags: { reviewed: "yes" }, artifact: v1.artifact });
    const immutable = await expectError(await engineer.patch(`/api/v1/models/${name}/versions/1`, { data: { artifact: { uri: "s3://x", checksum: "sha256:abcdefgh" } } }), 400);
    expect(immutable.error.message).toContain("immutable");
    await expectError(await engineer.patch(`/api/v1/models/${name}/versions/1`, { data: {} }), 400);
    await expectError(await viewer.patch(`/api/v1/models/${name}/versions/1`, { data: { description: "x" } }), 403);
  });

  test("versions: bad input names the field", async () => {
    const { name } = await createModel(engineer);
    const cases: [Record<string, unknown>, string][] = [
      [{ ...versionBody(), artifact: undefined }, "artifact"],
      [versionBody({ artifact: { uri: "s3://x" } }), "artifact.checksum"],
      [versionBody({ lineage: { commitSha: "not-hex!" } }), "lineage.commitSha"],
      [versionBody({ lineage: { parentVersion: 5 } }), "lineage.parentVersion"],
      [versionBody({ environment: { imageDigest: "latest" } }), "environment.imageDigest"],
      [versionBody({ tags: { "bad key!": "x" } }), "tags"],
      [versionBody({ signature: { inputs: "amount" } }), "signature.inputs"],
    ];
    for (const [data, path] of cases) {
      const body = await expectError(await engineer.post(`/api/v1/models/${name}/versions`, { data }), 400);
      const paths = (body.error as unknown as { details?: { path: string }[] }).details?.map((d) => d.path) ?? [];
      expect(paths.some((p) => p.startsWith(path)), `${path} in ${JSON.stringify(paths)}`).toBe(true);
    }
    await expectError(await engineer.post(`/api/v1/models/no-such-model/versions`, { data: versionBody() }), 404);
    await expectError(await viewer.get(`/api/v1/models/${name}/versions/99`), 404);
    await expectError(await viewer.get(`/api/v1/models/${name}/versions/one`), 400);
  });

  test("a body over 1 MB is a 413 and nothing is written, whether or not it declares its length", async ({ baseURL }) => {
    const { name } = await createModel(engineer);
    const huge = versionBody({ description: "x".repeat(1024 * 1024 + 10) });
    await expectError(await engineer.post(`/api/v1/models/${name}/versions`, { data: huge }), 413, "payload_too_large");
    // Chunked, with no Content-Length: the server must count as it reads.
    const t = await (await admin.post("/api/v1/tokens", { data: { name: unique("chunked"), kind: "service", scopes: ["registry:write"] } })).json();
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(`/api/v1/models/${name}/versions`, baseURL);
      const req = http.request(url, { method: "POST", headers: { authorization: `Bearer ${t.token}`, "content-type": "application/json", "transfer-encoding": "chunked" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      const body = JSON.stringify(huge);
      for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.slice(i, i + 64 * 1024));
      req.end();
    });
    expect(status).toBe(413);
    expect((await (await viewer.get(`/api/v1/models/${name}`)).json()).latestVersion).toBeNull();
  });

  test("a custom report nested absurdly deep is refused, not a crash", async () => {
    const { name } = await createModel(engineer);
    await engineer.post(`/api/v1/models/${name}/versions`, { data: versionBody() });
    const deep = "[".repeat(50_000) + "]".repeat(50_000);
    const res = await engineer.fetch(`/api/v1/models/${name}/versions/1/reports`, { method: "POST", headers: { "content-type": "application/json" }, data: Buffer.from(`{"kind":"custom","payload":{"title":"deep","data":${deep}}}`) });
    await expectError(res, 400);
  });

  test("reports: every kind accepted, bad payloads refused, newer supersedes older", async () => {
    const { name } = await createModel(engineer);
    await engineer.post(`/api/v1/models/${name}/versions`, { data: versionBody() });
    const reports = [
      { kind: "offline-metrics", payload: { dataset: { name: "holdout-2026-10" }, metrics: { auc: 0.91, log_loss: 0.22 } } },
      { kind: "tests", payload: { suites: [{ name: "contract", kind: "contract", passed: 12, failed: 0 }] } },
      { kind: "data-validation", payload: { checks: [{ name: "no nulls in amount", passed: true }, { name: "schema matches", passed: false, details: "extra column" }] } },
      { kind: "drift", payload: { features: [{ feature: "amount", reference: [1, 2, 3, 4], current: [2, 3, 4, 5] }] } },
      { kind: "fairness", payload: { attribute: "age_band", groups: [{ group: "18-30", count: 100, positiveRate: 0.1 }, { group: "31+", count: 120, positiveRate: 0.12 }] } },
      { kind: "latency", payload: { percentilesMs: { p50: 4, p95: 9, p99: 14 }, throughputRps: 800 } },
      { kind: "security-scan", payload: { scanner: "trivy", findings: [{ id: "CVE-2026-1", severity: "high", title: "openssl" }] } },
      { kind: "observability", payload: { links: [{ kind: "dashboard", title: "Fraud live", url: "https://grafana.example.com/d/1" }] } },
      { kind: "custom", payload: { title: "Notes", data: { reviewed: true } } },
    ];
    for (const r of reports) expect((await engineer.post(`/api/v1/models/${name}/versions/1/reports`, { data: r })).status(), r.kind).toBe(201);
    const bad: [unknown, string][] = [
      [{ kind: "vibes", payload: {} }, "kind"],
      [{ kind: "offline-metrics", payload: { dataset: { name: "x" }, metrics: {} } }, "payload.metrics"],
      [{ kind: "latency", payload: { percentilesMs: { p50: 10, p95: 5, p99: 20 } } }, "payload.percentilesMs"],
      [{ kind: "fairness", payload: { attribute: "a", groups: [{ group: "x", count: 1, positiveRate: 1.5 }] } }, "payload.groups"],
      [{ kind: "drift", payload: { features: [{ feature: "x" }] } }, "payload.features"],
    ];
    for (const [data, path] of bad) {
      const body = await expectError(await engineer.post(`/api/v1/models/${name}/versions/1/reports`, { data }), 400);
      expect(JSON.stringify(body.error)).toContain(`"path":"${path}`);
    }
    await engineer.post(`/api/v1/models/${name}/versions/1/reports`, { data: { kind: "offline-metrics", payload: { dataset: { name: "holdout-2026-11" }, metrics: { auc: 0.93 } } } });
    const listed = await (await viewer.get(`/api/v1/models/${name}/versions/1/reports?kind=offline-metrics`)).json();
    expect(listed.items).toHaveLength(2);
    expect(listed.items[0]).toMatchObject({ current: true, payload: { metrics: { auc: 0.93 } } });
    expect(listed.items[1]).toMatchObject({ current: false });
    const all = await (await viewer.get(`/api/v1/models/${name}/versions/1/reports`)).json();
    expect(all.items.filter((r: { current: boolean }) => r.current)).toHaveLength(9);
  });

  test("aliases: set, serve with ETag and 304, move, delete, history; name rules; archive guard", async ({ baseURL }) => {
    const { name } = await createModel(engineer);
    await engineer.post(`/api/v1/models/${name}/versions`, { data: versionBody() });
    await engineer.post(`/api/v1/models/${name}/versions`, { data: versionBody() });
    const set = await engineer.put(`/api/v1/models/${name}/aliases/candidate`, { data: { version: 1, reason: "first candidate" } });
    expect(set.status()).toBe(200);
    expect(await set.json()).toMatchObject({ model: name, alias: "candidate", version: 1 });

    const serving = await token(baseURL!, "serving:read");
    const first = await serving.get(`/api/v1/models/${name}/aliases/candidate`);
    expect(first.status()).toBe(200);
    const etag = first.headers()["etag"];
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect((await serving.get(`/api/v1/models/${name}/aliases/candidate`, { headers: { "if-none-match": etag } })).status()).toBe(304);

    await engineer.put(`/api/v1/models/${name}/aliases/candidate`, { data: { version: 2, reason: "retrained" } });
    const moved = await serving.get(`/api/v1/models/${name}/aliases/candidate`, { headers: { "if-none-match": etag } });
    expect(moved.status()).toBe(200);
    expect((await moved.json()).version).toBe(2);
    expect(moved.headers()["etag"]).not.toBe(etag);

    await expectError(await engineer.patch(`/api/v1/models/${name}/versions/2`, { data: { status: "archived" } }), 409);
    expect((await engineer.patch(`/api/v1/models/${name}/versions/1`, { data: { status: "archived" } })).status()).toBe(200);
    const archived = await expectError(await engineer.put(`/api/v1/models/${name}/aliases/candidate`, { data: { version: 1 } }), 409);
    expect(archived.error.message).toContain("archived");
    await expectError(await engineer.put(`/api/v1/models/${name}/aliases/candidate`, { data: { version: 3_000_000_000 } }), 400);

    for (const bad of ["v1", "V23", "latest", "has space", "x".repeat(256)]) {
      await expectError(await engineer.put(`/api/v1/models/${name}/aliases/${encodeURIComponent(bad)}`, { data: { version: 1 } }), 400);
    }
    await expectError(await engineer.put(`/api/v1/models/${name}/aliases/ok`, { data: { version: "2" } }), 400);
    await expectError(await engineer.put(`/api/v1/models/${name}/aliases/ok`, { data: { version: 42 } }), 404);
    await expectError(await viewer.put(`/api/v1/models/${name}/aliases/ok`, { data: { version: 2 } }), 403);
    await expectError(await serving.put(`/api/v1/models/${name}/aliases/ok`, { data: { version: 2 } }), 403);

    expect((await engineer.delete(`/api/v1/models/${name}/aliases/candidate?reason=done`)).status()).toBe(200);
    await expectError(await serving.get(`/api/v1/models/${name}/aliases/candidate`), 404);
    const aliases = await (await viewer.get(`/api/v1/models/${name}/aliases`)).json();
    expect(aliases.items).toEqual([]);
    expect(aliases.history.map((h: { fromVersion: number | null; toVersion: number | null; reason: string | null; actor: string }) => [h.fromVersion, h.toVersion, h.reason, h.actor])).toEqual([
      [2, null, "done", demoUser("engineer")],
      [1, 2, "retrained", demoUser("engineer")],
      [null, 1, "first candidate", demoUser("engineer")],
    ]);
    await serving.dispose();
  });

  test("reverse lineage by data hash and by commit, with the aliases held now", async () => {
    const shared = dataHash();
    const commit = sha();
    const a = await createModel(engineer);
    const b = await createModel(engineer);
    await engineer.post(`/api/v1/models/${a.name}/versions`, { data: versionBody({ lineage: { dataHash: shared, commitSha: commit } }) });
    await engineer.post(`/api/v1/models/${b.name}/versions`, { data: versionBody({ lineage: { dataHash: shared } }) });
    await engineer.put(`/api/v1/models/${b.name}/aliases/candidate`, { data: { version: 1 } });
    const byHash = await (await viewer.get(`/api/v1/lineage?dataHash=${encodeURIComponent(shared)}`)).json();
    expect(byHash.items.map((h: { model: string; aliases: string[] }) => [h.model, h.aliases]).sort()).toEqual([[a.name, []], [b.name, ["candidate"]]].sort());
    const first = await (await viewer.get(`/api/v1/lineage?dataHash=${encodeURIComponent(shared)}&limit=1`)).json();
    expect(first.items).toHaveLength(1);
    const second = await (await viewer.get(`/api/v1/lineage?dataHash=${encodeURIComponent(shared)}&limit=1&cursor=${first.nextCursor}`)).json();
    expect([first.items[0].model, second.items[0].model].sort()).toEqual([a.name, b.name].sort());
    expect(second.nextCursor).toBeNull();
    const byCommit = await (await viewer.get(`/api/v1/lineage?commit=${commit.slice(0, 10)}`)).json();
    expect(byCommit.items.map((h: { model: string }) => h.model)).toEqual([a.name]);
    await expectError(await viewer.get("/api/v1/lineage"), 400);
    await expectError(await viewer.get(`/api/v1/lineage?commit=zzz&dataHash=${encodeURIComponent(shared)}`), 400);
  });

  test("the OpenAPI document is served", async ({ request }) => {
    const doc = await (await request.get("/api/v1/openapi.json")).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/api/v1/models/{name}/aliases/{alias}");
  });
});
