import http from "node:http";
import fc from "fast-check";
import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { OPERATIONS, jsonSchema } from "@/lib/api/openapi";
import { MAX_INGEST_BODY_BYTES } from "@/lib/metrics/schemas";
import { applyMutation, hostileQuery, hostileValue, mutation, type JsonSchema } from "@/lib/test/hostile-input";
import { demoUser, sessionFor, unique } from "../support/api";
import { type Expectation, expected, hasPathParams, type Json, nowhere, opName, parsedWire, pathArb, preview, READ_ONLY, wire } from "../support/fuzz";
import { stagingReadyModel, versionBody } from "../support/registry";

/*
 * Property-based fuzzing of every endpoint in OPERATIONS (the list the OpenAPI document is made from, so a new
 * endpoint is fuzzed without a line here), against the running server. For each generated request the expected
 * answer comes from the same zod schema the handler validates with, run here: an invalid body or query must be a 400
 * whose details name exactly the fields the schema names; anything else must be a JSON answer below 500 with no
 * stack trace. Path parameters name things that do not exist, so even a valid body changes nothing; ten key
 * endpoints are also fed single-field corruptions of valid bodies aimed at things that do exist. Nothing the fuzz
 * users send may be written: their audit trail and the counts of what exists stay as they were.
 *
 * Reproduce a failure with the seed it prints: GATEHOUSE_FUZZ_SEED=<seed> npm test -- e2e e2e/api/fuzz.spec.ts
 */
