import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { PUBLIC_ACTIONS, PUBLIC_ROUTES, isPublicPage } from "../../lib/security/public-routes";
import { demoUser, sessionFor, unique } from "../support/api";
import { createModel, versionBody } from "../support/registry";
import { PLACEHOLDER_ID, appDir, exportedMethods, filesUnder, fill, root, routeOf } from "../support/routes";

// Nothing answers without a session or an API token except the allow-list in lib/security/public-routes.ts
// (docs/security.md). Routes, pages and server actions are enumerated from the source tree and the build, not listed
// by hand: a new one that is neither refused nor allow-listed fails here.

const files = filesUnder(appDir);
const routeHandlers = files.filter((f) => /[\\/]route\.(ts|tsx|js|mjs)$/.test(f)).map((file) => ({ file, route: routeOf(file), methods: exportedMethods(readFileSync(file, "utf8")) }));
const pages = files.filter((f) => /[\\/]page\.(tsx|ts|jsx|js)$/.test(f)).map((file) => ({ file, route: routeOf(file) }));
const publicRoute = (route: string) => PUBLIC_ROUTES.find((r) => r.route === route);

test("the enumeration finds the app: route handlers with their methods, and pages", () => {
  expect(routeHandlers.length).toBeGreaterThan(50);
  expect(pages.length).toBeGreaterThan(20);
  for (const r of routeHandlers) expect(r.methods, `no exported HTTP method found in ${path.relative(root, r.file)}; teach exportedMethods its export style`).not.toEqual([]);
  expect(routeHandlers.find((r) => r.route === "/api/v1/models/[name]/aliases/[alias]")?.methods).toEqual(["GET", "PUT", "DELETE"]);
  expect(routeHandlers.find((r) => r.route === "/api/auth/[...nextauth]")?.methods).toEqual(["GET", "POST"]);
  // Every allow-list entry names a route that exists: a stale entry would hide a future route of that name.
  for (const p of PUBLIC_ROUTES) expect([...routeHandlers, ...pages].map((r) => r.route), `allow-listed ${p.route}`).toContain(p.route);
});

