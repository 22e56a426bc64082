import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ActionState } from "@/lib/api/action-state";
import { verifyAuditChain } from "@/lib/audit/verify";
import type { Actor } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { setAlias } from "@/lib/registry/aliases";
import { deleteAliasAction, rollbackAliasAction, setAliasAction } from "@/app/models/[name]/actions";
import { cancelAction, decideAction, requestPromotionAction, resubmitAction, reviewAction } from "@/app/promotions/actions";
import { decidePromotion } from "./decide";
import { requestPromotion } from "./request";
import { COMMENT, STAGING_ONLY_POLICY, goodVersion, makeModel, makeTeam, makeUser } from "./test-fixtures";

// The server actions behind the promotion screens are public POST endpoints: whoever posts the form, each must
// refuse exactly what the REST API refuses (e2e/api/promotions.spec.ts), say why in words, and change nothing.
// Only the session, Next's cache and Next's redirect are stood in for; everything else runs against PostgreSQL.
const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/auth/actor", () => ({ getSessionActor: async () => session.actor }));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));
vi.mock("next/navigation", () => ({
  // As Next's redirect does: it throws, and the framework turns the throw into the navigation.
  redirect: (url: string) => {
    throw Object.assign(new Error("NEXT_REDIRECT"), { digest: `NEXT_REDIRECT;replace;${url};307;`, url });
  },
}));

const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);
type User = Actor & { kind: "user" };
type Who = "viewer" | "engineer" | "ml-lead" | "compliance-officer" | "auditor" | "admin" | "other team's ml-lead" | "signed out";
const EVERYONE: Who[] = ["viewer", "engineer", "ml-lead", "compliance-officer", "auditor", "admin", "other team's ml-lead", "signed out"];
const IDLE: ActionState = { status: "idle" };
const justification = "Retrained on October data; offline AUC improved.";
const reason = "Pointing candidate at the retrained version.";

type Outcome = ActionState | { status: "redirect"; url: string };
/** What the browser would get back: the action's state, or where Next would send it. */
async function post(who: Who, call: () => Promise<ActionState>): Promise<Outcome> {
  session.actor = actorOf(who);
  try {
    return await call();
  } catch (err) {
    const url = (err as { url?: string; digest?: string }).digest?.startsWith("NEXT_REDIRECT") ? (err as { url: string }).url : undefined;
    if (url) return { status: "redirect", url };
    throw err;
  } finally {
    session.actor = null;
  }
}
const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

const users = {} as Record<Exclude<Who, "signed out"> | "requester", User>;
const actorOf = (who: Who | "requester"): Actor | null => (who === "signed out" ? null : users[who]);

// The words each refusal should use: what a person can act on, never a stack trace or "something went wrong".
const SIGN_IN = /^Sign in or send a valid API token/;
const NOT_FOUND = /^No (model named|promotion request) "/;
const roles = (permission: string) => new RegExp(`^Your roles do not allow "${permission.replace(".", "\\.")}" \\(`);
const PROTECTED = /^@(staging|champion) is a protected alias of m-[0-9a-f]+: it moves only through an approved promotion request/;
const NEEDS_ML_LEAD = /^This request needs decisions from ml-lead for m-[0-9a-f]+'s team; you hold none of these roles\.$/;
const NOT_REQUESTER_OR_ADMIN = /^Only the requester or an admin can cancel a promotion request\.$/;
const ONLY_REQUESTER = /^Only the requester can resubmit a request sent back for changes\.$/;
const OUTSIDERS = { "other team's ml-lead": NOT_FOUND, "signed out": SIGN_IN } as const;