const SEED = Number(process.env.GATEHOUSE_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = Number(process.env.GATEHOUSE_FUZZ_RUNS ?? 1);
const MAX_BODY_BYTES = 1024 * 1024;
const COMMENT = "Checked the gates, the metrics and the lineage.";
const POLICY = "stages:\n  staging:\n    approvals:\n      quorum: [{ role: ml-lead }]\n      electronicSignature: never\n";


test.describe("fuzzing every endpoint with hostile input", () => {
  test.describe.configure({ timeout: 120_000 });
  // Several fuzz admins, each its own rate-limit bucket, so thousands of requests stay within a per-user limit and
  // never touch the demo users' buckets other tests rely on. Their audit trail is what "nothing written" watches.
  const runId = unique("fuzz");
  const FUZZERS = 4;
  // Between them these roles hold every permission, so no request is refused for who sends it before its input is judged.
  const FUZZER_ROLES = ["admin", "ml-lead", "compliance-officer"];
  const pool: APIRequestContext[] = [];
  let turn = 0;
  let requests = 0;
  let admin: APIRequestContext, engineer: APIRequestContext;
  let baseURL = "";
  let model = "";
  let promotionId = "";
  let webhookId = "";
  let baseline: { audit: string | null; counts: Json };

  /** The newest audit event any fuzz user caused (their sign-ins come before the baseline). */
  const newestFuzzEvent = async () => {
    const res = await admin.get(`/api/v1/audit?actor=${encodeURIComponent(runId)}&limit=1`);
    expect(res.status()).toBe(200);
    const items = (await res.json()).items as { id: string; action: string }[];
    return items[0] ? `${items[0].id} ${items[0].action}` : null;
  };
  /** What the key endpoints could have changed on the things that exist. */
  const counts = async (): Promise<Json> => {
    const get = async (url: string) => {
      const res = await admin.get(url);
      expect(res.status(), url).toBe(200);
      return res.json();
    };
    const [versions, reports, policy, promotions, promotion, releases, webhook] = await Promise.all([
      get(`/api/v1/models/${model}/versions?limit=200`),
      get(`/api/v1/models/${model}/versions/1/reports`),
      get(`/api/v1/models/${model}/policy`),
      get(`/api/v1/promotions?model=${model}&limit=200`),
      get(`/api/v1/promotions/${promotionId}`),
      get(`/api/v1/releases?model=${model}&limit=200`),
      get(`/api/v1/webhooks/${webhookId}`),
    ]);
    return {
      versions: versions.items.length,
      reports: (reports.items ?? reports).length,
      policyVersion: policy.version,
      promotions: promotions.items.length,
      promotion: { status: promotion.status, decisions: promotion.decisions?.length },
      releases: releases.items.length,
      webhook: { url: webhook.url, events: webhook.events, enabled: webhook.enabled, description: webhook.description },
    };
  };

  test.beforeAll(async ({ baseURL: url }) => {
    baseURL = url!;
    console.log(`[fuzz] seed ${SEED} (GATEHOUSE_FUZZ_SEED=${SEED} reproduces this run)`);
    [admin, engineer] = await Promise.all([sessionFor(baseURL, demoUser("admin")), sessionFor(baseURL, demoUser("engineer"))]);
    const password = `fuzz-password-${runId}`.slice(0, 60);
    for (let i = 0; i < FUZZERS; i++) {
      const email = `${runId}-${i}@example.com`;
      const created = await admin.post("/api/v1/users", { data: { email, name: `Fuzz ${i}`, password, roles: FUZZER_ROLES.map((role) => ({ role })) } });
      expect(created.status(), await created.text()).toBe(201);
      pool.push(await sessionFor(baseURL, email, password));
    }
    // What exists, made by the demo users: the fuzz users only ever send what must be refused to it.
    model = await stagingReadyModel({ engineer, admin, policy: POLICY, comment: "one ML Lead for staging" });
    const promotion = await engineer.post("/api/v1/promotions", { data: { model, version: 1, stage: "staging", justification: "Retrained on November data; AUC is up." } });
    expect(promotion.status(), await promotion.text()).toBe(201);
    promotionId = (await promotion.json()).id;
    const webhook = await admin.post("/api/v1/webhooks", { data: { url: "http://127.0.0.1:9/fuzz", events: ["promotion.*"], description: "fuzz target", enabled: false } });
    expect(webhook.status(), await webhook.text()).toBe(201);
    webhookId = (await webhook.json()).id;
    baseline = { audit: await newestFuzzEvent(), counts: await counts() };
  });
  test.afterAll(async () => {
    console.log(`[fuzz] ${requests} requests in this worker, seed ${SEED}`);
    await Promise.all([admin, engineer, ...pool].map((c) => c?.dispose()));
  });

  // Every test leaves the fuzz users' audit trail as it found it: nothing they sent was written.
  test.afterEach(async () => {
    expect(await newestFuzzEvent(), "a fuzz request wrote an audit event").toBe(baseline.audit);
  });

  type Sent = { method: string; url: string; body?: string | Buffer; contentType?: string | null };
  /** One request from the next fuzz user; a 429 waits as Retry-After says and tries again. */
  async function send(req: Sent): Promise<APIResponse> {
    const api = pool[turn++ % pool.length];
    requests++;
    for (let attempt = 0; ; attempt++) {
      const res = await api.fetch(req.url, {
        method: req.method,
        // Bytes, always: Playwright would quote a string that is not valid JSON, hiding the malformed body.
        ...(req.body !== undefined ? { data: Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, "utf8") } : {}),
        headers: req.contentType ? { "content-type": req.contentType } : {},
        failOnStatusCode: false,
        maxRedirects: 0,
      });
      if (res.status() !== 429 || attempt >= 5) return res;
      await new Promise((r) => setTimeout(r, 1_000 * Math.min(30, Number(res.headers()["retry-after"] ?? 1))));
    }
  }

  /**
   * Whatever was sent: below 500, a JSON error with a code and a message and no stack trace, and a 400 names where.
   * `exp` (from the schema) sharpens it: invalid input is a 400 naming exactly the schema's paths.
   */
  async function verify(res: APIResponse, req: Sent, exp: Expectation | null, o: { status?: number; nowhere?: boolean } = {}) {
    const status = res.status();
    const text = await res.text();
    const where = `${req.method} ${preview(req.url)} → ${status} ${text.slice(0, 600)}\n  sent: ${req.body === undefined ? "(no body)" : preview(req.body.toString())}`;
    expect(status, where).toBeLessThan(500);
    expect(text, where).not.toMatch(/\bat [^\n]*\.(js|ts|mjs|tsx):\d+/);
    let error: { code?: unknown; message?: unknown; details?: { path?: unknown; message?: unknown }[] } = {};
    if (status >= 400) {
      expect(res.headers()["content-type"] ?? "", where).toContain("application/json");
      error = JSON.parse(text).error ?? {};
      expect(typeof error.code, where).toBe("string");
      expect(typeof error.message === "string" && error.message.length > 0, where).toBe(true);
    }
    if (status === 400) {
      expect(Array.isArray(error.details) && error.details.length > 0, `${where}\n  a 400 must say where`).toBe(true);
      for (const d of error.details!) expect(typeof d.path === "string" && d.path.length > 0 && typeof d.message === "string", where).toBe(true);
    }
    if (o.status !== undefined) expect(status, where).toBe(o.status);
    else if (exp && !exp.valid) {
      expect(status, `${where}\n  expected a 400 naming ${exp.paths.join(", ")}`).toBe(400);
      expect([...new Set(error.details!.map((d) => d.path as string))].sort(), where).toEqual([...new Set(exp.paths)].sort());
    } else if (o.nowhere) expect(status, `${where}\n  the path names nothing, so nothing may succeed`).toBeGreaterThanOrEqual(400);
    return { status, error };
  }

  const withBody = OPERATIONS.filter((op) => op.body);
  const withQuery = OPERATIONS.filter((op) => op.query);
  const bodiless = OPERATIONS.filter((op) => !op.body && op.method !== "get");

  for (const op of withBody) {
    const name = opName(op);
    const schema = jsonSchema(op.body!) as JsonSchema;
    // Where nothing in the path makes a valid body harmless, only invalid ones are sent.
    const validIsHarmless = hasPathParams(op) || READ_ONLY.has(name);
    const method = op.method.toUpperCase();

    test(`${name}: generated bodies`, async () => {
      await fc.assert(
        fc.asyncProperty(pathArb(op), hostileValue(schema), async (url, value) => {
          const body = wire(value);
          const input = parsedWire(body);
          const exp = expected(op, "body", input);
          fc.pre(!exp.valid || validIsHarmless);
          const req = { method, url, body, contentType: "application/json" };
          await verify(await send(req), req, exp, { nowhere: hasPathParams(op) });
        }),
        { seed: SEED, numRuns: 20 * RUNS },
      );
    });

    test(`${name}: malformed, mistyped and oversized bodies`, async () => {
      const url = fc.sample(pathArb(op), { seed: SEED, numRuns: 1 })[0];
      const firstNumber = Object.entries(schema.properties ?? {}).find(([, s]) => s.type === "number" || s.type === "integer")?.[0] ?? "n";
      const firstString = Object.entries(schema.properties ?? {}).find(([, s]) => s.type === "string")?.[0] ?? "s";
      const json = (raw: string | Buffer, input?: unknown) => ({ raw, input });
      const cases: { raw: string | Buffer; input?: unknown }[] = [
        // Parsed by the server as these values: checked against the schema like any other body.
        json(""),
        ...["null", "[]", '"a string"', "42", "true", "{}"].map((raw) => json(raw)),
        json(`{"${firstNumber}": 1e999}`),
        json(`{"${firstNumber}": -0}`),
        json(`{"${firstNumber}": 9223372036854775808}`),
        json(`{"${firstNumber}": 1e308}`),
        json(`{"${firstNumber}": 0.000001}`),
        json(`${"[".repeat(10_000)}1${"]".repeat(10_000)}`),
        json(`${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`),
        json(`{"${firstString}": ${"[".repeat(10_000)}${"]".repeat(10_000)}}`),
        json('{"__proto__": {"isAdmin": true}, "constructor": {"prototype": {"isAdmin": true}}}'),
        json(`{"${firstString}": "a", "${firstString}": {"b": 1}}`),
        // Not UTF-8: decoded with replacement characters, so storable.
        json(Buffer.concat([Buffer.from(`{"${firstString}": "`), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}')]), { [firstString]: "\ufffd(\ufffd\ufffd" }),
      ];
      for (const c of cases) {
        const input = c.input ?? parsedWire(c.raw.toString());
        const exp = expected(op, "body", input);
        if (exp.valid && !validIsHarmless) continue;
        const req = { method, url, body: c.raw, contentType: "application/json" };
        await verify(await send(req), req, exp, { nowhere: hasPathParams(op) });
      }
      // Not JSON at all: a 400 about the body as a whole.
      for (const raw of ["{", "{'single': 1}", "[1,]", "NaN", '{"a": 1}}', "undefined", '{"a": "raw\ttab"}', "\u0000", "<html></html>"]) {
        const req = { method, url, body: raw, contentType: "application/json; charset=utf-8" };
        const { error } = await verify(await send(req), req, { valid: false, paths: ["(body)"] });
        expect(error.code).toBe("invalid_input");
      }
      // JSON under another name: refused as such (cross-site forms cannot send JSON, and the API takes nothing else).
      for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml"]) {
        const req = { method, url, body: "{}", contentType };
        const { error } = await verify(await send(req), req, null, { status: 415 });
        expect(error.code).toBe("unsupported_media_type");
      }
      // Over the size limit: 413 before anything is parsed; just under it, the body is read and judged by its fields.
      const limit = name === "POST /api/v1/models/{name}/metrics" ? MAX_INGEST_BODY_BYTES : MAX_BODY_BYTES;
      const over = `{"${firstString}": "${"x".repeat(limit)}"}`;
      const overReq = { method, url, body: over, contentType: "application/json" };
      const tooLarge = await verify(await send(overReq), overReq, null, { status: 413 });
      expect(tooLarge.error.code).toBe("payload_too_large");
      const under = `{"${firstString}": "${"x".repeat(limit - 100)}"}`;
      const underInput = JSON.parse(under);
      const exp = expected(op, "body", underInput);
      if (!exp.valid || validIsHarmless) {
        const underReq = { method, url, body: under, contentType: "application/json" };
        const { status } = await verify(await send(underReq), underReq, exp);
        expect(status).not.toBe(413);
      }
    });
  }

  for (const op of withQuery) {
    const name = opName(op);
    const schema = jsonSchema(op.query!) as JsonSchema;
    test(`${name}: generated queries`, async () => {
      const method = op.method.toUpperCase();
      await fc.assert(
        fc.asyncProperty(pathArb(op), hostileQuery(schema), async (path, pairs) => {
          const qs = new URLSearchParams(pairs).toString();
          const url = qs ? `${path}?${qs}` : path;
          // Next.js drops a __proto__ parameter before the handler sees the URL.
          const input = Object.fromEntries([...new URLSearchParams(qs)].filter(([k]) => k !== "__proto__"));
          const exp = expected(op, "query", input);
          // DELETEs take their reason in the query: a valid one is sent only where the path names nothing.
          fc.pre(!exp.valid || method === "GET" || hasPathParams(op));
          const req = { method, url };
          await verify(await send(req), req, exp, { nowhere: hasPathParams(op) });
        }),
        { seed: SEED, numRuns: 15 * RUNS },
      );
    });
  }

  test("endpoints without a body ignore one, whatever it is", async () => {
    for (const op of bodiless) {
      const url = fc.sample(pathArb(op), { seed: SEED, numRuns: 1 })[0];
      for (const [body, contentType] of [["{", "application/json"], ["x".repeat(MAX_BODY_BYTES + 1), "application/json"], ["a=1", "application/x-www-form-urlencoded"]] as const) {
        const req = { method: op.method.toUpperCase(), url, body, contentType };
        await verify(await send(req), req, null, { nowhere: hasPathParams(op) });
      }
    }
  });

  test("a body over the limit without Content-Length (chunked) is cut off at the limit", async () => {
    const cookies = (await pool[0].storageState()).cookies.map((c) => `${c.name}=${c.value}`).join("; ");
    const target = new URL(baseURL);
    const chunked = (path: string, bytes: number) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        let answered = false;
        const req = http.request({ host: target.hostname, port: target.port, path, method: "POST", agent: false, headers: { cookie: cookies, "content-type": "application/json", "transfer-encoding": "chunked" } }, (res) => {
          answered = true;
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (d) => (body += d));
          res.on("end", () => {
            resolve({ status: res.statusCode ?? 0, body });
            req.destroy();
          });
        });
        // The server answers at the limit and may close the connection while the rest is still being sent. A
        // connection of its own (agent: false): a kept-alive one would carry the unfinished body into the next request.
        req.on("error", (e) => (answered ? undefined : reject(e)));
        let sent = 0;
        req.setTimeout(30_000, () => req.destroy(new Error(`no answer within 30 s (${sent} of ${bytes} bytes sent)`)));
        const chunk = Buffer.alloc(64 * 1024, "x");
        req.write('{"name": "');
        const pump = () => {
          while (sent < bytes && !answered) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once("drain", pump);
          }
          if (!answered) req.end('"}');
        };
        pump();
      });
    for (const [path, limit] of [["/api/v1/teams", MAX_BODY_BYTES], [`/api/v1/models/${model}/metrics`, MAX_INGEST_BODY_BYTES]] as const) {
      const res = await chunked(path, limit + 64 * 1024);
      expect(res.status, res.body.slice(0, 300)).toBe(413);
      expect(JSON.parse(res.body).error.code).toBe("payload_too_large");
    }
  });

  test("a body without a Content-Type is refused as not JSON", async () => {
    const cookies = (await pool[0].storageState()).cookies.map((c) => `${c.name}=${c.value}`).join("; ");
    const target = new URL(baseURL);
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: target.hostname, port: target.port, path: "/api/v1/teams", method: "POST", headers: { cookie: cookies, "content-length": "2" } }, (r) => {
        let body = "";
        r.on("data", (d) => (body += d));
        r.on("end", () => resolve({ status: r.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.end("{}");
    });
    expect(res.status, res.body).toBe(415);
    expect(JSON.parse(res.body).error.code).toBe("unsupported_media_type");
  });

  // Things that exist, and bodies one corruption away from valid: the refusal names the corrupted field.
  const targets: { method: string; path: () => string; op: string; valid: () => Json }[] = [
    { method: "POST", op: "/api/v1/models", path: () => "/api/v1/models", valid: () => ({ name: unique("fuzz-model"), team: "payments", description: "fuzzed", tags: { domain: "payments" }, riskTier: "standard" }) },
    { method: "POST", op: "/api/v1/models/{name}/versions", path: () => `/api/v1/models/${model}/versions`, valid: () => versionBody() },
    { method: "POST", op: "/api/v1/promotions", path: () => "/api/v1/promotions", valid: () => ({ model, version: 1, stage: "staging", justification: "Retrained on November data; AUC is up.", emergency: false }) },
    { method: "POST", op: "/api/v1/promotions/{id}/decisions", path: () => `/api/v1/promotions/${promotionId}/decisions`, valid: () => ({ decision: "approve", comment: COMMENT, password: "not-needed-here" }) },
    { method: "PUT", op: "/api/v1/models/{name}/policy", path: () => `/api/v1/models/${model}/policy`, valid: () => ({ document: POLICY, comment: "Fuzzing the policy save.", expectedVersion: 1 }) },
    {
      method: "POST",
      op: "/api/v1/models/{name}/versions/{version}/reports",
      path: () => `/api/v1/models/${model}/versions/1/reports`,
      valid: () => ({ kind: "tests", payload: { suites: [{ name: "unit", kind: "unit", passed: 12, failed: 0, skipped: 1, failures: [{ test: "t", message: "m" }] }] } }),
    },
    {
      method: "POST",
      op: "/api/v1/models/{name}/metrics",
      path: () => `/api/v1/models/${model}/metrics`,
      valid: () => ({
        items: [
          { version: 1, metric: "latency_ms", timestamp: "2026-11-22T10:15:00Z", value: 12.5, dimensions: { region: "eu" } },
          { version: 1, metric: "latency_ms", windowStart: "2026-11-22T10:00:00Z", windowEnd: "2026-11-22T10:01:00Z", count: 10, sum: 100, min: 5, max: 20, p50: 9, p95: 18, p99: 19 },
          { version: 1, metric: "errors", windowStart: "2026-11-22T10:00:00Z", windowEnd: "2026-11-22T10:01:00Z", numerator: 1, denominator: 100 },
        ],
      }),
    },
    {
      method: "POST",
      op: "/api/v1/releases",
      path: () => "/api/v1/releases",
      valid: () => ({ name: "fuzz release", justification: "The ranker needs the new encoder; ship both together.", members: [{ model, version: 1, stage: "staging" }, { model: "fraud-detector", version: 1, stage: "staging" }], rules: [{ model, requires: "fraud-detector", versions: ">=1", signature: true }] }),
    },
    { method: "POST", op: "/api/v1/webhooks", path: () => "/api/v1/webhooks", valid: () => ({ url: "https://hooks.example.com/gatehouse", events: ["promotion.*", "alias.changed"], description: "fuzz", enabled: false }) },
    { method: "POST", op: "/api/v1/tokens", path: () => "/api/v1/tokens", valid: () => ({ name: "fuzz token", kind: "service", scopes: ["registry:read"], reason: "fuzzing" }) },
    { method: "PATCH", op: "/api/v1/models/{name}/versions/{version}", path: () => `/api/v1/models/${model}/versions/1`, valid: () => ({ description: "fuzzed", tags: { a: "b" }, status: "ready", reason: "fuzz" }) },
  ];
  for (const t of targets) {
    test(`${t.method} ${t.op} on what exists: one corrupted field is a 400 naming it, and changes nothing`, async () => {
      const op = OPERATIONS.find((o) => o.method === t.method.toLowerCase() && o.path === t.op)!;
      expect(op, `${t.method} ${t.op} is in OPERATIONS`).toBeTruthy();
      const valid = t.valid();
      expect(expected(op, "body", valid), "the starting body is valid, so each case differs from a valid body by one change").toEqual({ valid: true });
      const url = t.path();
      await fc.assert(
        fc.asyncProperty(mutation(valid), async (m) => {
          const body = wire(applyMutation(valid, m));
          const input = parsedWire(body);
          const exp = expected(op, "body", input);
          // A change that leaves the body valid (an ignored unknown field, a legal string) would be carried out.
          fc.pre(!exp.valid);
          const req = { method: t.method, url, body, contentType: "application/json" };
          await verify(await send(req), req, exp);
        }),
        { seed: SEED, numRuns: 40 * RUNS },
      );
    });
  }

  test("nothing the fuzz users sent was written", async () => {
    expect(await newestFuzzEvent()).toBe(baseline.audit);
    expect(await counts()).toEqual(baseline.counts);
  });
});
