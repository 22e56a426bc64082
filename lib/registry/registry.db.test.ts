import { afterAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/verify";
import type { Actor } from "@/lib/auth/permissions";
import { createTeam } from "@/lib/auth/teams";
import { db } from "@/lib/db";
import { aliasHistory, deleteAlias, setAlias } from "./aliases";
import { createModel } from "./models";
import { addReport } from "./reports";
import { registerVersion, updateVersion } from "./versions";

// Against the real PostgreSQL of `npm test`: audit content of each registry mutation, and version numbering under concurrency.
const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);
const ci: Actor = { kind: "service", tokenId: "t-registry-test", label: "token:registry-test", scopes: ["registry:write", "registry:read"] };
const suffix = Date.now().toString(36);
const artifact = { uri: "s3://m/model.onnx", checksum: "sha256:0123456789abcdef" };
const last = () => db.auditEvent.findFirstOrThrow({ orderBy: { id: "desc" } });

describe.skipIf(!hasDb)("registry mutations in PostgreSQL", () => {
  afterAll(async () => {
    expect((await verifyAuditChain()).ok).toBe(true);
    await db.$disconnect();
  });

  it("each mutation writes its audit event with who and what", async () => {
    await createTeam({ actor: { kind: "system", label: "test" }, input: { slug: `reg-${suffix}`, name: "Registry test" } });
    const model = await createModel({ actor: ci, input: { name: `m-${suffix}`, team: `reg-${suffix}`, riskTier: "regulated" } });
    expect(await last()).toMatchObject({ action: "model.create", actorType: "service", actorLabel: "token:registry-test", after: { name: model.name, riskTier: "regulated" } });

    const v = await registerVersion({ actor: ci, model: model.name, input: { artifact, lineage: { commitSha: "abcdef1", dataHash: "sha256:feedbeef", featureSet: { name: "f", version: "1" } } } });
    expect(await last()).toMatchObject({ action: "version.register", targetType: "model-version", after: { model: model.name, version: 1, reproducible: true } });
    expect(v.registeredBy).toBe("token:registry-test");

    await addReport({ actor: ci, model: model.name, version: "1", input: { kind: "latency", payload: { percentilesMs: { p50: 1, p95: 2, p99: 3 } } } });
    expect(await last()).toMatchObject({ action: "report.add", after: { model: model.name, version: 1, kind: "latency" } });

    await updateVersion({ actor: ci, model: model.name, version: "1", input: { description: "better words", reason: "typo" } });
    expect(await last()).toMatchObject({ action: "version.update", before: { description: "" }, after: { description: "better words" }, reason: "typo" });

    await setAlias({ actor: ci, model: model.name, alias: "candidate", input: { version: 1, reason: "ready for staging" } });
    expect(await last()).toMatchObject({ action: "alias.set", targetId: `${model.name}@candidate`, before: { version: null }, after: { version: 1 }, reason: "ready for staging" });
    const before = await db.auditEvent.count();
    await setAlias({ actor: ci, model: model.name, alias: "candidate", input: { version: 1 } });
    expect(await db.auditEvent.count()).toBe(before); // pointing it where it already points changes nothing

    await deleteAlias({ actor: ci, model: model.name, alias: "candidate", reason: "withdrawn" });
    expect(await last()).toMatchObject({ action: "alias.delete", before: { version: 1 }, after: { version: null }, reason: "withdrawn" });
    expect((await aliasHistory({ actor: ci, model: model.name })).map((h) => [h.fromVersion, h.toVersion])).toEqual([
      [1, null],
      [null, 1],
    ]);
  });

  it("numbers concurrent registrations 1..n without gaps or duplicates", async () => {
    const model = await createModel({ actor: ci, input: { name: `race-${suffix}`, team: `reg-${suffix}` } });
    const versions = await Promise.all(Array.from({ length: 12 }, () => registerVersion({ actor: ci, model: model.name, input: { artifact } })));
    expect(versions.map((v) => v.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });
});

describe.skipIf(!hasDb)("change announcements", () => {
  it("a committed alias move is announced on the changes channel, so other instances drop their caches", async () => {
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    const heard: string[] = [];
    client.on("notification", (n) => heard.push(n.payload ?? ""));
    await client.query("LISTEN gatehouse_changes");
    try {
      const model = await createModel({ actor: ci, input: { name: `notify-${suffix}`, team: `reg-${suffix}` } });
      await registerVersion({ actor: ci, model: model.name, input: { artifact } });
      await setAlias({ actor: ci, model: model.name, alias: "candidate", input: { version: 1 } });
      await expect.poll(() => heard, { timeout: 2_000 }).toContain("alias.set");
      expect(heard).toEqual(expect.arrayContaining(["model.create", "version.register"]));
    } finally {
      await client.end();
    }
  });
});

describe.skipIf(!hasDb)("immutability in the database itself", () => {
  it.each([
    ["the artifact of a version", `UPDATE model_versions SET artifact_uri = 's3://swapped' WHERE version = 1`, /immutable once registered/],
    ["the lineage of a version", `UPDATE model_versions SET commit_sha = 'deadbeef' WHERE version = 1`, /immutable once registered/],
    ["a report", `UPDATE evaluation_reports SET payload = '{}'`, /append-only: UPDATE/],
    ["a report, by deleting it", `DELETE FROM evaluation_reports`, /append-only: DELETE/],
  ])("refuses to change %s", async (_what, sql, error) => {
    await expect(db.$executeRawUnsafe(sql)).rejects.toThrow(error);
  });

  it("still lets description, tags and status change", async () => {
    const changed = await db.$executeRawUnsafe(`UPDATE model_versions SET description = description || '', tags = tags, status = status WHERE version = 1`);
    expect(changed).toBeGreaterThan(0);
  });
});
