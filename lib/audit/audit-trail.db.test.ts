import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { AppError } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { encodeCursor } from "@/lib/pagination";
import { decidePromotion } from "@/lib/promotions/decide";
import { verifyEvidenceBundle, bundleDigest } from "@/lib/promotions/bundle-verify";
import { evidenceBundle } from "@/lib/promotions/evidence-bundle";
import { requestPromotion } from "@/lib/promotions/request";
import { COMMENT, PASSWORD, STAGING_ONLY_POLICY, goodVersion, makeModel, makeTeam, makeUser } from "@/lib/promotions/test-fixtures";
import { EXPORT_COLUMNS, exportAuditEvents } from "./export";
import { listAuditEvents, type AuditEventView } from "./query";
import { lastVerification, verifyAndRecord } from "./verifications";
import { verifyAuditChain } from "./verify";

// The audit trail as an auditor meets it, against the real PostgreSQL of `npm test`: filters and pages of the log,
// who may see which events, and evidence bundles (the long export: export.db.test.ts; time travel: lib/registry).
const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);
type User = Actor & { kind: "user" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const justification = "Retrained on October data; offline AUC improved.";

/** Every event the query matches, following the cursors. */
async function everything(actor: Actor, query: Record<string, unknown>): Promise<AuditEventView[]> {
  const out: AuditEventView[] = [];
  let cursor: string | undefined;
  do {
    const page = await listAuditEvents({ actor, query: { ...query, limit: 200, ...(cursor ? { cursor } : {}) } });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

describe.skipIf(!hasDb)("the audit trail in PostgreSQL", () => {
  let team: { id: string; slug: string }, other: { id: string; slug: string };
  let engineer: User, lead: User, otherEngineer: User, auditor: User, teamAuditor: User, otherAuditor: User, compliance: User, viewer: User;
  // One model of `team` with a full history, and one of `other`.
  let model: string, otherModel: string;
  let request: { id: string; number: number };
  let marker: string;
  let midway: Date;

  beforeAll(async () => {
    team = await makeTeam("audit");
    other = await makeTeam("audit-other");
    engineer = await makeUser("eve-engineer", ["engineer"], team.id);
    lead = await makeUser("lee-lead", ["ml-lead"], team.id);
    otherEngineer = await makeUser("oli-engineer", ["engineer"], other.id);
    auditor = await makeUser("ari-auditor", ["auditor"], null);
    teamAuditor = await makeUser("tia-auditor", ["auditor"], team.id);
    otherAuditor = await makeUser("oto-auditor", ["auditor"], other.id);
    compliance = await makeUser("cora-compliance", ["compliance-officer"], null);
    viewer = await makeUser("vic-viewer", ["viewer"], null);

    // Before `midway`: the model, its policy, versions and reports. After: a request, its decision, the alias move.
    model = await makeModel({ team, engineer, policy: STAGING_ONLY_POLICY("[{ role: ml-lead }]", "      electronicSignature: never\n") });
    await goodVersion(model, engineer);
    otherModel = await makeModel({ team: other, engineer: otherEngineer });
    await goodVersion(otherModel, otherEngineer);
    await sleep(20);
    midway = new Date();
    await sleep(20);
    marker = `ZEBRA-${randomBytes(4).toString("hex")}`;
    const r = await requestPromotion({ actor: engineer, input: { model, version: 1, stage: "staging", justification } });
    await decidePromotion({ actor: lead, id: r.id, input: { decision: "approve", comment: `Looked at ticket ${marker}; metrics, lineage and tests are fine.` } });
    request = { id: r.id, number: r.number };
  });
  afterAll(async () => {
    expect((await verifyAuditChain()).ok).toBe(true);
    await db.$disconnect();
  });

  describe("filters", () => {
    it("model: the model, its versions, reports, policy, aliases and promotion requests, each linked", async () => {
      const items = await everything(auditor, { model });
      const types = new Set(items.map((e) => e.target.type));
      expect([...types].sort()).toEqual(["alias", "model", "model-version", "policy", "promotion", "report"]);
      // Nothing about the other model, and every event names this model in what it touched.
      for (const e of items) expect(e.target.label, JSON.stringify(e)).toContain(model);
      expect(items.find((e) => e.target.type === "alias")).toMatchObject({ action: "alias.set", target: { id: `${model}@staging`, href: `/models/${model}/aliases/staging` } });
      expect(items.find((e) => e.target.type === "policy")).toMatchObject({ action: "policy.update", target: { href: `/models/${model}/policy` } });
      expect(items.find((e) => e.action === "promotion.decide")).toMatchObject({ target: { id: request.id, label: `request #${request.number}: ${model} v1 → staging`, href: `/promotions/${request.id}` } });
      expect(items.find((e) => e.target.type === "model-version")).toMatchObject({ target: { label: `${model} v1`, href: `/models/${model}/versions/1` } });
      expect(items.filter((e) => e.target.type === "report")).toHaveLength(2);
      // The same set the database holds for these targets.
      const m = await db.registeredModel.findUniqueOrThrow({ where: { name: model }, include: { versions: { include: { reports: true } } } });
      const ids = [m.id, ...m.versions.map((v) => v.id), ...m.versions.flatMap((v) => v.reports.map((r) => r.id)), request.id, `${model}@staging`, model];
      expect(items).toHaveLength(await db.auditEvent.count({ where: { targetId: { in: ids } } }));
      expect(await everything(auditor, { model: "no-such-model" })).toEqual([]);
    });

    it("team: only that team's events; an unknown team matches nothing", async () => {
      const items = await everything(auditor, { team: other.slug });
      expect(items.length).toBeGreaterThanOrEqual(4);
      expect(items.every((e) => e.teamId === other.id)).toBe(true);
      expect(items.some((e) => e.target.label.includes(otherModel))).toBe(true);
      expect(await everything(auditor, { team: "no-such-team" })).toEqual([]);
    });

    it("actor: a case-insensitive part of the actor's label", async () => {
      const part = lead.label.slice(0, 12).toUpperCase();
      const items = await everything(auditor, { actor: part });
      expect(items.map((e) => e.action)).toContain("promotion.decide");
      expect(items.every((e) => e.actor.label.toLowerCase().includes(part.toLowerCase()))).toBe(true);
    });

    it('action: exact, or a prefix ending in "."', async () => {
      const exact = await everything(auditor, { model, action: "promotion.decide" });
      expect(exact.map((e) => e.action)).toEqual(["promotion.decide"]);
      const prefix = await everything(auditor, { model, action: "promotion." });
      expect(new Set(prefix.map((e) => e.action))).toEqual(new Set(["promotion.request", "promotion.decide", "promotion.approved", "promotion.applied"]));
      expect(await everything(auditor, { model, action: "promotion" })).toEqual([]);
      expect(await everything(auditor, { model, action: "promotion.dec" })).toEqual([]);
    });

    it("from and to: inclusive bounds on when it happened", async () => {
      const all = await everything(auditor, { model });
      const after = await everything(auditor, { model, from: midway.toISOString() });
      const before = await everything(auditor, { model, to: midway.toISOString() });
      expect(after.length + before.length).toBe(all.length);
      expect(after.every((e) => e.at >= midway.toISOString())).toBe(true);
      expect(new Set(after.map((e) => e.target.type))).toEqual(new Set(["promotion", "alias"]));
      expect(new Set(before.map((e) => e.target.type))).toEqual(new Set(["model", "model-version", "report", "policy"]));
      // An offset other than Z means the same instant.
      const decide = all.find((e) => e.action === "promotion.decide")!;
      const at = new Date(decide.at);
      const local = new Date(at.getTime() + 2 * 3_600_000).toISOString().replace("Z", "+02:00");
      expect((await everything(auditor, { model, from: local, to: local })).map((e) => e.id)).toContain(decide.id);
      expect(await everything(auditor, { model, from: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
    });

    it("q: text in the comments, case-insensitive", async () => {
      const found = await everything(auditor, { q: marker.toLowerCase() });
      expect(found.map((e) => [e.action, e.target.id])).toEqual([["promotion.decide", request.id]]);
      expect(found[0].reason).toContain(marker);
      expect(await everything(auditor, { q: `${marker}-nope` })).toEqual([]);
    });

    it("combinations narrow each other", async () => {
      const one = await everything(auditor, { model, team: team.slug, actor: lead.label, action: "promotion.", from: midway.toISOString(), q: marker });
      expect(one.map((e) => e.action)).toEqual(["promotion.decide"]);
      expect(await everything(auditor, { model, team: other.slug })).toEqual([]);
      expect(await everything(auditor, { model, actor: otherEngineer.label })).toEqual([]);
      expect(await everything(auditor, { model: otherModel, q: marker })).toEqual([]);
      const mine = await everything(auditor, { model, actor: engineer.label, to: midway.toISOString() });
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((e) => e.actor.label === engineer.label && e.at <= midway.toISOString())).toBe(true);
    });
  });

  it("cursor pagination: newest first, pages never overlap and together cover everything", async () => {
    const all = await everything(auditor, { model });
    expect(all.length).toBeGreaterThan(7);
    const ids = all.map((e) => BigInt(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a > b ? -1 : 1)));
    const pages: AuditEventView[][] = [];
    let cursor: string | undefined;
    do {
      const page = await listAuditEvents({ actor: auditor, query: { model, limit: 3, ...(cursor ? { cursor } : {}) } });
      expect(page.items.length).toBeLessThanOrEqual(3);
      pages.push(page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && pages.length < 100);
    expect(pages).toHaveLength(Math.ceil(all.length / 3));
    const seen = pages.flat().map((e) => e.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(all.map((e) => e.id));
    // A page of exactly the remaining events says there is no next one.
    const exact = await listAuditEvents({ actor: auditor, query: { model, limit: all.length } });
    expect(exact).toMatchObject({ nextCursor: null });
    expect(exact.items).toHaveLength(all.length);
  });

  describe("who sees what", () => {
    it("a team-scoped auditor sees only events of their teams", async () => {
      const mine = await everything(teamAuditor, {});
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((e) => e.teamId === team.id)).toBe(true);
      expect(mine.map((e) => e.id)).toEqual(expect.arrayContaining((await everything(auditor, { model })).map((e) => e.id)));
      expect(await everything(teamAuditor, { model: otherModel })).toEqual([]);
      expect(await everything(teamAuditor, { team: other.slug })).toEqual([]);
      const theirs = await everything(otherAuditor, { q: marker });
      expect(theirs).toEqual([]);
      expect((await everything(otherAuditor, { model: otherModel })).length).toBeGreaterThan(0);
    });

    it("organisation-wide events (no team) only for global auditors", async () => {
      await verifyAndRecord({ actor: compliance });
      const global = await everything(auditor, { action: "audit.verify", actor: compliance.label });
      expect(global).toHaveLength(1);
      expect(global[0]).toMatchObject({ teamId: null, target: { type: "audit-log", id: "chain" } });
      expect(await everything(teamAuditor, { action: "audit.verify" })).toEqual([]);
    });

    it("engineers and viewers may not read the log; nobody signed out may", async () => {
      for (const actor of [engineer, viewer, lead]) await expect(listAuditEvents({ actor, query: {} })).rejects.toMatchObject({ status: 403 });
      await expect(listAuditEvents({ actor: null, query: {} })).rejects.toMatchObject({ status: 401 });
      await expect(exportAuditEvents({ actor: engineer, query: {} })).rejects.toMatchObject({ status: 403 });
      await expect(verifyAndRecord({ actor: viewer })).rejects.toMatchObject({ status: 403 });
      await expect(lastVerification({ actor: engineer })).rejects.toMatchObject({ status: 403 });
    });
  });

  describe("bad input is refused, saying where", () => {
    it.each<[string, Record<string, unknown>, string]>([
      ["from after to", { from: "2026-11-22T10:00:00Z", to: "2026-11-22T09:00:00Z" }, "to"],
      ["a time that is not ISO 8601", { from: "yesterday" }, "from"],
      ["a time without a zone", { to: "2026-11-22 09:00" }, "to"],
      ["a limit of zero", { limit: 0 }, "limit"],
      ["a limit above 200", { limit: 201 }, "limit"],
      ["an overlong search", { q: "x".repeat(201) }, "q"],
    ])("%s (ZodError)", async (_name, query, path) => {
      const err = await listAuditEvents({ actor: auditor, query }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ZodError);
      expect((err as ZodError).issues.map((i) => i.path.join("."))).toContain(path);
    });

    it.each<[string, string]>([
      ["a cursor that is not base64 JSON", "not-a-cursor!"],
      ["a cursor of another list", encodeCursor("ckz1a2b3c0000abcd")],
      ["a cursor past the largest id", encodeCursor("9999999999999999999")],
    ])("%s (400)", async (_name, cursor) => {
      const err = await listAuditEvents({ actor: auditor, query: { cursor } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ status: 400, code: "invalid_input", details: [{ path: "cursor" }] });
    });

    it("text the database cannot compare (a NUL byte) is refused before any query, for the list and the export", async () => {
      for (const call of [() => listAuditEvents({ actor: auditor, query: { q: "a\u0000b" } }), () => exportAuditEvents({ actor: auditor, query: { actor: "x\u0000" } })]) {
        const err = await call().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ZodError);
        expect((err as ZodError).issues[0].message).toContain("cannot be stored");
      }
    });

    it("an export format other than csv or jsonl", async () => {
      const err = await exportAuditEvents({ actor: auditor, query: { format: "xml" } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ZodError);
      expect((err as ZodError).issues[0]).toMatchObject({ path: ["format"], message: "format is csv or jsonl" });
    });
  });

  describe("evidence bundle", () => {
    let bundleRequest: { id: string; number: number };
    let m: string;
    beforeAll(async () => {
      m = await makeModel({ team, engineer, riskTier: "regulated", policy: STAGING_ONLY_POLICY("[{ role: ml-lead }]", "      electronicSignature: regulated\n") });
      await goodVersion(m, engineer);
      const r = await requestPromotion({ actor: engineer, input: { model: m, version: 1, stage: "staging", justification } });
      const done = await decidePromotion({ actor: lead, id: r.id, input: { decision: "approve", comment: COMMENT, password: PASSWORD } });
      expect(done.status).toBe("applied");
      bundleRequest = { id: r.id, number: r.number };
    });

    it("for an applied, e-signed request: verifies, with the alias change and every event of the request", async () => {
      const bundle = await evidenceBundle({ actor: teamAuditor, id: bundleRequest.id });
      const result = verifyEvidenceBundle(bundle);
      expect(result.checks.filter((c) => !c.ok)).toEqual([]);
      expect(result.ok).toBe(true);
      expect(result.checks.map((c) => c.name)).toEqual(expect.arrayContaining(["format", "digest", "audit events", "chain links", `decision ${bundle.decisions[0].id}`, `signature ${bundle.decisions[0].id}`]));
      expect(bundle).toMatchObject({
        format: "gatehouse-evidence-bundle/1",
        generatedBy: teamAuditor.label,
        request: { id: bundleRequest.id, number: bundleRequest.number, model: m, team: team.slug, riskTier: "regulated", stage: "staging", alias: "staging", status: "applied", justification },
        version: { version: 1, lineage: expect.any(Object) },
        gates: { passed: true },
        policy: { model: { version: 1, document: expect.stringContaining("electronicSignature: regulated") } },
        approvals: { electronicSignature: true },
        decisions: [{ user: lead.label, decision: "approve", comment: COMMENT, signature: { meaning: "approved", signer: { id: lead.userId }, method: "password re-entry" } }],
        aliasChange: { alias: `${m}@staging`, fromVersion: null, toVersion: 1, by: lead.label, via: "promotion" },
      });
      expect(bundle.reports.map((r) => r.kind).sort()).toEqual(["data-validation", "tests"]);
      const actions = bundle.auditEvents.map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(["promotion.request", "promotion.decide", "promotion.approved", "alias.set", "promotion.applied"]));
      expect(bundle.auditEvents.find((e) => e.action === "alias.set")).toMatchObject({ targetType: "alias", targetId: `${m}@staging`, after: { version: 1, via: "promotion", requestId: bundleRequest.id } });
      // The events are the database's, hashes and links included, and nothing of any other request.
      const rows = await db.auditEvent.findMany({ where: { id: { in: bundle.auditEvents.map((e) => BigInt(e.id)) } }, orderBy: { id: "asc" } });
      expect(rows.map((r) => [r.id.toString(), r.prevHash, r.hash])).toEqual(bundle.auditEvents.map((e) => [e.id, e.prevHash, e.hash]));
      expect(bundle.auditEvents.every((e) => e.targetId === bundleRequest.id || (e.after as { requestId?: string }).requestId === bundleRequest.id)).toBe(true);
    });

    it("survives a JSON round trip, and fails verification after tampering", async () => {
      const bundle = await evidenceBundle({ actor: auditor, id: String(bundleRequest.number) });
      const archived = JSON.parse(JSON.stringify(bundle, null, 2));
      expect(verifyEvidenceBundle(archived).ok).toBe(true);
      expect(bundleDigest(archived)).toBe(bundle.digest);

      const edited = structuredClone(archived);
      edited.decisions[0].comment = "Looked fine to me, no need to check.";
      expect(verifyEvidenceBundle(edited).checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(["digest", `decision ${edited.decisions[0].id}`]);

      const resealed = structuredClone(archived);
      resealed.auditEvents.find((e: { action: string }) => e.action === "alias.set").after.version = 2;
      resealed.digest = bundleDigest(resealed);
      expect(verifyEvidenceBundle(resealed)).toMatchObject({ ok: false, checks: expect.arrayContaining([expect.objectContaining({ name: "audit events", ok: false })]) });

      const unsigned = structuredClone(archived);
      unsigned.decisions[0].signature.signer.name = "Somebody Else";
      unsigned.digest = bundleDigest(unsigned);
      expect(verifyEvidenceBundle(unsigned).checks.filter((c) => !c.ok).map((c) => c.name)).toEqual([`signature ${archived.decisions[0].id}`]);
    });

    it("only for auditors of the request's team: another team's auditor gets not-found, an engineer forbidden", async () => {
      await expect(evidenceBundle({ actor: otherAuditor, id: bundleRequest.id })).rejects.toMatchObject({ status: 404 });
      await expect(evidenceBundle({ actor: engineer, id: bundleRequest.id })).rejects.toMatchObject({ status: 403 });
      await expect(evidenceBundle({ actor: null, id: bundleRequest.id })).rejects.toMatchObject({ status: 401 });
      await expect(evidenceBundle({ actor: auditor, id: "no-such-request" })).rejects.toMatchObject({ status: 404 });
      await expect(evidenceBundle({ actor: compliance, id: bundleRequest.id })).resolves.toMatchObject({ request: { id: bundleRequest.id } });
    });
  });

  it("a small export keeps to the filters and the reader's teams", async () => {
    const read = async (actor: Actor, query: Record<string, unknown>) => {
      const out = await exportAuditEvents({ actor, query, now: new Date("2026-11-22T10:00:00.000Z") });
      return { ...out, text: await new Response(out.stream).text() };
    };
    const csv = await read(teamAuditor, { model });
    expect(csv).toMatchObject({ filename: "gatehouse-audit-2026-11-22T10-00-00-000Z.csv", contentType: "text/csv; charset=utf-8" });
    const lines = csv.text.split("\r\n").filter(Boolean);
    expect(lines[0]).toBe(EXPORT_COLUMNS.join(","));
    const listed = await everything(auditor, { model });
    // Oldest first in the export; the page shows newest first.
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(listed.map((e) => e.id).reverse());
    const jsonl = await read(auditor, { model, format: "jsonl" });
    expect(jsonl.contentType).toBe("application/x-ndjson; charset=utf-8");
    const records = jsonl.text.trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(records.map((r) => r.id)).toEqual(listed.map((e) => e.id).reverse());
    expect(records.find((r) => r.action === "promotion.decide")).toMatchObject({ actor_label: lead.label, team_id: team.id, after: { decision: "approve" }, reason: expect.stringContaining(marker) });
    expect((await read(otherAuditor, { model })).text).toBe(EXPORT_COLUMNS.join(",") + "\r\n");
    expect((await read(otherAuditor, { model, format: "jsonl" })).text).toBe("");
  });
});