/** Everything a refused action must leave as it was: the model's requests, their decisions, its aliases and its audit trail. */
async function stateOf(model: string) {
  const m = await db.registeredModel.findUniqueOrThrow({ where: { name: model }, select: { id: true } });
  const requests = await db.promotionRequest.findMany({
    where: { modelId: m.id },
    orderBy: { number: "asc" },
    select: { id: true, status: true, statusReason: true, round: true, closedAt: true, reviewedAt: true, reviewedBy: true, _count: { select: { decisions: true } } },
  });
  const aliases = await db.modelAlias.findMany({ where: { modelId: m.id }, orderBy: { name: "asc" }, select: { name: true, version: { select: { version: true } } } });
  const aliasChanges = await db.aliasChange.count({ where: { modelId: m.id } });
  const audit = await db.auditEvent.count({ where: { OR: [{ targetId: { in: [m.id, ...requests.map((r) => r.id)] } }, { targetId: { startsWith: `${model}@` } }] } });
  return { requests, aliases: Object.fromEntries(aliases.map((a) => [a.name, a.version.version])), aliasChanges, audit };
}

/** A refused call: an error state with the expected words, and the database exactly as before. */
async function expectRefused(model: string, who: Who | "requester", message: RegExp, call: () => Promise<ActionState>) {
  const before = await stateOf(model);
  const outcome = await post(who as Who, call);
  expect(outcome, `${who} should be refused`).toMatchObject({ status: "error", message: expect.stringMatching(message) });
  expect((outcome as { message: string }).message).not.toMatch(/Something went wrong|Error:|at .*\.ts/);
  expect(await stateOf(model), `${who}'s refused call changed the database`).toEqual(before);
}

