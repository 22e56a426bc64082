import { expect, test, type APIRequestContext } from "@playwright/test";
import { demoUser, expectError, sessionFor, unique } from "../support/api";
import { createModel, versionBody } from "../support/registry";

test.describe("hostile and malformed input", () => {
  let admin: APIRequestContext, lead: APIRequestContext;
  test.beforeAll(async ({ baseURL }) => {
    [admin, lead] = await Promise.all([sessionFor(baseURL!, demoUser("admin")), sessionFor(baseURL!, demoUser("lead"))]);
  });
  test.afterAll(async () => Promise.all([admin.dispose(), lead.dispose()]));

  // [what, the value in JSON, the value as it would arrive in a query string (a lone surrogate cannot)]
  const unstorable: [string, string, string | null][] = [
    ["a NUL byte", "bad\u0000name", "bad%00name"],
    ["a lone surrogate", "bad\ud800name", null],
  ];
  for (const [what, value, query] of unstorable) {
    test(`${what} in a name, a search or a reason is a 400, never a 500`, async () => {
      const body = await expectError(await admin.post("/api/v1/teams", { data: { slug: unique("t"), name: value } }), 400, "invalid_input");
      expect(JSON.stringify(body)).toContain("cannot be stored");
      if (query) await expectError(await admin.get(`/api/v1/users?q=${query}`), 400);
      await expectError(await admin.post("/api/v1/users", { data: { email: `${unique("u")}@example.com`, name: "Fine", password: "long-enough-password", reason: value } }), 400);
    });
  }

  test("a NUL byte in a path id is refused cleanly, naming the parameter", async () => {
    const body = await expectError(await admin.get("/api/v1/users/%00"), 400, "invalid_input");
    expect(body.error.details).toEqual([{ path: "id", message: expect.stringContaining("cannot be stored") }]);
  });

  test("unstorable text is refused where it is: in a key, deep in a body, in a query parameter", async () => {
    const { name } = await createModel(lead);
    const version = versionBody();
    const key = await expectError(await lead.post(`/api/v1/models/${name}/versions`, { data: { ...version, lineage: { ...version.lineage, hyperparameters: { "depth\u0000": 3 } } } }), 400, "invalid_input");
    expect(key.error.details!.map((d) => d.path)).toEqual(["lineage.hyperparameters.depth\u0000"]);
    const deep = await expectError(await lead.post(`/api/v1/models/${name}/versions`, { data: { ...version, signature: { inputs: [{ name: "ok", type: "double" }, { name: "x\ud800", type: "double" }], outputs: [] } } }), 400, "invalid_input");
    expect(deep.error.details!.map((d) => d.path)).toEqual(["signature.inputs.1.name"]);
    const query = await expectError(await admin.get("/api/v1/audit?action=policy.%00"), 400, "invalid_input");
    expect(query.error.details!.map((d) => d.path)).toEqual(["action"]);
    expect((await (await lead.get(`/api/v1/models/${name}/versions`)).json()).items).toHaveLength(0);
  });

  test("SQL-, HTML- and script-looking text, emoji, right-to-left and combining marks are legal text, stored and returned as sent", async () => {
    const text = ["'; DROP TABLE users; --", "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "👩‍👩‍👧‍👦", "\u202Eevil\u202C", "Z̷̧̛a̶l̸g̵o̴", "e\u0301", "مرحبا"];
    const res = await lead.post("/api/v1/models", { data: { name: unique("odd-text"), team: "payments", description: text.join(" | "), tags: Object.fromEntries(text.map((t, i) => [`t${i}`, t])) } });
    expect(res.status(), await res.text()).toBe(201);
    const back = await (await lead.get(`/api/v1/models/${(await res.json()).name}`)).json();
    expect(back.description).toBe(text.join(" | "));
    expect(back.tags).toEqual(Object.fromEntries(text.map((t, i) => [`t${i}`, t])));
  });

  test("unknown fields: ordinary bodies ignore them (nothing of them is stored), strict ones name each", async () => {
    const name = unique("extra");
    const raw = JSON.stringify({ name, team: "payments", id: "chosen-id", createdAt: "1970-01-01T00:00:00Z", isAdmin: true }).replace(/}$/, ', "__proto__": {"riskTier": "regulated"}}');
    const res = await lead.post("/api/v1/models", { data: Buffer.from(raw), headers: { "content-type": "application/json" } });
    expect(res.status(), await res.text()).toBe(201);
    const model = await res.json();
    expect(model.id).not.toBe("chosen-id");
    expect(model.createdAt).not.toBe("1970-01-01T00:00:00.000Z");
    expect(model).not.toHaveProperty("isAdmin");
    expect(model.riskTier).toBe("standard");
    expect((await lead.post(`/api/v1/models/${name}/versions`, { data: versionBody() })).status()).toBe(201);
    // A registered version is immutable but for a few fields: anything else is refused by name.
    const strict = await expectError(await lead.patch(`/api/v1/models/${name}/versions/1`, { data: { description: "new", owner: "me", artifact: {} } }), 400, "invalid_input");
    expect(strict.error.details!.map((d) => d.path).sort()).toEqual(["artifact", "owner"]);
    // So is the metric batch's envelope.
    const metrics = await expectError(await lead.post(`/api/v1/models/${name}/metrics`, { data: { items: [], extra: 1 } }), 400, "invalid_input");
    expect(metrics.error.details!.map((d) => d.path).sort()).toEqual(["extra", "items"]);
  });

  test("a policy built to cost the server is refused with where and why, and nothing is saved", async () => {
    const { name } = await createModel(lead);
    const laughs = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]", ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`)].join("\n");
    const cases: [string, string, string, number, number, RegExp][] = [
      ["an alias bomb", laughs, "d[2]", 4, 16, /at most 20 aliases/],
      ["brackets nested 10,000 deep", `description: ${"[".repeat(10_000)}${"]".repeat(10_000)}`, "(document)", 1, 46, /nested more than 32 levels/],
      ["a !!js/function tag", "description: !!js/function 'function () {}'", "description", 1, 28, /YAML tags such as !!js\/function are not allowed/],
      ["a merge key", "stages:\n  staging:\n    <<: { gates: [] }", "stages.staging", 3, 5, /Merge keys/],
      ["two documents", "description: a\n---\ndescription: b", "(document)", 2, 1, /one YAML document/],
    ];
    for (const [what, document, path, line, column, message] of cases) {
      for (const res of [
        await admin.post("/api/v1/policies/validate", { data: { document, model: name } }),
        await admin.put(`/api/v1/models/${name}/policy`, { data: { document, comment: `trying ${what}` } }),
      ]) {
        const body = await expectError(res, 422, "invalid_document");
        expect(body.error.details, what).toEqual([{ path, line, column, message: expect.stringMatching(message) }]);
        expect(body.error.message, what).toMatch(new RegExp(`^The policy is not valid: line ${line}, column ${column}: `));
      }
    }
    // Over the size limit: refused on the field before any parsing.
    const huge = await expectError(await admin.put(`/api/v1/models/${name}/policy`, { data: { document: `description: ${"x".repeat(100_000)}`, comment: "too big" } }), 400, "invalid_input");
    expect(huge.error.details).toEqual([{ path: "document", message: "A policy is at most 100,000 characters" }]);
    expect((await (await admin.get(`/api/v1/models/${name}/policy`)).json()).version).toBe(0);
  });

  test("oversized and wrongly typed fields say where", async () => {
    const body = await expectError(await admin.post("/api/v1/teams", { data: { slug: 42, name: "x".repeat(500) } }), 400);
    const paths = (body.error as unknown as { details: { path: string }[] }).details.map((d) => d.path).sort();
    expect(paths).toEqual(["name", "slug"]);
    await expectError(await admin.post("/api/v1/users", { data: { email: `${unique("u")}@example.com`, name: "Long", password: "é".repeat(40) } }), 400);
    await expectError(await admin.post("/api/v1/users", { data: [] }), 400);
  });

  test("two identical role grants racing: one succeeds, the other is a 409", async () => {
    const user = await (await admin.post("/api/v1/users", { data: { email: `${unique("race")}@example.com`, name: "Race", password: "long-enough-password" } })).json();
    const results = await Promise.all([1, 2, 3].map(() => admin.post(`/api/v1/users/${user.id}/roles`, { data: { role: "auditor" } })));
    expect(results.map((r) => r.status()).sort()).toEqual([201, 409, 409]);
    const after = await (await admin.get(`/api/v1/users/${user.id}`)).json();
    expect(after.grants.filter((g: { role: string }) => g.role === "auditor")).toHaveLength(1);
  });

  test("a cross-site request cannot use a browser session to change anything", async ({ baseURL }) => {
    const user = await (await admin.post("/api/v1/users", { data: { email: `${unique("csrf")}@example.com`, name: "Target", password: "long-enough-password" } })).json();
    const forged = await admin.post(`/api/v1/users/${user.id}/deactivate`, { headers: { origin: "http://evil.example", "sec-fetch-site": "cross-site" } });
    const body = await expectError(forged, 403, "forbidden");
    expect(body.error.message).toContain("Cross-site");
    expect((await (await admin.get(`/api/v1/users/${user.id}`)).json()).active).toBe(true);
    const otherOrigin = await admin.post(`/api/v1/users/${user.id}/deactivate`, { headers: { origin: "http://evil.example" } });
    await expectError(otherOrigin, 403, "forbidden");
    // The same call from Gatehouse's own pages goes through.
    const own = await admin.post(`/api/v1/users/${user.id}/deactivate`, { headers: { origin: new URL(baseURL!).origin, "sec-fetch-site": "same-origin" } });
    expect(own.status()).toBe(200);
  });
});
