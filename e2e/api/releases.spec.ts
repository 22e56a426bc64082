import { expect, test, type APIRequestContext } from "@playwright/test";
import { demoUser, expectError, sessionFor, tokenClient, unique } from "../support/api";
import { stagingReadyModel } from "../support/registry";

// Coordinated releases over HTTP, as a pipeline and an ML Lead use them: several models promoted together or not at
// all, their compatibility rules, joint approval and joint rollback, and the race with a single request.
type Role = "admin" | "lead" | "engineer" | "auditor" | "viewer";
const ROLES: Role[] = ["admin", "lead", "engineer", "auditor", "viewer"];
const COMMENT = "Checked both members' gates and the pair's offline metrics.";
const JUSTIFICATION = "The ranker reads the encoder's new embeddings; they ship together.";
const POLICY = "stages:\n  staging:\n    approvals:\n      quorum: [{ role: ml-lead }]\n      electronicSignature: never\n";

type Release = { id: string; number: number; name: string; status: string; statusReason: string | null; members: { id: string; number: number; model: string; version: number; status: string }[]; checks: { status: string; source: string; path: string }[] };

test.describe("release API", () => {
  const as = {} as Record<Role, APIRequestContext>;
  let leadToken: APIRequestContext;
  test.beforeAll(async ({ baseURL }) => {
    await Promise.all(ROLES.map(async (r) => (as[r] = await sessionFor(baseURL!, demoUser(r)))));
    const created = await as.admin.post("/api/v1/tokens", { data: { name: unique("lead"), kind: "user", userEmail: demoUser("lead") } });
    expect(created.status(), await created.text()).toBe(201);
    leadToken = await tokenClient(baseURL!, (await created.json()).token);
  });
  test.afterAll(async () => Promise.all([...Object.values(as), leadToken].map((c) => c.dispose())));

  /** A payments model whose staging needs one ML Lead, with `versions` versions and v1 on @staging. */
  async function model(versions = 2): Promise<string> {
    const name = await stagingReadyModel({ engineer: as.engineer, admin: as.admin, policy: POLICY, comment: "one ML Lead for staging", versions });
    const asked = await as.engineer.post("/api/v1/promotions", { data: { model: name, version: 1, stage: "staging", justification: "The first version to serve from staging." } });
    expect(asked.status(), await asked.text()).toBe(201);
    const approved = await as.lead.post(`/api/v1/promotions/${(await asked.json()).id}/decisions`, { data: { decision: "approve", comment: COMMENT } });
    expect(approved.status(), await approved.text()).toBe(201);
    return name;
  }
  const pair = async (versions = 2) => ({ encoder: await model(versions), ranker: await model(versions) });
  const body = (encoder: string, ranker: string, over: Record<string, unknown> = {}) => ({
    name: unique("ranking"),
    justification: JUSTIFICATION,
    members: [
      { model: encoder, version: 2, stage: "staging" },
      { model: ranker, version: 2, stage: "staging" },
    ],
    ...over,
  });
  const create = (client: APIRequestContext, data: unknown) => client.post("/api/v1/releases", { data });
  const staging = async (name: string) => (await (await as.viewer.get(`/api/v1/models/${name}/aliases/staging`)).json()).version as number;
  const listed = async (query: string) => ((await (await as.viewer.get(`/api/v1/releases?${query}`)).json()).items as Release[]).map((r) => r.id);

  test("create, read by id and number, list by model, approve as a whole, roll back as a whole", async () => {
    const { encoder, ranker } = await pair();
    const res = await create(as.engineer, body(encoder, ranker, { rules: [{ model: ranker, requires: encoder, versions: ">=2" }] }));
    expect(res.status(), await res.text()).toBe(201);
    const r = (await res.json()) as Release;
    expect(res.headers()["location"]).toBe(`/api/v1/releases/${r.id}`);
    expect(r).toMatchObject({
      status: "open",
      members: [
        { model: encoder, version: 2, status: "awaiting-approval" },
        { model: ranker, version: 2, status: "awaiting-approval" },
      ],
      checks: [{ status: "pass", source: "declared in the release", path: "rules.0" }],
    });
    // Nothing moves until the release applies.
    expect([await staging(encoder), await staging(ranker)]).toEqual([1, 1]);

    expect(((await (await as.viewer.get(`/api/v1/releases/${r.id}`)).json()) as Release).number).toBe(r.number);
    expect(((await (await as.viewer.get(`/api/v1/releases/${r.number}`)).json()) as Release).id).toBe(r.id);
    await expectError(await as.viewer.get("/api/v1/releases/999999999"), 404, "not_found");
    expect(await listed(`model=${ranker}`)).toEqual([r.id]);
    expect(await listed(`model=${encoder}&status=open`)).toEqual([r.id]);
    expect(await listed(`model=${encoder}&status=applied`)).toEqual([]);
    await expectError(await as.viewer.get("/api/v1/releases?status=flying"), 400, "invalid_input");

    // The requester may not decide; an ML Lead's user token decides on both members at once.
    await expectError(await as.engineer.post(`/api/v1/releases/${r.id}/decisions`, { data: { decision: "approve", comment: COMMENT } }), 403);
    const decided = await leadToken.post(`/api/v1/releases/${r.id}/decisions`, { data: { decision: "approve", comment: COMMENT } });
    expect(decided.status(), await decided.text()).toBe(201);
    expect(await decided.json()).toMatchObject({ status: "applied", decided: r.members.map((m) => m.number), skipped: [], members: [{ status: "applied" }, { status: "applied" }] });
    expect([await staging(encoder), await staging(ranker)]).toEqual([2, 2]);
    await expectError(await leadToken.post(`/api/v1/releases/${r.id}/decisions`, { data: { decision: "approve", comment: COMMENT } }), 409);

    // Rolling back: every alias to the version it replaced; a second time is a conflict.
    const rollback = (client: APIRequestContext) => client.post(`/api/v1/releases/${r.id}/rollback`, { data: { comment: "Click-through fell on the pair; both back to v1." } });
    await expectError(await rollback(as.engineer), 403);
    const back = await rollback(as.lead);
    expect(back.status(), await back.text()).toBe(200);
    expect(await back.json()).toMatchObject({ status: "rolled-back", members: [{ status: "rolled-back" }, { status: "rolled-back" }] });
    expect([await staging(encoder), await staging(ranker)]).toEqual([1, 1]);
    const again = await expectError(await rollback(as.lead), 409, "conflict");
    expect(again.error.message).toContain(`Release ${r.number} is rolled back`);

    // The release's own trail: created, applied, rolled back.
    const audit = await (await as.auditor.get("/api/v1/audit?action=release.&limit=200")).json();
    const actions = (audit.items as { action: string; target: { id: string } }[]).filter((e) => e.target.id === r.id).map((e) => e.action);
    expect(actions.sort()).toEqual(["release.applied", "release.create", "release.rolled-back"]);
  });

  test("rolling one member's alias back by hand takes the rest of the release back with it", async () => {
    const { encoder, ranker } = await pair();
    const r = (await (await create(as.engineer, body(encoder, ranker))).json()) as Release;
    expect((await leadToken.post(`/api/v1/releases/${r.id}/decisions`, { data: { decision: "approve", comment: COMMENT } })).status()).toBe(201);
    expect([await staging(encoder), await staging(ranker)]).toEqual([2, 2]);
    const byHand = await as.lead.post(`/api/v1/models/${ranker}/aliases/staging/rollback`, { data: { comment: "Only the ranker, after the alert fired." } });
    expect(byHand.status(), await byHand.text()).toBe(200);
    expect([await staging(encoder), await staging(ranker)]).toEqual([1, 1]);
    expect(((await (await as.viewer.get(`/api/v1/releases/${r.id}`)).json()) as Release).status).toBe("rolled-back");
  });

  test("a release that breaks a rule is refused with 422 and nothing is created", async () => {
    const { encoder, ranker } = await pair();
    const before = await listed(`model=${ranker}`);
    const requests = async () => (await (await as.viewer.get(`/api/v1/promotions?model=${ranker}`)).json()).items.length as number;
    const requestsBefore = await requests();
    const refused = await expectError(await create(as.engineer, body(encoder, ranker, { rules: [{ model: ranker, requires: encoder, versions: ">=3" }] })), 422, "incompatible_release");
    expect(refused.error.details).toEqual([{ path: "rules.0", message: expect.stringContaining(`${encoder}@staging would be v2, outside >=3`) }]);
    expect(refused.error.message).toContain(`${ranker} requires ${encoder} >=3`);
    expect(await listed(`model=${ranker}`)).toEqual(before);
    expect(await requests()).toBe(requestsBefore);
    expect([await staging(encoder), await staging(ranker)]).toEqual([1, 1]);

    // Every version carries the same signature (inputs amount, outputs score): score is not an input of the ranker.
    const signature = await expectError(await create(as.engineer, body(encoder, ranker, { rules: [{ model: ranker, requires: encoder, signature: true }] })), 422, "incompatible_release");
    expect(signature.error.details?.[0]).toMatchObject({ path: "rules.0", message: expect.stringContaining("score (double) is not an input") });
    expect(await listed(`model=${ranker}`)).toEqual(before);
  });

  test("a member's policy dependencies: checked for a release, and they block a request made alone", async () => {
    const encoder = await model();
    const other = await model();
    const withDependency = `${POLICY}dependencies:\n  - requires: ${encoder}\n    versions: ">=2"\n    stages: [staging]\n`;
    const ranker = await stagingReadyModel({ engineer: as.engineer, admin: as.admin, policy: withDependency, comment: "the ranker needs encoder v2 or later", versions: 2 });

    // Alone, v2 of the ranker would run next to encoder v1: its request is blocked, saying why.
    const alone = await as.engineer.post("/api/v1/promotions", { data: { model: ranker, version: 2, stage: "staging", justification: "The ranker alone, to see what happens." } });
    expect(alone.status(), await alone.text()).toBe(201);
    const blocked = await alone.json();
    expect(blocked.status).toBe("blocked");
    expect(blocked.statusReason).toContain(`A dependency in ${ranker}'s policy is not met: ${ranker} requires ${encoder} >=2 (in staging)`);
    await as.engineer.post(`/api/v1/promotions/${blocked.id}/cancel`, { data: { comment: "Promoting it in a release instead." } });

    // A release without the encoder breaks the policy's rule: 422 at the policy, nothing created.
    const refused = await expectError(await create(as.engineer, body(other, ranker)), 422, "incompatible_release");
    expect(refused.error.details).toEqual([{ path: `policies.${ranker}.dependencies`, message: expect.stringContaining(`${encoder}@staging would be v1, outside >=2`) }]);
    expect(await listed(`model=${ranker}`)).toEqual([]);

    // With the encoder's v2 in the same release, the rule holds.
    const ok = await create(as.engineer, body(encoder, ranker));
    expect(ok.status(), await ok.text()).toBe(201);
    expect((await ok.json()).checks).toMatchObject([{ status: "pass", source: `policy of ${ranker}`, path: `policies.${ranker}.dependencies` }]);

    // The organisation default may not declare dependencies.
    const asDefault = await expectError(await as.admin.post("/api/v1/policies/validate", { data: { document: `dependencies:\n  - requires: ${encoder}\n    versions: ">=2"\n` } }), 422);
    expect(asDefault.error.details?.[0]).toMatchObject({ path: "dependencies", message: expect.stringContaining("belong in a model's own policy") });
  });

  test("bad input says which field", async () => {
    const { encoder, ranker } = await pair();
    const one = await expectError(await create(as.engineer, body(encoder, ranker, { members: [{ model: encoder, version: 2, stage: "staging" }] })), 400, "invalid_input");
    expect(one.error.details).toEqual([{ path: "members", message: expect.stringContaining("at least 2 models") }]);
    const twice = await expectError(await create(as.engineer, body(encoder, ranker, { members: [{ model: encoder, version: 2, stage: "staging" }, { model: encoder, version: 2, stage: "staging" }] })), 400, "invalid_input");
    expect(twice.error.details).toEqual([{ path: "members.1.model", message: expect.stringContaining("already member 1") }]);
    const unknownKey = await expectError(await create(as.engineer, body(encoder, ranker, { rules: [{ model: ranker, requires: encoder, versions: ">=2", needs: "encoder" }] })), 400, "invalid_input");
    expect(unknownKey.error.details).toEqual(expect.arrayContaining([{ path: "rules.0.needs", message: expect.stringContaining('Unknown key "needs"') }]));
    const range = await expectError(await create(as.engineer, body(encoder, ranker, { rules: [{ model: ranker, requires: encoder, versions: "newest" }] })), 400, "invalid_input");
    expect(range.error.details).toEqual([{ path: "rules.0.versions", message: expect.stringContaining("a version range") }]);
    const outsider = await expectError(await create(as.engineer, body(encoder, ranker, { rules: [{ model: "somebody-else", requires: encoder, versions: ">=2" }] })), 400, "invalid_input");
    expect(outsider.error.details).toEqual([{ path: "rules.0.model", message: expect.stringContaining("not a member of this release") }]);

    const missing = await expectError(await create(as.engineer, body(encoder, ranker, { members: [{ model: encoder, version: 2, stage: "staging" }, { model: "no-such-model", version: 1, stage: "staging" }] })), 404, "not_found");
    expect(missing.error.details).toEqual([{ path: "members.1.model", message: expect.any(String) }]);
    const noVersion = await expectError(await create(as.engineer, body(encoder, ranker, { members: [{ model: encoder, version: 2, stage: "staging" }, { model: ranker, version: 9, stage: "staging" }] })), 404);
    expect(noVersion.error.details?.[0].path).toBe("members.1.version");
    const noStage = await expectError(await create(as.engineer, body(encoder, ranker, { members: [{ model: encoder, version: 2, stage: "qa" }, { model: ranker, version: 2, stage: "staging" }] })), 400);
    expect(noStage.error.details?.[0].path).toBe("members.0.stage");
    const holds = await expectError(await create(as.engineer, body(encoder, ranker, { members: [{ model: encoder, version: 1, stage: "staging" }, { model: ranker, version: 2, stage: "staging" }] })), 409);
    expect(holds.error.details?.[0].path).toBe("members.0.version");
    expect(await listed(`model=${ranker}`)).toEqual([]);
  });

  test("who may create, read and decide: 401 without a token, 403 for a viewer", async ({ request }) => {
    const { encoder, ranker } = await pair();
    await expectError(await request.get("/api/v1/releases"), 401, "unauthenticated");
    await expectError(await create(request, body(encoder, ranker)), 401, "unauthenticated");
    const viewer = await expectError(await create(as.viewer, body(encoder, ranker)), 403, "forbidden");
    expect(viewer.error.message).toContain("promotions.request");
    await expectError(await create(as.auditor, body(encoder, ranker)), 403, "forbidden");
    expect(await listed(`model=${ranker}`)).toEqual([]);

    const r = (await (await create(as.engineer, body(encoder, ranker))).json()) as Release;
    await expectError(await request.get(`/api/v1/releases/${r.id}`), 401, "unauthenticated");
    await expectError(await request.post(`/api/v1/releases/${r.id}/decisions`, { data: { decision: "approve", comment: COMMENT } }), 401, "unauthenticated");
    // Neither a viewer nor an admin holds the role these members' policy asks for: nothing was waiting for them.
    for (const role of ["viewer", "admin"] as const) {
      const refused = await expectError(await as[role].post(`/api/v1/releases/${r.id}/decisions`, { data: { decision: "approve", comment: COMMENT } }), 403);
      expect(refused.error.message, role).toContain(`Nothing in release ${r.number} was waiting for your decision`);
    }
    await expectError(await as.lead.post(`/api/v1/releases/${r.id}/cancel`, { data: { comment: "Not mine to cancel, trying anyway." } }), 403);
    await expectError(await as.lead.post(`/api/v1/releases/${r.id}/rollback`, { data: { comment: "It has not applied yet, so no." } }), 409);
    const cancelled = await as.engineer.post(`/api/v1/releases/${r.id}/cancel`, { data: { comment: "Folding it into next week's release." } });
    expect(cancelled.status(), await cancelled.text()).toBe(200);
    expect(await cancelled.json()).toMatchObject({ status: "cancelled", members: [{ status: "cancelled" }, { status: "cancelled" }] });
  });

  test("a release racing a single request for a member's alias: exactly one stays open, the other is superseded", async () => {
    const { encoder, ranker } = await pair(3);
    const [released, single] = await Promise.all([
      create(as.engineer, body(encoder, ranker)),
      as.engineer.post("/api/v1/promotions", { data: { model: ranker, version: 3, stage: "staging", justification: "A hotfix for the ranker alone, right now." } }),
    ]);
    expect(released.status(), await released.text()).toBe(201);
    expect(single.status(), await single.text()).toBe(201);
    const r = (await (await as.viewer.get(`/api/v1/releases/${(await released.json()).id}`)).json()) as Release;
    const s = (await (await as.viewer.get(`/api/v1/promotions/${(await single.json()).id}`)).json()) as { status: string };
    if (r.status === "open") {
      // The release came second: its ranker member superseded the single request.
      expect(s.status).toBe("superseded");
      expect(r.members.map((m) => m.status)).toEqual(["awaiting-approval", "awaiting-approval"]);
    } else {
      // The single request came second: it superseded the release's ranker member, which ended the release.
      expect(r.status).toBe("superseded");
      expect(s.status).toBe("awaiting-approval");
      expect(r.members.map((m) => m.status).sort()).toEqual(["cancelled", "superseded"]);
    }
    const open = [r.status === "open", s.status === "awaiting-approval"].filter(Boolean);
    expect(open).toHaveLength(1);
  });
});