describe.skipIf(!hasDb)("promotion server actions: the permission matrix", () => {
  const fixtures = {} as { team: { id: string; slug: string } };
  beforeAll(async () => {
    const team = await makeTeam("actions");
    const other = await makeTeam("elsewhere");
    users.requester = await makeUser("rita-requester", ["engineer"], team.id);
    users.viewer = await makeUser("vic-viewer", ["viewer"], team.id);
    users.engineer = await makeUser("eve-engineer", ["engineer"], team.id);
    users["ml-lead"] = await makeUser("lee-lead", ["ml-lead"], team.id);
    users["compliance-officer"] = await makeUser("cora-compliance", ["compliance-officer"], team.id);
    users.auditor = await makeUser("aldo-auditor", ["auditor"], team.id);
    users.admin = await makeUser("ada-admin", ["admin"], team.id);
    users["other team's ml-lead"] = await makeUser("oli-other", ["ml-lead"], other.id);
    fixtures.team = team;
  });
  afterAll(async () => {
    expect((await verifyAuditChain()).ok).toBe(true);
    await db.$disconnect();
  });

  /** A model of the team with `n` good versions registered by the requester; its staging needs one ML Lead, or (null) no one. */
  async function model(n = 1, policy: string | null = STAGING_ONLY_POLICY("[{ role: ml-lead }]")) {
    const name = await makeModel({ team: fixtures.team, engineer: users.requester, policy: policy ?? undefined });
    for (let i = 0; i < n; i++) await goodVersion(name, users.requester);
    return name;
  }
  async function openRequest(o: { emergency?: boolean; by?: User } = {}) {
    const name = await model();
    const r = await requestPromotion({ actor: o.by ?? users.requester, input: { model: name, version: 1, stage: "staging", justification: o.emergency ? "Hotfix for the scoring outage, incident 4711." : justification, emergency: o.emergency } });
    expect(r.status).toBe("awaiting-approval");
    return { model: name, id: r.id, number: r.number };
  }

  describe("request a promotion (engineer, ML Lead)", () => {
    const expected: Record<Who, "ok" | RegExp> = {
      viewer: roles("promotions.request"),
      engineer: "ok",
      "ml-lead": "ok",
      "compliance-officer": roles("promotions.request"),
      auditor: roles("promotions.request"),
      admin: roles("promotions.request"),
      ...OUTSIDERS,
    };
    it.each(EVERYONE)("%s", async (who) => {
      const name = await model();
      const call = () => requestPromotionAction(name, 1, IDLE, form({ stage: "staging", justification }));
      if (expected[who] === "ok") {
        const outcome = await post(who, call);
        const created = await db.promotionRequest.findFirstOrThrow({ where: { model: { name } } });
        expect(outcome).toEqual({ status: "redirect", url: `/promotions/${created.id}` });
        expect(created).toMatchObject({ status: "awaiting-approval", requesterId: users[who as "engineer"].userId });
      } else {
        await expectRefused(name, who, expected[who] as RegExp, call);
        expect(await db.promotionRequest.count({ where: { model: { name } } })).toBe(0);
      }
    });
  });

  describe("decide (the policy asks for one ML Lead): only the team's ML Lead, never the requester", () => {
    const expected: Record<Who | "requester", "ok" | RegExp> = {
      viewer: NEEDS_ML_LEAD,
      engineer: NEEDS_ML_LEAD,
      "ml-lead": "ok",
      "compliance-officer": NEEDS_ML_LEAD,
      auditor: NEEDS_ML_LEAD,
      admin: NEEDS_ML_LEAD,
      ...OUTSIDERS,
      requester: /^You requested this promotion; someone else must decide on it \(separation of duties\)\.$/,
    };
    it.each([...EVERYONE, "requester" as const])("%s", async (who) => {
      const r = await openRequest();
      for (const decision of ["approve", "reject", "request-changes"]) {
        const call = () => decideAction(r.id, IDLE, form({ decision, comment: COMMENT }));
        if (expected[who] !== "ok") await expectRefused(r.model, who, expected[who] as RegExp, call);
      }
      if (expected[who] === "ok") {
        const outcome = await post(who as Who, () => decideAction(r.id, IDLE, form({ decision: "approve", comment: COMMENT })));
        expect(outcome).toEqual({ status: "redirect", url: `/promotions/${r.id}?done=decided` });
        const after = await stateOf(r.model);
        expect(after.requests[0]).toMatchObject({ status: "applied", _count: { decisions: 1 } });
        expect(after.aliases).toEqual({ staging: 1 });
      }
    });

    it("an ML Lead who requested it cannot approve their own request either", async () => {
      const r = await openRequest({ by: users["ml-lead"] });
      await expectRefused(r.model, "ml-lead", expected.requester as RegExp, () => decideAction(r.id, IDLE, form({ decision: "approve", comment: COMMENT })));
    });

    it("the request's number works as its id, and a made-up id is not found", async () => {
      const r = await openRequest();
      await expectRefused(r.model, "ml-lead", /^No promotion request "no-such-request"$/, () => decideAction("no-such-request", IDLE, form({ decision: "approve", comment: COMMENT })));
      expect(await post("ml-lead", () => decideAction(String(r.number), IDLE, form({ decision: "approve", comment: COMMENT })))).toEqual({ status: "redirect", url: `/promotions/${r.id}?done=decided` });
    });
  });

  describe("cancel: the requester or an admin", () => {
    const expected: Record<Who | "requester", "ok" | RegExp> = {
      viewer: NOT_REQUESTER_OR_ADMIN,
      engineer: NOT_REQUESTER_OR_ADMIN,
      "ml-lead": NOT_REQUESTER_OR_ADMIN,
      "compliance-officer": NOT_REQUESTER_OR_ADMIN,
      auditor: NOT_REQUESTER_OR_ADMIN,
      admin: "ok",
      ...OUTSIDERS,
      requester: "ok",
    };
    it.each([...EVERYONE, "requester" as const])("%s", async (who) => {
      const r = await openRequest();
      const call = () => cancelAction(r.id, IDLE, form({ comment: "Cancelled: the release moved to next week." }));
      if (expected[who] === "ok") {
        expect(await post(who as Who, call)).toEqual({ status: "redirect", url: `/promotions/${r.id}?done=cancelled` });
        expect((await stateOf(r.model)).requests[0]).toMatchObject({ status: "cancelled", closedAt: expect.any(Date) });
      } else {
        await expectRefused(r.model, who, expected[who] as RegExp, call);
      }
    });
  });

  describe("resubmit: the requester only, and only after changes were requested", () => {
    const expected: Record<Who | "requester", "ok" | RegExp> = {
      viewer: ONLY_REQUESTER,
      engineer: ONLY_REQUESTER,
      "ml-lead": ONLY_REQUESTER,
      "compliance-officer": ONLY_REQUESTER,
      auditor: ONLY_REQUESTER,
      admin: ONLY_REQUESTER,
      ...OUTSIDERS,
      requester: "ok",
    };
    it.each([...EVERYONE, "requester" as const])("%s", async (who) => {
      const r = await openRequest();
      await decidePromotion({ actor: users["ml-lead"], id: r.id, input: { decision: "request-changes", comment: "Attach the latency report before staging, please." } });
      const call = () => resubmitAction(r.id, IDLE, form({ comment: "Latency report attached, please look again." }));
      if (expected[who] === "ok") {
        expect(await post(who as Who, call)).toEqual({ status: "redirect", url: `/promotions/${r.id}?done=resubmitted` });
        expect((await stateOf(r.model)).requests[0]).toMatchObject({ status: "awaiting-approval", round: 2 });
      } else {
        await expectRefused(r.model, who, expected[who] as RegExp, call);
        expect((await stateOf(r.model)).requests[0]).toMatchObject({ status: "changes-requested", round: 1 });
      }
    });

    it("the requester cannot resubmit a request nobody sent back", async () => {
      const r = await openRequest();
      await expectRefused(r.model, "requester", new RegExp(`^Request #${r.number} was not sent back for changes; there is nothing to resubmit\\.$`), () =>
        resubmitAction(r.id, IDLE, form({ comment: "Resubmitting although nobody asked." })),
      );
    });
  });

  describe("review: a compliance officer, only for an applied emergency promotion", () => {
    const expected: Record<Who, "ok" | RegExp> = {
      viewer: roles("promotions.review"),
      engineer: roles("promotions.review"),
      "ml-lead": roles("promotions.review"),
      "compliance-officer": "ok",
      auditor: roles("promotions.review"),
      admin: roles("promotions.review"),
      ...OUTSIDERS,
    };
    async function appliedEmergency() {
      const r = await openRequest({ emergency: true });
      await decidePromotion({ actor: users["ml-lead"], id: r.id, input: { decision: "approve", comment: COMMENT } });
      const done = await decidePromotion({ actor: users.admin, id: r.id, input: { decision: "approve", comment: "Approved as incident commander for 4711." } });
      expect(done).toMatchObject({ status: "applied", reviewDue: true });
      return r;
    }
    const review = (id: string) => () => reviewAction(id, IDLE, form({ comment: "Reviewed: the hotfix and its evidence are in order." }));

    it.each(EVERYONE)("%s", async (who) => {
      const r = await appliedEmergency();
      if (expected[who] === "ok") {
        expect(await post(who, review(r.id))).toEqual({ status: "redirect", url: `/promotions/${r.id}?done=reviewed` });
        expect((await stateOf(r.model)).requests[0]).toMatchObject({ reviewedAt: expect.any(Date), reviewedBy: users["compliance-officer"].label });
        await expectRefused(r.model, who, /was reviewed already, by cora-compliance-/, review(r.id));
      } else {
        await expectRefused(r.model, who, expected[who] as RegExp, review(r.id));
      }
    });

    it("a compliance officer has nothing to review on a request that was not an emergency", async () => {
      const r = await openRequest();
      await decidePromotion({ actor: users["ml-lead"], id: r.id, input: { decision: "approve", comment: COMMENT } });
      await expectRefused(r.model, "compliance-officer", new RegExp(`^Request #${r.number} was not an applied emergency promotion; it needs no review\\.$`), review(r.id));
    });

    it("nor on an emergency request that is still waiting", async () => {
      const r = await openRequest({ emergency: true });
      await expectRefused(r.model, "compliance-officer", /was not an applied emergency promotion/, review(r.id));
    });
  });

  describe("roll back: ML Lead and admin", () => {
    const expected: Record<Who, "ok" | RegExp> = {
      viewer: roles("aliases.rollback"),
      engineer: roles("aliases.rollback"),
      "ml-lead": "ok",
      "compliance-officer": roles("aliases.rollback"),
      auditor: roles("aliases.rollback"),
      admin: "ok",
      ...OUTSIDERS,
    };
    it.each(EVERYONE)("%s", async (who) => {
      // No approvals asked for: both requests apply at once, so @staging went v1 -> v2.
      const name = await model(2, null);
      for (const version of [1, 2]) await requestPromotion({ actor: users.requester, input: { model: name, version, stage: "staging", justification } });
      expect((await stateOf(name)).aliases).toEqual({ staging: 2 });
      const call = () => rollbackAliasAction(name, "staging", IDLE, form({ comment: "Error rate doubled after the switch." }));
      if (expected[who] === "ok") {
        expect(await post(who, call)).toEqual({ status: "ok", message: `${name}@staging rolled back from v2 to v1.` });
        const after = await stateOf(name);
        expect(after.aliases).toEqual({ staging: 1 });
        expect(after.requests.map((r) => r.status)).toEqual(["applied", "rolled-back"]);
      } else {
        await expectRefused(name, who, expected[who] as RegExp, call);
      }
    });
  });

  describe("set and delete aliases by hand", () => {
    /** staging held by v1 through a promotion; candidate (unprotected) held by v1 too; v2 free to point at. */
    async function withAliases() {
      const name = await model(2, null);
      await requestPromotion({ actor: users.requester, input: { model: name, version: 1, stage: "staging", justification } });
      await setAlias({ actor: users.requester, model: name, alias: "candidate", input: { version: 1, reason } });
      expect((await stateOf(name)).aliases).toEqual({ candidate: 1, staging: 1 });
      return name;
    }
    // Who may set aliases at all hears that the alias is protected; everyone else hears they may not set aliases.
    const protectedExpected: Record<Who, RegExp> = {
      viewer: roles("aliases.set"),
      engineer: PROTECTED,
      "ml-lead": PROTECTED,
      "compliance-officer": roles("aliases.set"),
      auditor: roles("aliases.set"),
      admin: roles("aliases.set"),
      ...OUTSIDERS,
    };
    const unprotectedExpected: Record<Who, "ok" | RegExp> = { ...protectedExpected, engineer: "ok", "ml-lead": "ok" };

    it.each(EVERYONE)("protected @staging and @champion: nobody moves or deletes them by hand (%s)", async (who) => {
      const name = await withAliases();
      for (const alias of ["staging", "champion"]) {
        await expectRefused(name, who, protectedExpected[who], () => setAliasAction(name, IDLE, form({ alias, version: "2", reason })));
      }
      await expectRefused(name, who, protectedExpected[who], () => deleteAliasAction(name, "staging", IDLE, form({ reason })));
    });

    it.each(EVERYONE)("unprotected @candidate: engineer and ML Lead set and delete it (%s)", async (who) => {
      const name = await withAliases();
      const set = () => setAliasAction(name, IDLE, form({ alias: "candidate", version: "2", reason }));
      const del = () => deleteAliasAction(name, "candidate", IDLE, form({ reason }));
      if (unprotectedExpected[who] === "ok") {
        expect(await post(who, set)).toEqual({ status: "ok", message: "@candidate now points at version 2." });
        expect((await stateOf(name)).aliases).toEqual({ candidate: 2, staging: 1 });
        expect(await post(who, del)).toEqual({ status: "ok", message: "@candidate deleted." });
        expect((await stateOf(name)).aliases).toEqual({ staging: 1 });
      } else {
        await expectRefused(name, who, unprotectedExpected[who] as RegExp, set);
        await expectRefused(name, who, unprotectedExpected[who] as RegExp, del);
        // A new unprotected alias is no different.
        await expectRefused(name, who, unprotectedExpected[who] as RegExp, () => setAliasAction(name, IDLE, form({ alias: "candidate-2", version: "2", reason })));
      }
    });
  });
});
