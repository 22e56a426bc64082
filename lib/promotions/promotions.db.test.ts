import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/verify";
import type { Actor } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { putModelPolicy } from "@/lib/policy/policies";
import { resolveAlias, setAlias } from "@/lib/registry/aliases";
import { addReport } from "@/lib/registry/reports";
import { updateVersion } from "@/lib/registry/versions";
import { decidePromotion } from "./decide";
import { runPromotionChores } from "./jobs";
import { cancelPromotion, requestPromotion, resubmitPromotion } from "./request";
import { reviewEmergencyPromotion, rollbackAlias } from "./rollback";
import { COMMENT, PASSWORD, STAGING_ONLY_POLICY, SYSTEM_ACTOR, goodVersion, makeModel, makeTeam, makeUser } from "./test-fixtures";
import { getPromotion } from "./views";

// Against the real PostgreSQL of `npm test`: requests, decisions, alias moves and rollbacks as users meet them.
const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);
type User = Actor & { kind: "user" };

describe.skipIf(!hasDb)("promotion requests in PostgreSQL", () => {
  let team: { id: string; slug: string };
  let engineer: User, lead: User, lead2: User, compliance: User, both: User, admin: User, viewer: User, otherLead: User;
  const holder = async (model: string, alias: string) => (await resolveAlias({ actor: SYSTEM_ACTOR, model, alias }).catch(() => null))?.view.version ?? null;
  const justification = "Retrained on October data; offline AUC improved.";

  beforeAll(async () => {
    team = await makeTeam("promo");
    const other = await makeTeam("other");
    engineer = await makeUser("Eve Engineer", ["engineer"], team.id);
    lead = await makeUser("Lee Lead", ["ml-lead"], team.id);
    lead2 = await makeUser("Lou Lead", ["ml-lead"], null);
    compliance = await makeUser("Cora Compliance", ["compliance-officer"], null);
    both = await makeUser("Bo Both", ["ml-lead", "compliance-officer"], team.id);
    admin = await makeUser("Ada Admin", ["admin"], null);
    viewer = await makeUser("Vic Viewer", ["viewer"], team.id);
    otherLead = await makeUser("Oli Other", ["ml-lead"], other.id);
  });
  afterAll(async () => {
    expect((await verifyAuditChain()).ok).toBe(true);
    await db.$disconnect();
  });

  it("requested, approved by an ML Lead with a comment, applied: the alias moves and records the request", async () => {
    const model = await makeModel({ team, engineer, policy: STAGING_ONLY_POLICY("[{ role: ml-lead }]") });
    const v1 = await goodVersion(model, engineer);
    const r = await requestPromotion({ actor: engineer, input: { model, version: v1, stage: "staging", justification } });
    expect(r).toMatchObject({ status: "awaiting-approval", gatesPassed: true, missing: [{ role: "ml-lead", count: 1 }], move: { sentence: `${model}@staging moves from nothing (it is created) to v1` } });
    const done = await decidePromotion({ actor: lead, id: r.id, input: { decision: "approve", comment: COMMENT } });
    expect(done).toMatchObject({ status: "applied", statusReason: `${model}@staging moved from nothing to v1.` });
    expect(done.decisions).toEqual([expect.objectContaining({ user: lead.label, decision: "approve", state: "counted", countedAs: "ml-lead", comment: COMMENT })]);
    expect(await holder(model, "staging")).toBe(1);
    const change = await db.aliasChange.findFirstOrThrow({ where: { alias: "staging", model: { name: model } } });
    expect(change).toMatchObject({ via: "promotion", requestId: r.id, toVersion: 1 });
    const actions = (await db.auditEvent.findMany({ where: { targetId: r.id }, orderBy: { id: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["promotion.request", "promotion.decide", "promotion.approved", "promotion.applied"]);
  });

  it("an empty quorum promotes by itself once gates pass, recorded as automatic", async () => {
    const model = await makeModel({ team, engineer });
    const v1 = await goodVersion(model, engineer);
    const r = await requestPromotion({ actor: engineer, input: { model, version: v1, stage: "staging", justification } });
    expect(r).toMatchObject({ status: "applied", autoApplied: true, approvals: { automatic: true } });
    expect(r.statusReason).toContain("automatically: the policy asks for no approvals for staging");
    expect(await holder(model, "staging")).toBe(1);
  });

  it("a blocked request moves on by itself when the missing evidence arrives", async () => {
    const model = await makeModel({ team, engineer });
    const v = await goodVersion(model, engineer);
    await addReport({ actor: engineer, model, version: String(v), input: { kind: "tests", payload: { suites: [{ name: "unit", kind: "unit", passed: 9, failed: 1 }] } } });
    const r = await requestPromotion({ actor: engineer, input: { model, version: v, stage: "staging", justification } });
    expect(r.status).toBe("blocked");
    expect(r.statusReason).toMatch(/cannot move to staging yet: 1 failing/);
    await addReport({ actor: engineer, model, version: String(v), input: { kind: "tests", payload: { suites: [{ name: "unit", kind: "unit", passed: 10, failed: 0 }] } } });
    expect((await getPromotion({ actor: viewer, id: r.id })).status).toBe("applied");
  });

  it("separation of duties: not the requester, not a role the policy does not ask for, service tokens never", async () => {
    const model = await makeModel({ team, engineer: lead, policy: STAGING_ONLY_POLICY("[{ role: ml-lead }]") });
    const v = await goodVersion(model, lead);
    const r = await requestPromotion({ actor: lead, input: { model, version: v, stage: "staging", justification } });
    await expect(decidePromotion({ actor: lead, id: r.id, input: { decision: "approve", comment: COMMENT } })).rejects.toMatchObject({ status: 403, message: expect.stringContaining("You requested this promotion") });
    await expect(decidePromotion({ actor: compliance, id: r.id, input: { decision: "approve", comment: COMMENT } })).rejects.toMatchObject({ status: 403, message: expect.stringContaining("needs decisions from ml-lead") });
    await expect(decidePromotion({ actor: admin, id: r.id, input: { decision: "approve", comment: COMMENT } })).rejects.toMatchObject({ status: 403 });
    await expect(decidePromotion({ actor: otherLead, id: r.id, input: { decision: "approve", comment: COMMENT } })).rejects.toMatchObject({ status: 404 });
    const token: Actor = { kind: "service", tokenId: "t-1", label: "token:ci", scopes: ["promotions:request", "registry:read"] };
    await expect(decidePromotion({ actor: token, id: r.id, input: { decision: "approve", comment: COMMENT } })).rejects.toMatchObject({ status: 403, message: expect.stringContaining("Service tokens cannot decide") });
    await expect(decidePromotion({ actor: lead2, id: r.id, input: { decision: "approve", comment: "ok" } })).rejects.toThrow(/at least 20 characters/);
    expect((await getPromotion({ actor: viewer, id: r.id })).status).toBe("awaiting-approval");
  });

  it("one person with two asked roles counts once; the registrant cannot approve for production", async () => {
    const model = await makeModel({ team, engineer, policy: STAGING_ONLY_POLICY("[{ role: ml-lead }, { role: compliance-officer }]", "      electronicSignature: never\n") });
    const v = await goodVersion(model, engineer);
    const r = await requestPromotion({ actor: engineer, input: { model, version: v, stage: "staging", justification } });
    const once = await decidePromotion({ actor: both, id: r.id, input: { decision: "approve", comment: COMMENT } });
    expect(once.status).toBe("awaiting-approval");
    expect(once.missing).toHaveLength(1);
    const done = await decidePromotion({ actor: lead, id: r.id, input: { decision: "approve", comment: COMMENT } });
    expect(done.status).toBe("applied");
    expect(done.decisions.map((d) => d.countedAs).sort()).toEqual(["compliance-officer", "ml-lead"]);
  });

  it("electronic signatures: a wrong password is refused and records nothing; the right one signs", async () => {
    const model = await makeModel({ team, engineer, riskTier: "regulated", policy: STAGING_ONLY_POLICY("[{ role: ml-lead }]", "      electronicSignature: regulated\n") });
    const v = await goodVersion(model, engineer);
    const r = await requestPromotion({ actor: engineer, input: { model, version: v, stage: "staging", justification } });
    expect(r.approvals.electronicSignature).toBe(true);
    await expect(decidePromotion({ actor: lead, id: r.id, input: { decision: "approve", comment: COMMENT } })).rejects.toMatchObject({ status: 400, details: [{ path: "password" }] });
    await expect(decidePromotion({ actor: lead, id: r.id, input: { decision: "approve", comment: COMMENT, password: "wrong" } })).rejects.toMatchObject({ status: 403, code: "signature_failed" });
    expect(await db.promotionDecision.count({ where: { requestId: r.id } })).toBe(0);
    const done = await decidePromotion({ actor: lead, id: r.id, input: { decision: "approve", comment: COMMENT, password: PASSWORD } });
    expect(done.decisions[0].signature).toMatchObject({ meaning: "approved", signer: { id: lead.userId, name: "Lee Lead" }, evidenceHash: r.evidenceHash, method: "password re-entry" });
    expect(done.status).toBe("applied");
  });

  it("a new report makes earlier approvals stale; they must be given again", async () => {
    const model = await makeModel({ team, engineer, policy: STAGING_ONLY_POLICY("[{ role: ml-lead, count: 2 }]") });
    const v = await goodVersion(model, engineer);
    const r = await requestPromotion({ actor: engineer, input: { model, version: v, stage: "staging", justification } });
    await decidePromotion({ actor: lead, id: r.id, input: { decision: "approve", comment: COMMENT } });
    await addReport({ actor: engineer, model, version: String(v), input: { kind: "tests", payload: { suites: [{ name: "unit", kind: "unit", passed: 11, failed: 0 }] } } });
    const after = await getPromotion({ actor: viewer, id: r.id });
    expect(after.evidenceHash).not.toBe(r.evidenceHash);
    expect(after.decisions[0].state).toBe("stale");
    expect(after.missing).toEqual([{ role: "ml-lead", count: 2 }]);
    expect((await decidePromotion({ actor: lead2, id: r.id, input: { decision: "approve", comment: COMMENT } })).status).toBe("awaiting-approval");
    expect((await decidePromotion({ actor: lead, id: r.id, input: { decision: "approve", comment: COMMENT } })).status).toBe("applied");
  });

  it("a policy change re-runs the gates: a request blocked by a model gate moves on when the gate is relaxed", async () => {
    const strict = `stages:\n  staging:\n    gates:\n      - id: auc\n        type: metric\n        metric: auc\n        min: 0.99\n    approvals:\n      quorum: []\n`;
    const model = await makeModel({ team, engineer, policy: strict });
    const v = await goodVersion(model, engineer);
    await addReport({ actor: engineer, model, version: String(v), input: { kind: "offline-metrics", payload: { dataset: { name: "holdout" }, metrics: { auc: 0.93 } } } });
    const r = await requestPromotion({ actor: engineer, input: { model, version: v, stage: "staging", justification } });
    expect(r).toMatchObject({ status: "blocked", policy: { modelVersion: 1 } });
    expect(r.statusReason).toContain("failing: auc");
    await putModelPolicy({ actor: SYSTEM_ACTOR, model, input: { document: strict.replace("0.99", "0.9"), comment: "AUC floor agreed at 0.9" } });
    const after = await getPromotion({ actor: viewer, id: r.id });
    expect(after).toMatchObject({ status: "applied", policy: { modelVersion: 2 } });
    const actions = (await db.auditEvent.findMany({ where: { targetId: r.id }, orderBy: { id: "asc" } })).map((e) => [e.action, e.actorLabel]);
    expect(actions).toContainEqual(["promotion.reevaluate", "Gatehouse"]);
  });

  it("a change of the target alias's holder makes earlier approvals stale", async () => {
    const model = await makeModel({ team, engineer, policy: STAGING_ONLY_POLICY("[{ role: ml-lead, count: 2 }]") });
    const v1 = await goodVersion(model, engineer);
    const v2 = await goodVersion(model, engineer);
    const v3 = await goodVersion(model, engineer);
    for (const v of [v1, v2]) {
      const r = await requestPromotion({ actor: engineer, input: { model, version: v, stage: "staging", justification } });
      for (const actor of [lead, lead2]) await decidePromotion({ actor, id: r.id, input: { decision: "approve", comment: COMMENT } });
    }
    const r3 = await requestPromotion({ actor: engineer, input: { model, version: v3, stage: "staging", justification } });
    await decidePromotion({ actor: lead, id: r3.id, input: { decision: "approve", comment: COMMENT } });
    expect(r3.move.sentence).toBe(`${model}@staging moves from v2 to v3`);
    await rollbackAlias({ actor: lead, model, alias: "staging", input: { comment: "v2 misbehaves under real traffic." } });
    const after = await getPromotion({ actor: viewer, id: r3.id });
    expect(after.move.sentence).toBe(`${model}@staging moves from v1 to v3`);
    expect(after.decisions.map((d) => d.state)).toEqual(["stale"]);
    expect(after.missing).toEqual([{ role: "ml-lead", count: 2 }]);
  });

  it("approvals expire after the policy's ttl; requests expire after their lifetime", async () => {
    const model = await makeModel({ team, engineer, policy: STAGING_ONLY_POLICY("[{ role: ml-lead, count: 2 }]", "      ttl: 1h\n") });
    const v = await goodVersion(model, engineer);
    const r = await requestPromotion({ actor: engineer, input: { model, version: v, stage: "staging", justification } });
    await decidePromotion({ actor: lead, id: r.id, input: { decision: "approve", comment: COMMENT } });
    const later = new Date(Date.now() + 2 * 3_600_000);
    const view = await getPromotion({ actor: viewer, id: r.id, now: later });
    expect(view.decisions[0].state).toBe("expired");
    expect((await decidePromotion({ actor: lead2, id: r.id, input: { decision: "approve", comment: COMMENT }, now: later })).status).toBe("awaiting-approval");
    const done = await runPromotionChores(new Date(Date.now() + 31 * 86_400_000));
    expect(done.expired).toBeGreaterThanOrEqual(1);
    expect((await getPromotion({ actor: viewer, id: r.id })).status).toBe("expired");
  });

  it("reject ends the request; request-changes returns it to the requester, who resubmits into a new round", async () => {
    const model = await makeModel({ team, engineer, policy: STAGING_ONLY_POLICY("[{ role: ml-lead }]") });
    const v = await goodVersion(model, engineer);
    const r = await requestPromotion({ actor: engineer, input: { model, version: v, stage: "staging", justification } });
    const sent = await decidePromotion({ actor: lead, id: r.id, input: { decision: "request-changes", comment: "Attach the latency report before staging, please." } });
    expect(sent.status).toBe("changes-requested");
    await expect(decidePromotion({ actor: lead2, id: r.id, input: { decision: "approve", comment: COMMENT } })).rejects.toMatchObject({ status: 409 });
    await expect(resubmitPromotion({ actor: lead, id: r.id, input: { comment: "Resubmitting on behalf of the engineer." } })).rejects.toMatchObject({ status: 403 });
    const again = await resubmitPromotion({ actor: engineer, id: r.id, input: { comment: "Latency report attached, please look again." } });
    expect(again).toMatchObject({ status: "awaiting-approval", approvals: { round: 2 } });
    const rejected = await decidePromotion({ actor: lead2, id: r.id, input: { decision: "reject", comment: "Not before the quarter-end freeze is over." } });
    expect(rejected).toMatchObject({ status: "rejected", statusReason: "Rejected by Lou Lead: Not before the quarter-end freeze is over." });
    await expect(cancelPromotion({ actor: engineer, id: r.id, input: { comment: "Cancelling after the rejection." } })).rejects.toMatchObject({ status: 409 });
  });

  it("a newer request supersedes the open one, saying by which; only the requester or an admin cancels", async () => {
    const model = await makeModel({ team, engineer, policy: STAGING_ONLY_POLICY("[{ role: ml-lead }]") });
    const v1 = await goodVersion(model, engineer);
    const v2 = await goodVersion(model, engineer);
    const first = await requestPromotion({ actor: engineer, input: { model, version: v1, stage: "staging", justification } });
    const second = await requestPromotion({ actor: engineer, input: { model, version: v2, stage: "staging", justification } });
    const old = await getPromotion({ actor: viewer, id: first.id });
    expect(old).toMatchObject({ status: "superseded", supersededBy: { id: second.id, number: second.number } });
    expect(old.statusReason).toBe(`Superseded by #${second.number}: a newer request for @staging (v2).`);
    await expect(cancelPromotion({ actor: lead, id: second.id, input: { comment: "I would like to cancel this one." } })).rejects.toMatchObject({ status: 403 });
    expect((await cancelPromotion({ actor: admin, id: String(second.number), input: { comment: "Cancelled: the release moved to next week." } })).status).toBe("cancelled");
  });

  it("20 concurrent requests and approvals on one alias: exactly one applies, the chain verifies", async () => {
    const model = await makeModel({ team, engineer, policy: STAGING_ONLY_POLICY("[{ role: ml-lead }]") });
    const versions: number[] = [];
    for (let i = 0; i < 4; i++) versions.push(await goodVersion(model, engineer));
    const requests = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => requestPromotion({ actor: engineer, input: { model, version: versions[i % 4], stage: "staging", justification } })));
    const ids = requests.flatMap((p) => (p.status === "fulfilled" ? [p.value.id] : []));
    expect(ids.length).toBeGreaterThan(0);
    const decisions = await Promise.allSettled(ids.flatMap((id) => [lead, lead2].map((actor) => decidePromotion({ actor, id, input: { decision: "approve", comment: COMMENT } }))));
    // Losers are told why (superseded, applied already, or the version holds the alias now): never a deadlock or a 500.
    for (const p of [...requests, ...decisions]) if (p.status === "rejected") expect(p.reason).toMatchObject({ status: 409 });
    const rows = await db.promotionRequest.findMany({ where: { model: { name: model } } });
    expect(rows.filter((r) => r.status === "applied")).toHaveLength(1);
    expect(rows.filter((r) => ["blocked", "awaiting-approval", "approved"].includes(r.status))).toHaveLength(0);
    const applied = rows.find((r) => r.status === "applied")!;
    expect(await db.modelAlias.count({ where: { model: { name: model }, name: "staging" } })).toBe(1);
    expect((await db.modelAlias.findFirstOrThrow({ where: { model: { name: model }, name: "staging" } })).versionId).toBe(applied.versionId);
    expect((await verifyAuditChain()).ok).toBe(true);
  });

  it("reports, policy saves and decisions on one model at once never deadlock (one lock order everywhere)", async () => {
    const model = await makeModel({ team, engineer, policy: STAGING_ONLY_POLICY("[{ role: ml-lead, count: 2 }]") });
    const v = await goodVersion(model, engineer);
    const r = await requestPromotion({ actor: engineer, input: { model, version: v, stage: "staging", justification } });
    const tests = (passed: number) => ({ kind: "tests" as const, payload: { suites: [{ name: "unit", kind: "unit" as const, passed, failed: 0 }] } });
    const results = await Promise.allSettled([
      ...Array.from({ length: 6 }, (_, i) => addReport({ actor: engineer, model, version: String(v), input: tests(20 + i) })),
      ...Array.from({ length: 3 }, (_, i) => putModelPolicy({ actor: SYSTEM_ACTOR, model, input: { document: STAGING_ONLY_POLICY("[{ role: ml-lead, count: 2 }]", `      ttl: ${i + 2}d\n`), comment: `ttl ${i + 2}d` } })),
      decidePromotion({ actor: lead, id: r.id, input: { decision: "approve", comment: COMMENT } }),
      decidePromotion({ actor: lead2, id: r.id, input: { decision: "approve", comment: COMMENT } }),
    ]);
    expect(results.filter((p) => p.status === "rejected").map((p) => (p as PromiseRejectedResult).reason)).toEqual([]);
    expect((await verifyAuditChain()).ok).toBe(true);
  });

  it("an archived candidate blocks its request; a repeated default rollback is refused instead of undoing itself", async () => {
    const model = await makeModel({ team, engineer, policy: STAGING_ONLY_POLICY("[{ role: ml-lead }]") });
    const [v1, v2, v3] = [await goodVersion(model, engineer), await goodVersion(model, engineer), await goodVersion(model, engineer)];
    for (const v of [v1, v2]) {
      const r = await requestPromotion({ actor: engineer, input: { model, version: v, stage: "staging", justification } });
      await decidePromotion({ actor: lead, id: r.id, input: { decision: "approve", comment: COMMENT } });
    }
    const r3 = await requestPromotion({ actor: engineer, input: { model, version: v3, stage: "staging", justification } });
    await updateVersion({ actor: engineer, model, version: String(v3), input: { status: "archived", reason: "wrong data snapshot" } });
    expect(await getPromotion({ actor: viewer, id: r3.id })).toMatchObject({ status: "blocked", statusReason: "v3 is archived; unarchive it before it can move." });
    await expect(decidePromotion({ actor: lead, id: r3.id, input: { decision: "approve", comment: COMMENT } })).rejects.toMatchObject({ status: 409 });
    expect(await holder(model, "staging")).toBe(2);

    const first = await rollbackAlias({ actor: lead, model, alias: "staging", input: { comment: "v2 misbehaves under real traffic." } });
    expect(first).toMatchObject({ from: 2, to: 1 });
    await expect(rollbackAlias({ actor: lead, model, alias: "staging", input: { comment: "v2 misbehaves under real traffic." } })).rejects.toMatchObject({ status: 409, message: expect.stringContaining("it was just rolled back to v1 from v2") });
    expect(await holder(model, "staging")).toBe(1);
  });

  it("protected aliases refuse PUT and DELETE; rollback repoints to the previous holder and marks the request", async () => {
    const model = await makeModel({ team, engineer });
    const v1 = await goodVersion(model, engineer);
    const v2 = await goodVersion(model, engineer);
    await requestPromotion({ actor: engineer, input: { model, version: v1, stage: "staging", justification } });
    const second = await requestPromotion({ actor: engineer, input: { model, version: v2, stage: "staging", justification } });
    expect(await holder(model, "staging")).toBe(2);
    await expect(setAlias({ actor: engineer, model, alias: "staging", input: { version: 1 } })).rejects.toMatchObject({ status: 403, code: "protected_alias", message: expect.stringContaining("POST /api/v1/promotions") });
    await expect(setAlias({ actor: engineer, model, alias: "champion", input: { version: 1 } })).rejects.toMatchObject({ code: "protected_alias" });
    await expect(rollbackAlias({ actor: engineer, model, alias: "staging", input: { comment: "Latency regression seen in staging." } })).rejects.toMatchObject({ status: 403 });
    const back = await rollbackAlias({ actor: lead, model, alias: "staging", input: { comment: "Latency regression seen in staging." } });
    expect(back).toMatchObject({ from: 2, to: 1, requestId: second.id, alias: { version: 1 } });
    expect(await getPromotion({ actor: viewer, id: second.id })).toMatchObject({ status: "rolled-back" });
    await expect(rollbackAlias({ actor: admin, model, alias: "staging", input: { toVersion: 7, comment: "Trying a version that never held it." } })).rejects.toMatchObject({ status: 409 });
    await expect(rollbackAlias({ actor: admin, model, alias: "staging", input: { toVersion: 2, comment: "The regression was a dashboard error." } })).resolves.toMatchObject({ to: 2 });
  });

  it("the emergency path: an ML Lead and an admin apply instead of the quorum; a compliance review is then due", async () => {
    const model = await makeModel({ team, engineer, policy: STAGING_ONLY_POLICY("[{ role: compliance-officer, count: 2 }]") });
    const v1 = await goodVersion(model, engineer);
    const r = await requestPromotion({ actor: engineer, input: { model, version: v1, stage: "staging", justification: "Hotfix for the scoring outage, incident 4711.", emergency: true } });
    expect(r).toMatchObject({ status: "awaiting-approval", emergency: true, missing: [{ role: "ml-lead", count: 1 }, { role: "admin", count: 1 }] });
    await decidePromotion({ actor: lead, id: r.id, input: { decision: "approve", comment: COMMENT } });
    const done = await decidePromotion({ actor: admin, id: r.id, input: { decision: "approve", comment: "Approved as incident commander for 4711." } });
    expect(done).toMatchObject({ status: "applied", reviewDue: true });
    await expect(reviewEmergencyPromotion({ actor: lead, id: r.id, input: { comment: "Reviewing my own emergency change." } })).rejects.toMatchObject({ status: 403 });
    const reviewed = await reviewEmergencyPromotion({ actor: compliance, id: r.id, input: { comment: "Reviewed: the hotfix and its evidence are in order." } });
    expect(reviewed).toMatchObject({ reviewDue: false, review: { reviewedBy: compliance.label } });
  });
});