test.describe("without a session or token", () => {
  for (const { route, methods } of routeHandlers.filter((r) => !publicRoute(r.route))) {
    test(`${methods.join(", ")} ${route}: 401 with the JSON error`, async ({ request }) => {
      const url = fill(route);
      for (const method of methods) {
        for (const authorization of [undefined, "Bearer not-a-token", `Bearer ghk_${"x".repeat(43)}`]) {
          const res = await request.fetch(url, { method, headers: authorization ? { authorization } : {}, ...(method === "GET" || method === "HEAD" ? {} : { data: {} }), maxRedirects: 0 });
          const label = `${method} ${url}${authorization ? ` with ${authorization}` : ""}`;
          expect(res.status(), label).toBe(401);
          if (method === "HEAD") continue;
          // The MLflow-compatible API answers in MLflow's error format; the rest in Gatehouse's.
          if (route.startsWith("/api/2.0/mlflow/")) {
            const body = (await res.json()) as { error_code?: string; message?: string };
            expect(body.error_code, label).toBe("UNAUTHENTICATED");
            expect(body.message, label).toBeTruthy();
            continue;
          }
          const body = (await res.json()) as { error?: { code?: string; message?: string } };
          expect(body.error?.code, label).toBe("unauthenticated");
          expect(body.error?.message, label).toBeTruthy();
        }
      }
    });
  }

  for (const { route } of pages.filter((p) => !publicRoute(p.route))) {
    test(`page ${route}: redirected to sign-in`, async ({ request }) => {
      const url = fill(route);
      for (const headers of [{}, { rsc: "1" }] as Record<string, string>[]) {
        const res = await request.get(url, { headers, maxRedirects: 0 });
        expect(res.status(), url).toBe(307);
        expect(res.headers()["location"], url).toMatch(/^\/signin(\?|$)/);
      }
    });
  }

  test("an unknown page is redirected too, not rendered", async ({ request }) => {
    const res = await request.get(`/${unique("no-such-page")}`, { maxRedirects: 0 });
    expect(res.status()).toBe(307);
    expect(res.headers()["location"]).toMatch(/^\/signin/);
  });

  test("the allow-listed routes answer without credentials", async ({ request }) => {
    const expectations: [string, number][] = [
      ["/signin", 200],
      [`/invite/${unique("bogus")}`, 200],
      ["/api/v1/health", 200],
      ["/api/v1/openapi.json", 200],
      ["/api/auth/csrf", 200],
      ["/api/auth/providers", 200],
      ["/api/auth/session", 200],
    ];
    for (const [url, status] of expectations) expect((await request.get(url, { maxRedirects: 0 })).status(), url).toBe(status);
    // Signed out, the session endpoint says so and reveals nothing.
    expect(await (await request.get("/api/auth/session")).json()).toEqual({});
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Server actions: every action id in the build, posted the way React posts it, without a cookie.

type ManifestEntry = { filename?: string; exportedName?: string; workers: Record<string, unknown> };
type Action = { id: string; file: string; name: string; workers: string[] };

function actionsFromBuild(): Action[] {
  const manifest = JSON.parse(readFileSync(path.join(root, ".next", "server", "server-reference-manifest.json"), "utf8")) as Record<"node" | "edge", Record<string, ManifestEntry>>;
  return (["node", "edge"] as const).flatMap((runtime) =>
    Object.entries(manifest[runtime] ?? {}).map(([id, e]) => ({ id, file: e.filename ?? "?", name: e.exportedName ?? "?", workers: Object.keys(e.workers) })),
  );
}

/** The URL of a page entry in the manifest ("app/models/[name]/page" -> /models/fraud-detector). */
function workerPath(worker: string): string {
  const route = "/" + worker.replace(/^app\//, "").replace(/\/?page$/, "");
  return route === "/_not-found" ? `/${unique("no-such-page")}` : fill(route === "/" ? "/" : route);
}

const isPublicAction = (a: Action) => PUBLIC_ACTIONS.some((p) => p.file === a.file && p.name === a.name);

// React's own encoder for action arguments, the one the browser uses (Next ships a Node build of it).
const { encodeReply } = require("next/dist/compiled/react-server-dom-webpack/client.node") as { encodeReply: (args: unknown[]) => Promise<string | FormData> };

/** What the probe aims at: things that exist, so an action that ran would visibly change them. */
type Victims = { marker: string; userId: string; grantId: string; tokenId: string; webhookId: string; webhookUrl: string; model: string; alias: string };

const idle = { status: "idle" };
function form(fields: Record<string, string | string[]>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const item of [v].flat()) f.append(k, item);
  return f;
}
const PASSWORD = "probe-password-long-enough";

/** Arguments each action would be called with from its form, aimed at the victims. Actions not listed get a generic set. */
const ARGS: Record<string, (v: Victims) => unknown[]> = {
  signOutAction: () => [],
  acceptInvitationAction: () => ["not-a-live-invitation", idle, form({ password: PASSWORD, confirm: PASSWORD })],
  createTeamAction: (v) => [idle, form({ slug: v.marker, name: v.marker })],
  createTokenAction: (v) => [idle, form({ name: `${v.marker}-new`, kind: "service", scopes: ["registry:read"] })],
  revokeTokenAction: (v) => [v.tokenId, idle, form({})],
  createUserAction: (v) => [idle, form({ email: `${v.marker}-new@example.com`, name: v.marker, password: PASSWORD, role: "admin" })],
  setUserActiveAction: (v) => [v.userId, idle, form({ active: "false", reason: v.marker })],
  resetPasswordAction: (v) => [v.userId, idle, form({ password: PASSWORD, reason: v.marker })],
  grantRoleAction: (v) => [v.userId, idle, form({ role: "admin", reason: v.marker })],
  reissueInvitationAction: (v) => [v.userId, idle, form({})],
  revokeRoleAction: (v) => [v.userId, v.grantId, idle, form({})],
  createWebhookAction: (v) => [idle, form({ url: v.webhookUrl, description: `${v.marker}-new`, events: ["*"] })],
  updateWebhookAction: (v) => [v.webhookId, idle, form({ url: v.webhookUrl, description: `${v.marker}-changed`, events: ["*"] })],
  setWebhookEnabledAction: (v) => [v.webhookId, false, idle, form({})],
  rotateWebhookSecretAction: (v) => [v.webhookId, idle, form({})],
  deleteWebhookAction: (v) => [v.webhookId, idle, form({})],
  sendTestWebhookAction: (v) => [v.webhookId, idle, form({})],
  redeliverWebhookAction: (v) => [v.webhookId, PLACEHOLDER_ID, idle, form({})],
  setAliasAction: (v) => [v.model, idle, form({ alias: v.alias, version: "2", reason: v.marker })],
  deleteAliasAction: (v) => [v.model, v.alias, idle, form({ reason: v.marker })],
  rollbackAliasAction: (v) => [v.model, v.alias, idle, form({ comment: v.marker })],
  checkPolicyAction: (v) => [v.model, "stages: {}\n"],
  savePolicyAction: (v) => [v.model, { document: "stages: {}\n", comment: v.marker, expectedVersion: 0 }],
  requestPromotionAction: (v) => [v.model, 1, idle, form({ stage: "staging", justification: v.marker })],
  controlRolloutAction: (v) => [PLACEHOLDER_ID, "abort", idle, form({ comment: v.marker })],
  incidentAction: (v) => [PLACEHOLDER_ID, "resolve", idle, form({ comment: v.marker })],
  markNotificationReadAction: () => [PLACEHOLDER_ID, idle, form({})],
};
const argsFor = (a: Action, v: Victims) => (ARGS[a.name] ?? ((x: Victims) => [PLACEHOLDER_ID, idle, form({ decision: "approve", comment: x.marker, reason: x.marker, password: PASSWORD })]))(v);

async function postAction(ctx: APIRequestContext, baseURL: string, url: string, action: Action, args: unknown[], extra: Record<string, string> = {}): Promise<APIResponse> {
  const body = await encodeReply(args);
  const headers = { "next-action": action.id, accept: "text/x-component", origin: baseURL, ...extra };
  return typeof body === "string"
    ? ctx.post(url, { headers: { ...headers, "content-type": "text/plain;charset=UTF-8" }, data: body, maxRedirects: 0 })
    : ctx.post(url, { headers, multipart: body, maxRedirects: 0 });
}

/** Did this response come from running the action (React's answer), rather than a redirect, a 404 or an empty forward? */
const ranAction = (res: APIResponse) => (res.headers()["content-type"] ?? "").startsWith("text/x-component");

test.describe("server actions without a session", () => {
  const actions = actionsFromBuild();
  let admin: APIRequestContext;
  let v: Victims;
  let auditBefore: number;

  test.beforeAll(async ({ baseURL }) => {
    admin = await sessionFor(baseURL!, demoUser("admin"));
    const engineer = await sessionFor(baseURL!, demoUser("engineer"));
    const marker = unique("probe");
    const user = await (await admin.post("/api/v1/users", { data: { email: `${marker}@example.com`, name: "Probe victim", password: PASSWORD, roles: [{ role: "viewer" }] } })).json();
    const token = await (await admin.post("/api/v1/tokens", { data: { name: marker, kind: "service", scopes: ["registry:read"] } })).json();
    const webhookUrl = "http://127.0.0.1:9/probe";
    const webhook = await (await admin.post("/api/v1/webhooks", { data: { url: webhookUrl, events: ["review.required"], description: marker } })).json();
    const { name: model } = await createModel(engineer);
    for (let i = 0; i < 2; i++) expect((await engineer.post(`/api/v1/models/${model}/versions`, { data: versionBody() })).status()).toBe(201);
    expect((await engineer.put(`/api/v1/models/${model}/aliases/probe`, { data: { version: 1 } })).status()).toBe(200);
    await engineer.dispose();
    v = { marker, userId: user.id, grantId: user.grants[0].id, tokenId: token.id, webhookId: webhook.id, webhookUrl, model, alias: "probe" };
    auditBefore = Number((await (await admin.get("/api/v1/audit?limit=1")).json()).items[0].id);
  });
  test.afterAll(async () => admin.dispose());

  test("the build lists the app's actions, and each is a function some actions.ts exports", () => {
    expect(actions.length).toBeGreaterThan(30);
    for (const a of actions) expect(readFileSync(path.join(root, a.file), "utf8"), `${a.name} in ${a.file}`).toMatch(new RegExp(`export async function ${a.name}\\b`));
  });

  test("on the pages that run them, every action is refused before it runs: the proxy sends the caller to sign in", async ({ request, baseURL }) => {
    for (const action of actions) {
      for (const worker of action.workers) {
        const url = workerPath(worker);
        const label = `${action.name} (${action.file}) posted to ${url}`;
        if (isPublicPage(url)) {
          expect(isPublicAction(action), `${label}: runs on a public page but is not in PUBLIC_ACTIONS`).toBe(true);
          continue;
        }
        const res = await postAction(request, baseURL!, url, action, argsFor(action, v));
        expect(res.status(), label).toBe(307);
        expect(res.headers()["location"], label).toMatch(/^\/signin/);
      }
    }
  });

  test("posted at the pages the proxy lets through, no action but the public ones runs", async ({ request, baseURL }) => {
    // The public pages, and paths the proxy never sees (the API's and static files') where Next renders its 404 page.
    const open = ["/signin", "/invite/not-a-live-invitation", "/api/v1/no-such-route", "/no-such-file.png"];
    for (const action of actions) {
      for (const url of open) {
        // x-action-forwarded claims another worker already forwarded it: Next must still not run a foreign action here.
        // (Next logs each refusal with a stack trace, so this variant is tried on one page only.)
        for (const extra of (url === "/signin" ? [{}, { "x-action-forwarded": "1" }] : [{}]) as Record<string, string>[]) {
          const res = await postAction(request, baseURL!, url, action, argsFor(action, v), extra);
          const label = `${action.name} posted to ${url}${"x-action-forwarded" in extra ? " (claiming to be forwarded)" : ""}: ${res.status()} ${res.headers()["content-type"]}`;
          expect(res.status(), label).toBeLessThan(500);
          if (!isPublicAction(action)) expect(ranAction(res), label).toBe(false);
        }
      }
    }
  });

  test("and nothing changed: the probe's targets are as they were and the audit log has no event about them", async () => {
    const user = await (await admin.get(`/api/v1/users/${v.userId}`)).json();
    expect(user.active).toBe(true);
    expect(user.grants.map((g: { role: string }) => g.role)).toEqual(["viewer"]);
    expect((await (await admin.get(`/api/v1/users?q=${v.marker}-new`)).json()).items).toEqual([]);
    expect((await (await admin.get("/api/v1/teams")).json()).items.map((t: { slug: string }) => t.slug)).not.toContain(v.marker);
    const tokens = (await (await admin.get("/api/v1/tokens?limit=200&includeRevoked=true")).json()).items as { id: string; name: string; revokedAt: string | null }[];
    expect(tokens.find((t) => t.id === v.tokenId)?.revokedAt).toBeNull();
    expect(tokens.map((t) => t.name)).not.toContain(`${v.marker}-new`);
    const webhook = await (await admin.get(`/api/v1/webhooks/${v.webhookId}`)).json();
    expect(webhook).toMatchObject({ enabled: true, description: v.marker, events: ["review.required"] });
    // Other tests' emergency promotions may reach it; a test event could only come from the probe.
    const deliveries = (await (await admin.get(`/api/v1/webhooks/${v.webhookId}/deliveries?limit=100`)).json()).items as { event: string }[];
    expect(deliveries.filter((d) => d.event === "webhook.test")).toEqual([]);
    expect(JSON.stringify((await (await admin.get("/api/v1/webhooks?limit=200")).json()).items)).not.toContain(`${v.marker}-new`);
    expect((await (await admin.get(`/api/v1/models/${v.model}/aliases/${v.alias}`)).json()).version).toBe(1);
    expect((await (await admin.get(`/api/v1/promotions?model=${v.model}`)).json()).items).toEqual([]);

    const touched = new Set([v.userId, v.tokenId, v.webhookId, `${v.model}@${v.alias}`, v.model]);
    const since: { id: string; action: string; target: { id: string }; reason: string | null }[] = [];
    for (let cursor: string | undefined; ; ) {
      const page = await (await admin.get(`/api/v1/audit?limit=200${cursor ? `&cursor=${cursor}` : ""}`)).json();
      const newer = (page.items as typeof since).filter((e) => Number(e.id) > auditBefore);
      since.push(...newer);
      if (newer.length < page.items.length || !page.nextCursor) break;
      cursor = page.nextCursor;
    }
    const suspicious = since.filter((e) => touched.has(e.target.id) || (e.reason ?? "").includes(v.marker) || JSON.stringify(e).includes(v.marker));
    expect(suspicious.map((e) => `${e.id} ${e.action} ${e.target.id}`)).toEqual([]);
  });

  test("the same requests with an admin's session do run: the probe would have seen a change", async ({ baseURL }) => {
    const byName = (name: string) => actions.find((a) => a.name === name)!;
    const run = async (name: string) => {
      const action = byName(name);
      const res = await postAction(admin, baseURL!, workerPath(action.workers.find((w) => w !== "app/_not-found/page")!), action, argsFor(action, v));
      expect(ranAction(res), `${name}: ${res.status()}`).toBe(true);
    };
    await run("createTeamAction");
    expect((await (await admin.get("/api/v1/teams")).json()).items.map((t: { slug: string }) => t.slug)).toContain(v.marker);
    await run("setWebhookEnabledAction");
    expect((await (await admin.get(`/api/v1/webhooks/${v.webhookId}`)).json()).enabled).toBe(false);
    await run("revokeTokenAction");
    const tokens = (await (await admin.get("/api/v1/tokens?limit=200&includeRevoked=true")).json()).items as { id: string; revokedAt: string | null }[];
    expect(tokens.find((t) => t.id === v.tokenId)?.revokedAt).not.toBeNull();
  });
});
