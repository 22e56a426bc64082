import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/verify";
import { db } from "@/lib/db";
import { decidePromotion } from "@/lib/promotions/decide";
import { runPromotionChores } from "@/lib/promotions/jobs";
import { requestPromotion } from "@/lib/promotions/request";
import { rollbackAlias } from "@/lib/promotions/rollback";
import { COMMENT, PASSWORD, STAGING_ONLY_POLICY, SYSTEM_ACTOR, goodVersion, makeModel, makeTeam, makeUser } from "@/lib/promotions/test-fixtures";
import { getPromotion } from "@/lib/promotions/views";
import { importAliases, resolveAlias } from "@/lib/registry/aliases";
import { registerVersion } from "@/lib/registry/versions";
import { cancelRelease, createRelease, decideRelease, rollbackRelease } from "./release";
import { syncRelease } from "./sync";
import { getRelease, listReleases } from "./views";

// Coordinated releases against the real PostgreSQL: all or nothing, rules, rollback, races.
const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);
const JUSTIFICATION = "The ranker v2 reads the encoder v2 embeddings; they ship together.";

describe.skipIf(!hasDb)("coordinated releases in PostgreSQL", () => {
  let team: { id: string; slug: string };
  let engineer: Awaited<ReturnType<typeof makeUser>>;
  let lead: Awaited<ReturnType<typeof makeUser>>;
  let lead2: Awaited<ReturnType<typeof makeUser>>;
  let viewer: Awaited<ReturnType<typeof makeUser>>;
  const holder = async (model: string, alias: string) => (await resolveAlias({ actor: SYSTEM_ACTOR, model, alias }).catch(() => null))?.view.version ?? null;

  beforeAll(async () => {
    team = await makeTeam("release");
    engineer = await makeUser("Eve Engineer", ["engineer"], team.id);
    lead = await makeUser("Lee Lead", ["ml-lead"], team.id);
    lead2 = await makeUser("Lou Lead", ["ml-lead"], team.id);
    viewer = await makeUser("Vic Viewer", ["viewer"], team.id);
  });
  afterAll(async () => {
    expect((await verifyAuditChain()).ok).toBe(true);
    await db.$disconnect();
  });

  /** Two models with v1 on @staging and a good v2 each; staging needs one ml-lead. */
  async function pair(policy = STAGING_ONLY_POLICY("[{ role: ml-lead }]")) {
    const encoder = await makeModel({ team, engineer, policy });
    const ranker = await makeModel({ team, engineer, policy });
    for (const m of [encoder, ranker]) {
      const v1 = await goodVersion(m, engineer);
      await goodVersion(m, engineer);
      await importAliases({ actor: SYSTEM_ACTOR, model: m, aliases: { staging: v1 }, reason: "running" });
    }
    return { encoder, ranker };
  }
  const release = (encoder: string, ranker: string, extra: object = {}) =>
    createRelease({ actor: engineer, input: { name: "ranking-2031-04", justification: JUSTIFICATION, members: [{ model: encoder, version: 2, stage: "staging" }, { model: ranker, version: 2, stage: "staging" }], ...extra } });

  it("holds every member until all are approved, then moves every alias in one transaction", async () => {
    const { encoder, ranker } = await pair();
    const r = await release(encoder, ranker);
    expect(r).toMatchObject({ status: "open", members: [{ model: encoder, status: "awaiting-approval" }, { model: ranker, status: "awaiting-approval" }] });
    const [a, b] = r.memberViews;
    expect(a.release).toMatchObject({ id: r.id, number: r.number });

    // One member approved: it waits, approved, and nothing moves.
    const one = await decidePromotion({ actor: lead, id: a.id, input: { decision: "approve", comment: COMMENT } });
    expect(one.status).toBe("approved");
    expect(one.statusReason).toMatch(/applies with its release/);
    expect(await holder(encoder, "staging")).toBe(1);
    expect((await getRelease({ actor: viewer, id: r.id })).statusReason).toMatch(new RegExp(`#${b.number} \\(${ranker} v2\\), awaiting approval`));

    // The last approval applies both.
    await decidePromotion({ actor: lead, id: b.id, input: { decision: "approve", comment: COMMENT } });
    const done = await getRelease({ actor: viewer, id: String(r.number) });
    expect(done).toMatchObject({ status: "applied", members: [{ status: "applied" }, { status: "applied" }] });
    expect([await holder(encoder, "staging"), await holder(ranker, "staging")]).toEqual([2, 2]);

    // One audit event per alias and one for the release, in one transaction (consecutive ids).
    const events = await db.auditEvent.findMany({ where: { OR: [{ targetType: "alias", targetId: { in: [`${encoder}@staging`, `${ranker}@staging`] } }, { targetType: "release", targetId: r.id }] }, orderBy: { id: "asc" } });
    const moves = events.filter((e) => e.action === "alias.set" && (e.after as { version: number }).version === 2);
    const applied = events.filter((e) => e.action === "release.applied");
    expect(moves).toHaveLength(2);
    expect(applied).toHaveLength(1);
    expect(Number(applied[0].id) - Number(moves[0].id)).toBeLessThan(20);
  });

  it("one blocked member holds all: nothing moves while its gates fail", async () => {
    const { encoder, ranker } = await pair();
    // v3 of the ranker has no test report: its staging gates cannot pass.
    const bare = await registerVersion({ actor: engineer, model: ranker, input: { artifact: { uri: `s3://t/${ranker}/3`, checksum: "sha256:" + "b".repeat(64) } } });
    const r = await createRelease({ actor: engineer, input: { name: "blocked", justification: JUSTIFICATION, members: [{ model: encoder, version: 2, stage: "staging" }, { model: ranker, version: bare.version, stage: "staging" }] } });
    expect(r.members.map((m) => m.status)).toEqual(["awaiting-approval", "blocked"]);
    await decidePromotion({ actor: lead, id: r.memberViews[0].id, input: { decision: "approve", comment: COMMENT } });
    const after = await getRelease({ actor: viewer, id: r.id });
    expect(after.status).toBe("open");
    expect(after.statusReason).toMatch(/blocked/);
    expect([await holder(encoder, "staging"), await holder(ranker, "staging")]).toEqual([1, 1]);
    // A release decision skips what the approver cannot decide on, and says why.
    await expect(decideRelease({ actor: lead, id: r.id, input: { decision: "approve", comment: COMMENT } })).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/already approved.*blocked/s) });
  });

  it("a rejected member ends the release and cancels the others", async () => {
    const { encoder, ranker } = await pair();
    const r = await release(encoder, ranker);
    await decidePromotion({ actor: lead, id: r.memberViews[1].id, input: { decision: "reject", comment: "The ranker regresses on the long tail; not this time." } });
    const after = await getRelease({ actor: viewer, id: r.id });
    expect(after).toMatchObject({ status: "rejected", members: [{ status: "cancelled" }, { status: "rejected" }] });
    expect(after.statusReason).toMatch(/was rejected/);
    expect(await holder(encoder, "staging")).toBe(1);
  });

  it("decides on every member at once, and rolls every alias back in one transaction", async () => {
    const { encoder, ranker } = await pair();
    const r = await release(encoder, ranker);
    const decided = await decideRelease({ actor: lead, id: r.id, input: { decision: "approve", comment: COMMENT } });
    expect(decided.decided).toHaveLength(2);
    expect(decided.status).toBe("applied");
    await expect(rollbackRelease({ actor: viewer, id: r.id, input: { comment: "Pulling the pair back, the click-through fell." } })).rejects.toMatchObject({ status: 403 });
    const back = await rollbackRelease({ actor: lead2, id: r.id, input: { comment: "Click-through fell on the pair; back to v1 for both." } });
    expect(back).toMatchObject({ status: "rolled-back", members: [{ status: "rolled-back" }, { status: "rolled-back" }] });
    expect([await holder(encoder, "staging"), await holder(ranker, "staging")]).toEqual([1, 1]);
    await expect(rollbackRelease({ actor: lead2, id: r.id, input: { comment: "Again, to be sure it is really back." } })).rejects.toMatchObject({ status: 409 });
  });

  it("refuses a whole-release rollback when an alias moved on since, naming it", async () => {
    const { encoder, ranker } = await pair();
    const r = await release(encoder, ranker);
    await decideRelease({ actor: lead, id: r.id, input: { decision: "approve", comment: COMMENT } });
    await rollbackAlias({ actor: lead2, model: ranker, alias: "staging", input: { comment: "Only the ranker, by hand, after the alert fired." } });
    // Rolling back one member by hand rolls the rest of the release back with it: no mismatched pair is left.
    const after = await getRelease({ actor: viewer, id: r.id });
    expect(after.status).toBe("rolled-back");
    expect([await holder(encoder, "staging"), await holder(ranker, "staging")]).toEqual([1, 1]);
  });

  it("refuses a release that breaks a declared rule, with a clear message and nothing written", async () => {
    const { encoder, ranker } = await pair();
    const before = await db.promotionRequest.count();
    const err = await release(encoder, ranker, { members: [{ model: ranker, version: 2, stage: "staging" }, { model: encoder, version: 1, stage: "staging" }] }).catch((e) => e);
    // v1 of the encoder already holds staging: that is refused on its own.
    expect(err).toMatchObject({ status: 409, details: [{ path: "members.1.version" }] });
    const broken = await release(encoder, ranker, { rules: [{ model: ranker, requires: encoder, versions: ">=3" }] }).catch((e) => e);
    expect(broken).toMatchObject({ status: 422, code: "incompatible_release", details: [{ path: "rules.0" }] });
    expect(broken.message).toMatch(new RegExp(`${ranker} requires ${encoder} >=3.*${encoder}@staging would be v2, outside >=3`));
    expect(await db.promotionRequest.count()).toBe(before);
    const ok = await release(encoder, ranker, { rules: [{ model: ranker, version: 2, requires: encoder, versions: ">=2" }] });
    expect(ok.checks).toMatchObject([{ status: "pass", source: "declared in the release" }]);
  });

  it("checks the rules again before applying: a rule broken since creation holds the release, saying why", async () => {
    const { encoder, ranker } = await pair();
    // The tokenizer is not in the release; the rule needs its staging holder to be v2, as it is now.
    const tokenizer = await makeModel({ team, engineer, policy: STAGING_ONLY_POLICY("[]") });
    const t1 = await goodVersion(tokenizer, engineer);
    const t2 = await goodVersion(tokenizer, engineer);
    await importAliases({ actor: SYSTEM_ACTOR, model: tokenizer, aliases: { staging: t1 }, reason: "running" });
    await importAliases({ actor: SYSTEM_ACTOR, model: tokenizer, aliases: { staging: t2 }, reason: "upgraded" });
    const r = await release(encoder, ranker, { rules: [{ model: ranker, requires: tokenizer, versions: ">=2" }] });
    await rollbackAlias({ actor: lead2, model: tokenizer, alias: "staging", input: { comment: "The tokenizer v2 broke on emoji; back to v1." } });
    await decideRelease({ actor: lead, id: r.id, input: { decision: "approve", comment: COMMENT } });
    const held = await getRelease({ actor: viewer, id: r.id });
    expect(held.status).toBe("open");
    expect(held.members.map((m) => m.status)).toEqual(["approved", "approved"]);
    expect(held.statusReason).toMatch(new RegExp(`^Every member is approved, but a compatibility rule fails: .*${tokenizer}@staging would be v1, outside >=2`));
    expect(held.checks).toMatchObject([{ status: "fail", path: "rules.0" }]);
    expect([await holder(encoder, "staging"), await holder(ranker, "staging")]).toEqual([1, 1]);
    // Once the tokenizer is back on v2, the periodic pass applies the release.
    await importAliases({ actor: SYSTEM_ACTOR, model: tokenizer, aliases: { staging: t2 }, reason: "fixed" });
    await runPromotionChores();
    expect((await getRelease({ actor: viewer, id: r.id })).status).toBe("applied");
    expect([await holder(encoder, "staging"), await holder(ranker, "staging")]).toEqual([2, 2]);
  });

  it("checks the members' policy dependencies, and blocks nothing the release satisfies", async () => {
    const { encoder } = await pair();
    const ranker = await makeModel({ team, engineer, policy: `${STAGING_ONLY_POLICY("[{ role: ml-lead }]")}dependencies:\n  - requires: ${encoder}\n    versions: ">=2"\n` });
    const v1 = await goodVersion(ranker, engineer);
    await goodVersion(ranker, engineer);
    await importAliases({ actor: SYSTEM_ACTOR, model: ranker, aliases: { staging: v1 }, reason: "running" });
    const alone = await createRelease({ actor: engineer, input: { name: "dep", justification: JUSTIFICATION, members: [{ model: ranker, version: 2, stage: "staging" }, { model: encoder, version: 2, stage: "staging" }] } });
    expect(alone.checks).toMatchObject([{ status: "pass", source: `policy of ${ranker}` }]);
    // On its own, the ranker's request is blocked by its policy's dependency: the encoder in place is v1.
    const single = await requestPromotion({ actor: engineer, input: { model: ranker, version: 2, stage: "staging", justification: "Trying the ranker alone, without the encoder." } });
    expect(single.status).toBe("blocked");
    expect(single.statusReason).toMatch(new RegExp(`dependency in ${ranker}'s policy is not met: ${ranker} requires ${encoder} >=2 .*${encoder}@staging would be v1, outside >=2.* Promote the models together in a release`));
    // It superseded the ranker's member, which ended the release.
    expect((await getRelease({ actor: viewer, id: alone.id })).status).toBe("superseded");
  });

  it("a race with an individual request on a member's alias: exactly one wins, the other is superseded", async () => {
    const { encoder, ranker } = await pair();
    const v3 = await goodVersion(ranker, engineer);
    const [rel, single] = await Promise.all([
      release(encoder, ranker),
      requestPromotion({ actor: engineer, input: { model: ranker, version: v3, stage: "staging", justification: "A hotfix for the ranker alone, now." } }),
    ]);
    const r = await getRelease({ actor: viewer, id: rel.id });
    const s = await getPromotion({ actor: viewer, id: single.id });
    const outcomes = [r.status, s.status].sort();
    // Whichever came second superseded the other; a superseded member ends its release.
    expect(outcomes).toEqual(r.status === "superseded" ? ["awaiting-approval", "superseded"] : ["open", "superseded"].sort());
    if (r.status === "superseded") expect(r.members.map((m) => m.status).sort()).toEqual(["cancelled", "superseded"]);
    // Approve what is left at the same time: exactly one move of the ranker's alias.
    await Promise.allSettled([decideRelease({ actor: lead, id: r.id, input: { decision: "approve", comment: COMMENT } }), decidePromotion({ actor: lead2, id: s.id, input: { decision: "approve", comment: COMMENT } })]);
    expect([2, v3]).toContain(await holder(ranker, "staging"));
    const moves = await db.aliasChange.count({ where: { model: { name: ranker }, alias: "staging", via: "promotion" } });
    expect(moves).toBe(1);
  });

  it("cancels a release by its requester, and lists releases for readers of every member's team only", async () => {
    const { encoder, ranker } = await pair();
    const r = await release(encoder, ranker);
    await expect(cancelRelease({ actor: lead, id: r.id, input: { comment: "Not mine to cancel, but trying anyway." } })).rejects.toMatchObject({ status: 403 });
    const c = await cancelRelease({ actor: engineer, id: r.id, input: { comment: "Folding it into next week's release." } });
    expect(c).toMatchObject({ status: "cancelled", members: [{ status: "cancelled" }, { status: "cancelled" }] });
    const other = await makeTeam("other");
    const stranger = await makeUser("Stan Stranger", ["viewer"], other.id);
    await expect(getRelease({ actor: stranger, id: r.id })).rejects.toMatchObject({ status: 404 });
    expect((await listReleases({ actor: stranger, query: {} })).items.find((x) => x.id === r.id)).toBeUndefined();
    expect((await listReleases({ actor: viewer, query: { model: ranker } })).items.map((x) => x.id)).toContain(r.id);
    // Settling again changes nothing.
    await syncRelease(r.id);
    expect((await getRelease({ actor: viewer, id: r.id })).status).toBe("cancelled");
  });

  it("signs a release decision on every member where the policy asks, and records a refused signature", async () => {
    const { encoder, ranker } = await pair(STAGING_ONLY_POLICY("[{ role: ml-lead }]", "      electronicSignature: always\n"));
    const r = await release(encoder, ranker);
    await expect(decideRelease({ actor: lead, id: r.id, input: { decision: "approve", comment: COMMENT } })).rejects.toMatchObject({ status: 400, details: [{ path: "password" }] });
    await expect(decideRelease({ actor: lead, id: r.id, input: { decision: "approve", comment: COMMENT, password: "not the password" } })).rejects.toMatchObject({ status: 403, code: "signature_failed" });
    expect(await db.promotionDecision.count({ where: { requestId: { in: r.memberViews.map((m) => m.id) } } })).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "release.signature-failed", targetId: r.id } })).toBe(1);
    const signed = await decideRelease({ actor: lead, id: r.id, input: { decision: "approve", comment: COMMENT, password: PASSWORD } });
    expect(signed.status).toBe("applied");
    expect(signed.memberViews.every((m) => m.decisions[0]?.signature?.meaning)).toBe(true);
  });

  it("rules name models as stored, may not name a version the release does not promote, nor a model the caller cannot read", async () => {
    const { encoder, ranker } = await pair();
    const shouted = await release(encoder, ranker, { rules: [{ model: ranker.toUpperCase(), requires: encoder, versions: ">=99" }] }).catch((e) => e);
    expect(shouted).toMatchObject({ status: 422, code: "incompatible_release" });
    expect(shouted.message).toContain(`${ranker} requires ${encoder} >=99`);
    await expect(release(encoder, ranker, { rules: [{ model: ranker, version: 7, requires: encoder, versions: ">=1" }] })).rejects.toMatchObject({ status: 400, details: [{ path: "rules.0.version" }] });
    const other = await makeTeam("secret");
    const hidden = await makeModel({ team: other, engineer: SYSTEM_ACTOR, policy: STAGING_ONLY_POLICY("[]") });
    const missing = await release(encoder, ranker, { rules: [{ model: ranker, requires: hidden, versions: ">=99" }] }).catch((e) => e);
    const unknown = await release(encoder, ranker, { rules: [{ model: ranker, requires: "no-such-model-at-all", versions: ">=99" }] }).catch((e) => e);
    expect(missing).toMatchObject({ status: 404, details: [{ path: "rules.0.requires" }] });
    expect(unknown).toMatchObject({ status: 404, details: [{ path: "rules.0.requires" }] });
    expect(missing.message).not.toMatch(/would be v/);
  });

  it("rolling back one member's alias by hand takes the right to roll back every member's team", async () => {
    const teamB = await makeTeam("release-b");
    const engineerB = await makeUser("Bo Engineer", ["engineer"], teamB.id);
    const both = await makeUser("Both Engineer", ["engineer"], null);
    const leadB = await makeUser("Bea Lead", ["ml-lead"], teamB.id);
    const policy = STAGING_ONLY_POLICY("[{ role: ml-lead }]");
    const encoder = await makeModel({ team, engineer, policy });
    const ranker = await makeModel({ team: teamB, engineer: engineerB, policy });
    for (const [m, who] of [[encoder, engineer], [ranker, engineerB]] as const) {
      const v1 = await goodVersion(m, who);
      await goodVersion(m, who);
      await importAliases({ actor: SYSTEM_ACTOR, model: m, aliases: { staging: v1 }, reason: "running" });
    }
    const r = await createRelease({ actor: both, input: { name: "cross-team", justification: JUSTIFICATION, members: [{ model: encoder, version: 2, stage: "staging" }, { model: ranker, version: 2, stage: "staging" }] } });
    // Each team's lead decides on their own member (the release itself spans a team they cannot read).
    const [mA, mB] = await db.promotionRequest.findMany({ where: { releaseId: r.id }, orderBy: { number: "asc" } });
    const seenByA = await getPromotion({ actor: lead, id: mA.id });
    expect(seenByA.release).toMatchObject({ number: r.number, readable: false, name: "" });
    await expect(decideRelease({ actor: lead, id: r.id, input: { decision: "approve", comment: COMMENT } })).rejects.toMatchObject({ status: 404 });
    await decidePromotion({ actor: lead, id: mA.id, input: { decision: "approve", comment: COMMENT } });
    await decidePromotion({ actor: leadB, id: mB.id, input: { decision: "approve", comment: COMMENT } });
    expect((await getRelease({ actor: both, id: r.id })).status).toBe("applied");
    await expect(rollbackAlias({ actor: lead2, model: encoder, alias: "staging", input: { comment: "Only my team's encoder, by hand." } })).rejects.toMatchObject({ status: 403, message: expect.stringMatching(/moved by release .* every member of the release/) });
    expect([await holder(encoder, "staging"), await holder(ranker, "staging")]).toEqual([2, 2]);
    // A team-scoped reader of one team does not see a release spanning two.
    await expect(getRelease({ actor: viewer, id: r.id })).rejects.toMatchObject({ status: 404 });
  });

  it("refuses bad input with the field named", async () => {
    const { encoder } = await pair();
    await expect(createRelease({ actor: engineer, input: { name: "x", justification: JUSTIFICATION, members: [{ model: encoder, version: 2, stage: "staging" }] } })).rejects.toMatchObject({ issues: [{ path: ["members"] }] });
    await expect(createRelease({ actor: engineer, input: { name: "x", justification: JUSTIFICATION, members: [{ model: encoder, version: 2, stage: "staging" }, { model: encoder, version: 2, stage: "staging" }] } })).rejects.toMatchObject({ issues: [{ path: ["members", 1, "model"] }] });
    await expect(createRelease({ actor: engineer, input: { name: "x", justification: JUSTIFICATION, members: [{ model: encoder, version: 2, stage: "staging" }, { model: "no-such-model", version: 1, stage: "staging" }] } })).rejects.toMatchObject({ status: 404, details: [{ path: "members.1.model" }] });
    await expect(createRelease({ actor: viewer, input: { name: "x", justification: JUSTIFICATION, members: [{ model: encoder, version: 2, stage: "staging" }, { model: encoder + "x", version: 2, stage: "staging" }] } })).rejects.toMatchObject({ status: expect.any(Number) });
  });
});
