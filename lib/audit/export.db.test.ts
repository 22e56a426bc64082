import { randomBytes } from "node:crypto";
import v8 from "node:v8";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { makeTeam, makeUser } from "@/lib/promotions/test-fixtures";
import { GENESIS_HASH, chainEvent } from "./chain";
import { EXPORT_COLUMNS, exportAuditEvents } from "./export";
import { verifyAuditChain } from "./verify";

// A 100,000-event export against the real PostgreSQL of `npm test`: every row, exact CSV quoting, ISO 8601 UTC times,
// and memory that stays flat however long the log.
const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe.skipIf(!hasDb)("the audit export in PostgreSQL", () => {
  let auditor: Actor, teamAuditor: Actor;
  beforeAll(async () => {
    const team = await makeTeam("export");
    auditor = await makeUser("ari-auditor", ["auditor"], null);
    teamAuditor = await makeUser("tia-auditor", ["auditor"], team.id);
  });
  afterAll(async () => {
    await db.$disconnect();
  });

  describe("a 100,000-event export", () => {
    const N = 100_000;
    // Distinct per run, so a re-run on the same database exports only its own events.
    const ACTION = `bench.export-test.${randomBytes(3).toString("hex")}`;
    let firstId: bigint;
    let base: number;
    // Every 997th row has a reason a spreadsheet would choke on; every 997th + 1 one a formula; + 2 none at all.
    const reasonOf = (i: number) => (i % 997 === 0 ? `Row ${i}, with "quotes", a comma,\r\nand a second line` : i % 997 === 1 ? `=HYPERLINK("http://evil.example/${i}")` : i % 997 === 2 ? null : `routine export row ${i}`);

    beforeAll(async () => {
      base = Date.now() - N;
      // Appended like recordAuditEvent does (under the chain lock, after the newest event), 2,000 rows a statement.
      await db.$transaction(
        async (tx) => {
          await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(72540001)");
          const last = await tx.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true, hash: true } });
          let id = last?.id ?? 0n;
          let prev = last?.hash ?? GENESIS_HASH;
          firstId = id + 1n;
          for (let start = 0; start < N; start += 2_000) {
            const data = [];
            for (let i = start; i < Math.min(N, start + 2_000); i++) {
              id += 1n;
              const e = chainEvent({ id: id.toString(), occurredAt: new Date(base + i).toISOString(), actorType: "system", actorId: null, actorLabel: "export-bench", action: ACTION, targetType: "bench", targetId: String(i), teamId: null, before: null, after: { n: i }, reason: reasonOf(i) }, prev);
              prev = e.hash;
              data.push({ ...e, id, occurredAt: new Date(e.occurredAt), before: undefined, after: { n: i } });
            }
            await tx.auditEvent.createMany({ data });
          }
        },
        { isolationLevel: "ReadCommitted", maxWait: 10_000, timeout: 60_000 },
      );
    }, 60_000);

    // Streaming holds about a page (~1 MB here); reading all 100,000 rows up front holds 20 to 40 MB.
    const BOUND = 16 * 1024 * 1024;

    /**
     * Opens an export and reads it a chunk at a time, handing each to `onChunk`. Memory is what stays reachable
     * (heap and buffers after a full collection) compared with before the export was opened, sampled after the first
     * chunk and every 10th: an export that read everything up front, or ran ahead of its reader, shows there.
     */
    async function consume(open: () => ReturnType<typeof exportAuditEvents>, onChunk: (text: string) => void) {
      v8.setFlagsFromString("--expose-gc");
      const gc = vm.runInNewContext("gc") as () => void;
      const retained = () => {
        gc();
        const m = process.memoryUsage();
        return m.heapUsed + m.arrayBuffers;
      };
      const start = retained();
      const { stream, contentType } = await open();
      const reader = stream.getReader();
      const decoder = new TextDecoder();
      let peak = 0;
      let chunks = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks += 1;
        onChunk(decoder.decode(value));
        if (chunks % 10 === 1) peak = Math.max(peak, retained() - start);
      }
      return { chunks, peakGrowth: peak, contentType };
    }

    /** RFC 4180, for one chunk that must hold whole records. */
    function parseCsv(text: string): string[][] {
      const rows: string[][] = [];
      let row: string[] = [];
      let i = 0;
      while (i < text.length) {
        let field = "";
        if (text[i] === '"') {
          for (let j = i + 1; ; ) {
            const q = text.indexOf('"', j);
            if (q === -1) throw new Error(`an unterminated quoted field at ${i}`);
            field += text.slice(j, q);
            if (text[q + 1] === '"') (field += '"'), (j = q + 2);
            else {
              i = q + 1;
              break;
            }
          }
        } else {
          const ends = [text.indexOf(",", i), text.indexOf("\r", i)].filter((n) => n !== -1);
          const end = ends.length ? Math.min(...ends) : text.length;
          field = text.slice(i, end);
          i = end;
        }
        row.push(field);
        if (text[i] === ",") i += 1;
        else if (text.startsWith("\r\n", i)) {
          rows.push(row);
          row = [];
          i += 2;
        } else throw new Error(`expected a comma or CRLF at ${i}, found ${JSON.stringify(text.slice(i, i + 20))}`);
      }
      if (row.length) throw new Error("the chunk ends inside a record");
      return rows;
    }

    it("as CSV: header + 100,000 rows, oldest first, ISO 8601 UTC, quoted where needed, in bounded memory", async () => {
      let header: string[] | null = null;
      let count = 0;
      let expected = firstId;
      let largest = 0;
      const { chunks, peakGrowth, contentType } = await consume(() => exportAuditEvents({ actor: auditor, query: { action: ACTION, format: "csv" } }), (text) => {
        const rows = parseCsv(text);
        if (!header) {
          header = rows.shift()!;
          expect(header).toEqual([...EXPORT_COLUMNS]);
        }
        largest = Math.max(largest, rows.length);
        for (const r of rows) {
          expect(r).toHaveLength(EXPORT_COLUMNS.length);
          const [id, occurredAt, actorType, actorId, , action, , targetId, , reason, before, after] = r;
          if (id !== expected.toString()) expect(id).toBe(expected.toString());
          const i = Number(targetId);
          if (occurredAt !== new Date(base + i).toISOString()) expect(occurredAt).toBe(new Date(base + i).toISOString());
          const want = reasonOf(i);
          const shown = want === null ? "" : want.startsWith("=") ? `'${want}` : want;
          if (reason !== shown || action !== ACTION || actorType !== "system" || actorId !== "" || before !== "" || after !== `{"n":${i}}`) expect({ reason, action, actorType, actorId, before, after }).toEqual({ reason: shown, action: ACTION, actorType: "system", actorId: "", before: "", after: `{"n":${i}}` });
          expected += 1n;
          count += 1;
        }
      });
      expect(contentType).toBe("text/csv; charset=utf-8");
      expect(count).toBe(N);
      expect(expected - firstId).toBe(BigInt(N));
      expect(largest).toBe(1_000);
      expect(chunks).toBeGreaterThanOrEqual(1 + N / 1_000);
      expect(peakGrowth).toBeLessThan(BOUND);
    }, 30_000);

    it("CSV quoting of commas, quotes and newlines is RFC 4180, and formulas are defused", async () => {
      const { stream } = await exportAuditEvents({ actor: auditor, query: { action: ACTION, format: "csv", q: "Row 997," } });
      const text = await new Response(stream).text();
      const id = (firstId + 997n).toString();
      expect(text).toContain(`\r\n${id},${new Date(base + 997).toISOString()},system,,export-bench,${ACTION},bench,997,,"Row 997, with ""quotes"", a comma,\r\nand a second line",,"{""n"":997}",`);
      const formula = await new Response((await exportAuditEvents({ actor: auditor, query: { action: ACTION, q: "evil.example/998\")" } })).stream).text();
      expect(formula).toContain(`,"'=HYPERLINK(""http://evil.example/998"")",`);
    });

    it("as JSON Lines: 100,000 records with the original text, in bounded memory", async () => {
      let count = 0;
      let first: Record<string, unknown> | null = null;
      let last: Record<string, unknown> | null = null;
      let largest = 0;
      const { chunks, peakGrowth, contentType } = await consume(() => exportAuditEvents({ actor: auditor, query: { action: ACTION, format: "jsonl" } }), (text) => {
        expect(text.endsWith("\n")).toBe(true);
        const lines = text.slice(0, -1).split("\n");
        largest = Math.max(largest, lines.length);
        for (const line of lines) {
          const r = JSON.parse(line) as Record<string, unknown>;
          first ??= r;
          last = r;
          const i = Number(r.target_id);
          if (r.reason !== reasonOf(i) || r.occurred_at !== new Date(base + i).toISOString() || (r.after as { n: number }).n !== i || r.before !== null) {
            expect(r).toMatchObject({ reason: reasonOf(i), occurred_at: new Date(base + i).toISOString(), after: { n: i }, before: null });
          }
          count += 1;
        }
      });
      expect(contentType).toBe("application/x-ndjson; charset=utf-8");
      expect(count).toBe(N);
      expect(first).toMatchObject({ id: firstId.toString(), target_id: "0", occurred_at: expect.stringMatching(ISO_UTC), actor_id: null, team_id: null });
      expect(last).toMatchObject({ id: (firstId + BigInt(N - 1)).toString(), target_id: String(N - 1), occurred_at: new Date(base + N - 1).toISOString() });
      expect(Object.keys(first!)).toEqual([...EXPORT_COLUMNS]);
      expect(largest).toBe(1_000);
      expect(chunks).toBeGreaterThanOrEqual(N / 1_000);
      expect(peakGrowth).toBeLessThan(BOUND);
    }, 30_000);

    it("the chain still verifies with the exported events in it", async () => {
      const result = await verifyAuditChain();
      expect(result).toMatchObject({ ok: true, firstBrokenId: null });
      expect(result.checked).toBeGreaterThanOrEqual(N);
      // A team-scoped auditor exports none of them (they belong to no team).
      const { stream } = await exportAuditEvents({ actor: teamAuditor, query: { action: ACTION, format: "jsonl" } });
      expect(await new Response(stream).text()).toBe("");
    }, 60_000);
  });
});
