import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { demoUser, expectError, sessionFor, tokenClient, unique } from "../support/api";

// `npm run gatehouse -- …` against the same database as the running test server (npm test sets DATABASE_URL).
const run = promisify(execFile);
const gatehouse = (...args: string[]) => run(process.execPath, [path.join(process.cwd(), "scripts", "gatehouse.mjs"), ...args], { cwd: process.cwd(), env: process.env });

test.describe("the gatehouse CLI", () => {
  test("token create prints the token alone on its last line, and it works against the API", async ({ baseURL }) => {
    const name = unique("cli");
    const { stdout } = await gatehouse("token", "create", "--name", name, "--scope", "registry:read", "--scope", "metrics:write");
    const lines = stdout.trimEnd().split("\n");
    const token = lines[lines.length - 1];
    expect(token).toMatch(/^ghk_[A-Za-z0-9_-]{43}$/);
    const client = await tokenClient(baseURL!, token);
    const me = await (await client.get("/api/v1/me")).json();
    expect(me).toMatchObject({ kind: "service", label: `token:${name}`, scopes: ["registry:read", "metrics:write"] });
    await client.dispose();
  });

  test("a user-bound token from the CLI acts as that user", async ({ baseURL }) => {
    const { stdout } = await gatehouse("token", "create", "--name", unique("cli-user"), "--user", demoUser("auditor"));
    const token = stdout.trimEnd().split("\n").at(-1)!;
    const client = await tokenClient(baseURL!, token);
    expect((await client.get("/api/v1/audit/verify")).status()).toBe(200);
    await expectError(await client.post("/api/v1/teams", { data: { slug: unique("t"), name: "No" } }), 403);
    await client.dispose();
  });

  test("bad arguments fail with a message and no token", async () => {
    const failed = await gatehouse("token", "create", "--name", "x", "--scope", "everything").catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toContain("Scopes are");
    expect((failed as { stdout: string }).stdout).not.toMatch(/ghk_/);
  });

  test("team create works and audit verify then reports an intact chain", async ({ baseURL }) => {
    const slug = unique("cli-team");
    await gatehouse("team", "create", "--slug", slug, "--name", "From the CLI");
    const { stdout } = await gatehouse("audit", "verify");
    expect(JSON.parse(stdout.trim())).toMatchObject({ ok: true, firstBrokenId: null });
    const admin = await sessionFor(baseURL!, demoUser("admin"));
    const teams = await (await admin.get("/api/v1/teams")).json();
    expect(teams.items.map((t: { slug: string }) => t.slug)).toContain(slug);
    await admin.dispose();
  });

  test("--help lists the commands", async () => {
    const { stdout } = await gatehouse("--help");
    expect(stdout).toContain("token create --name <name> (--user <email> | --scope <scope>...)");
  });
});
