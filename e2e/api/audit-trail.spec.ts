import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { verifyEvidenceBundle } from "../../lib/promotions/bundle-verify";
import { DEMO_PASSWORD, demoUser, expectError, sessionFor, unique } from "../support/api";
import { stagingReadyModel } from "../support/registry";

// The audit trail over HTTP as an auditor uses it: the filtered log and its pages, exports, chain verification,
// "which version held the alias at T?", and evidence bundles re-verified offline by the CLI.
type Role = "admin" | "lead" | "compliance" | "engineer" | "auditor" | "viewer";
type Event = { id: string; at: string; action: string; actor: { label: string }; target: { type: string; id: string; label: string; href: string | null }; reason: string | null; teamId: string | null };
const HEADER = "id,occurred_at,actor_type,actor_id,actor_label,action,target_type,target_id,team_id,reason,before,after,prev_hash,hash";
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const run = promisify(execFile);
const gatehouse = (...args: string[]) => run(process.execPath, [path.join(process.cwd(), "scripts", "gatehouse.mjs"), ...args], { cwd: process.cwd(), env: process.env });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test.describe("audit trail API", () => {
  const as = {} as Record<Role, APIRequestContext>;
  test.beforeAll(async ({ baseURL }) => {
    await Promise.all((["admin", "lead", "compliance", "engineer", "auditor", "viewer"] as const).map(async (r) => (as[r] = await sessionFor(baseURL!, demoUser(r)))));
  });
  test.afterAll(async () => Promise.all(Object.values(as).map((c) => c.dispose())));

  /** A payments model whose staging needs one ML Lead's signed approval, with `n` versions that pass the gates. */
  const model = (n = 1) =>
    stagingReadyModel({ engineer: as.engineer, admin: as.admin, policy: "stages:\n  staging:\n    approvals:\n      quorum: [{ role: ml-lead }]\n      electronicSignature: always\n", comment: "one signed ML Lead approval for staging", versions: n });

  /** A request for v1 to staging, approved (and signed) by the ML Lead with `comment`: applied. */
  async function promoted(name: string, comment: string): Promise<{ id: string; number: number }> {
    const res = await as.engineer.post("/api/v1/promotions", { data: { model: name, version: 1, stage: "staging", justification: "Retrained on November data; AUC is up." } });
    expect(res.status(), await res.text()).toBe(201);
    const r = await res.json();
    const decided = await as.lead.post(`/api/v1/promotions/${r.id}/decisions`, { data: { decision: "approve", comment, password: DEMO_PASSWORD } });
    expect(decided.status(), await decided.text()).toBe(201);
    expect((await decided.json()).status).toBe("applied");
    return { id: r.id, number: r.number };
  }

  async function list(query: Record<string, string | number>): Promise<{ items: Event[]; nextCursor: string | null }> {
    const res = await as.auditor.get("/api/v1/audit", { params: query });
    expect(res.status(), await res.text()).toBe(200);
    return res.json();
  }

  test("GET /api/v1/audit: filters and cursor pages, as an auditor", async () => {
    const name = await model();
    const marker = unique("Ticket-ZEBRA");
    const r = await promoted(name, `Looked at ${marker}: metrics, lineage and tests are fine.`);

    // Pages of 2: newest first, no overlap, together everything about the model.
    const all = await list({ model: name, limit: 200 });
    expect(all.nextCursor).toBeNull();
    expect(new Set(all.items.map((e) => e.target.type))).toEqual(new Set(["model", "policy", "model-version", "report", "promotion", "alias"]));
    for (const e of all.items) expect(e.target.label).toContain(name);
    const seen: Event[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Event[]; nextCursor: string | null } = await list({ model: name, limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && seen.length < 500);
    expect(seen.map((e) => e.id)).toEqual(all.items.map((e) => e.id));
    const ids = seen.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(ids.length);

    const found = await list({ q: marker.toLowerCase() });
    expect(found.items.map((e) => [e.action, e.target.id, e.target.href])).toEqual([["promotion.decide", r.id, `/promotions/${r.id}`]]);
    expect(found.items[0].actor.label).toBe(demoUser("lead"));

    const prefixed = await list({ model: name, action: "promotion." });
    expect(new Set(prefixed.items.map((e) => e.action))).toEqual(new Set(["promotion.request", "promotion.decide", "promotion.approved", "promotion.applied"]));
    expect((await list({ model: name, action: "alias.set" })).items).toEqual([expect.objectContaining({ target: expect.objectContaining({ id: `${name}@staging` }) })]);
    const byLead = await list({ model: name, actor: "LEAD@gatehouse" });
    expect(byLead.items.length).toBeGreaterThan(0);
    expect(byLead.items.every((e) => e.actor.label === demoUser("lead"))).toBe(true);
    expect((await list({ model: name, team: "payments" })).items).toHaveLength(all.items.length);
    expect((await list({ model: name, team: "risk" })).items).toEqual([]);

    const decided = found.items[0].at;
    const instant = await list({ model: name, from: decided, to: decided });
    expect(instant.items.map((e) => e.action)).toContain("promotion.decide");
    expect(instant.items.every((e) => e.at === decided)).toBe(true);
    expect((await list({ model: name, from: new Date(Date.now() + 3_600_000).toISOString() })).items).toEqual([]);
    expect((await list({ model: name, to: all.items.at(-1)!.at })).items.map((e) => e.id)).toContain(all.items.at(-1)!.id);
  });

  test("bad filters are 400 with where the problem is", async () => {
    const bad = async (query: string, where: string) => {
      const body = await expectError(await as.auditor.get(`/api/v1/audit?${query}`), 400, "invalid_input");
      expect(body.error.details?.map((d) => d.path)).toContain(where);
    };
    await bad("from=2026-11-22T10:00:00Z&to=2026-11-22T09:00:00Z", "to");
    await bad("from=yesterday", "from");
    await bad("cursor=not-a-cursor", "cursor");
    await bad("limit=0", "limit");
    await bad("limit=201", "limit");
    await bad(`cursor=${Buffer.from(JSON.stringify({ k: "9999999999999999999" })).toString("base64url")}`, "cursor");
    await expectError(await as.auditor.get("/api/v1/audit/export?format=xml"), 400, "invalid_input");
  });

  test("engineers, viewers and ML Leads may not read, export or verify the log", async ({ playwright, baseURL }) => {
    for (const role of ["engineer", "viewer", "lead"] as const) {
      for (const url of ["/api/v1/audit", "/api/v1/audit/export", "/api/v1/audit/export?format=jsonl", "/api/v1/audit/verify"]) await expectError(await as[role].get(url), 403, "forbidden");
    }
    const anonymous = await playwright.request.newContext({ baseURL });
    await expectError(await anonymous.get("/api/v1/audit"), 401);
    await anonymous.dispose();
    for (const role of ["auditor", "compliance", "admin"] as const) expect((await as[role].get("/api/v1/audit?limit=1")).status(), role).toBe(200);
  });

  test("exports: the filtered log as CSV and JSON Lines attachments, oldest first", async () => {
    const name = await model();
    const r = await promoted(name, 'Approved, with "quotes", commas,\nand a second line in the comment.');
    const listed = (await list({ model: name, limit: 200 })).items;

    const csv = await as.auditor.get(`/api/v1/audit/export?model=${name}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csv.headers()["content-disposition"]).toMatch(/^attachment; filename="gatehouse-audit-[0-9T-]+Z\.csv"$/);
    const text = await csv.text();
    expect(text.split("\r\n")[0]).toBe(HEADER);
    // Records start at a line beginning with an id and a time: a quoted newline inside a reason does not.
    const records = text.split("\r\n").slice(1).filter((l) => /^\d+,\d{4}-/.test(l));
    expect(records.map((l) => l.split(",")[0])).toEqual(listed.map((e) => e.id).reverse());
    expect(records.every((l) => ISO_UTC.test(l.split(",")[1]))).toBe(true);
    expect(text).toContain(`,"Approved, with ""quotes"", commas,\nand a second line in the comment.",`);

    const jsonl = await as.compliance.get(`/api/v1/audit/export?model=${name}&format=jsonl`);
    expect(jsonl.status()).toBe(200);
    expect(jsonl.headers()["content-type"]).toBe("application/x-ndjson; charset=utf-8");
    expect(jsonl.headers()["content-disposition"]).toMatch(/^attachment; filename="gatehouse-audit-[0-9T-]+Z\.jsonl"$/);
    const lines = (await jsonl.text()).trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(listed.map((e) => e.id).reverse());
    expect(lines.find((l) => l.action === "promotion.decide")).toMatchObject({ target_id: r.id, actor_label: demoUser("lead"), reason: 'Approved, with "quotes", commas,\nand a second line in the comment.', after: { decision: "approve", signature: { meaning: "approved" } } });
    expect(lines.every((l) => ISO_UTC.test(l.occurred_at))).toBe(true);

    // The same filters as the list: a filter that matches nothing exports just the header.
    expect(await (await as.auditor.get(`/api/v1/audit/export?model=${name}&team=risk`)).text()).toBe(`${HEADER}\r\n`);
  });

  test("GET /api/v1/audit/verify recomputes the chain and says who verified it when", async () => {
    const before = Date.now();
    const res = await as.auditor.get("/api/v1/audit/verify");
    expect(res.status()).toBe(200);
    const body = await res.json();
    expect(Object.keys(body).sort()).toEqual(["checked", "firstBrokenId", "ok", "verifiedAt", "verifiedBy"]);
    expect(body).toMatchObject({ ok: true, firstBrokenId: null, verifiedBy: demoUser("auditor") });
    expect(body.checked).toBeGreaterThan(0);
    expect(body.verifiedAt).toMatch(ISO_UTC);
    expect(Date.parse(body.verifiedAt)).toBeGreaterThanOrEqual(before - 5_000);
    // The verification is itself in the log.
    const mine = await list({ action: "audit.verify", actor: demoUser("auditor"), limit: 1 });
    expect(mine.items[0]).toMatchObject({ target: { type: "audit-log", id: "chain" } });
  });

  test("alias history ?at=: which version held the alias at a time", async () => {
    const name = await model(2);
    const history = (query = "", alias = "candidate") => as.viewer.get(`/api/v1/models/${name}/aliases/${alias}/history${query}`);
    await expectError(await history(), 404, "not_found");
    await sleep(30);
    const before = new Date().toISOString();
    await sleep(30);
    expect((await as.engineer.put(`/api/v1/models/${name}/aliases/candidate`, { data: { version: 1, reason: "first candidate for the shadow test" } })).status()).toBe(200);
    await sleep(30);
    const between = new Date().toISOString();
    await sleep(30);
    expect((await as.lead.put(`/api/v1/models/${name}/aliases/candidate`, { data: { version: 2, reason: "v2 has the better recall" } })).status()).toBe(200);

    const at = async (t: string) => {
      const res = await history(`?at=${encodeURIComponent(t)}`);
      expect(res.status(), await res.text()).toBe(200);
      return res.json();
    };
    expect(await at(before)).toMatchObject({ model: name, alias: "candidate", at: before, version: null, since: null });
    expect(await at(between)).toMatchObject({ version: 1, since: { toVersion: 1, actor: demoUser("engineer"), reason: "first candidate for the shadow test", via: "direct" } });
    // Another offset, the same instant.
    const local = new Date(Date.parse(between) + 3_600_000).toISOString().replace("Z", "+01:00");
    expect((await at(local)).version).toBe(1);
    const now = await (await history()).json();
    expect(now).toMatchObject({ version: 2, since: { fromVersion: 1, toVersion: 2, actor: demoUser("lead"), reason: "v2 has the better recall" } });
    expect(now.history.map((h: { toVersion: number }) => h.toVersion)).toEqual([2, 1]);

    await expectError(await history("?at=yesterday"), 400, "invalid_input");
    await expectError(await history("?at=2026-11-22T09:00:00"), 400, "invalid_input");
    await expectError(await history("", "never-set"), 404);
    // Promotions record their request: the staging alias names it.
    const r = await promoted(name, "Checked the metrics, lineage and tests; all good.");
    expect(await (await history("", "staging")).json()).toMatchObject({ version: 1, since: { via: "promotion", requestId: r.id, request: { id: r.id, number: r.number } } });
  });

  test("GET /api/v1/promotions/{id}/evidence: for auditors; re-verified offline by the CLI", async () => {
    const name = await model();
    const r = await promoted(name, "Checked the metrics, lineage and tests; all good.");
    await expectError(await as.engineer.get(`/api/v1/promotions/${r.id}/evidence`), 403, "forbidden");
    await expectError(await as.viewer.get(`/api/v1/promotions/${r.id}/evidence`), 403);
    await expectError(await as.auditor.get("/api/v1/promotions/no-such-request/evidence"), 404);

    const res = await as.auditor.get(`/api/v1/promotions/${r.id}/evidence`);
    expect(res.status(), await res.text()).toBe(200);
    expect(res.headers()["content-type"]).toBe("application/json; charset=utf-8");
    const text = await res.text();
    const bundle = JSON.parse(text);
    expect(bundle).toMatchObject({
      format: "gatehouse-evidence-bundle/1",
      request: { id: r.id, number: r.number, model: name, status: "applied" },
      decisions: [{ user: demoUser("lead"), decision: "approve", signature: { meaning: "approved", method: "password re-entry" } }],
      aliasChange: { alias: `${name}@staging`, toVersion: 1, via: "promotion" },
    });
    expect(bundle.auditEvents.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(["promotion.request", "promotion.decide", "alias.set", "promotion.applied"]));
    expect(verifyEvidenceBundle(bundle).ok).toBe(true);
    expect((await as.compliance.get(`/api/v1/promotions/${r.number}/evidence`)).status()).toBe(200);

    const dir = mkdtempSync(path.join(tmpdir(), "gatehouse-evidence-"));
    try {
      const file = path.join(dir, "bundle.json");
      writeFileSync(file, text);
      const ok = await gatehouse("evidence", "verify", file);
      expect(ok.stdout).toContain("The bundle verifies.");
      expect(ok.stdout).not.toContain("FAIL");

      bundle.decisions[0].comment = "Did not really look, approving anyway.";
      writeFileSync(file, JSON.stringify(bundle, null, 2));
      const failed = await gatehouse("evidence", "verify", file).catch((e: { code: number; stdout: string }) => e);
      expect(failed).toMatchObject({ code: 1 });
      expect((failed as { stdout: string }).stdout).toContain("FAIL digest");
      expect((failed as { stdout: string }).stdout).toContain("The bundle does NOT verify.");

      writeFileSync(file, JSON.stringify({ hello: "world" }));
      expect(await gatehouse("evidence", "verify", file).catch((e: { code: number }) => e)).toMatchObject({ code: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
