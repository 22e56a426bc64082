import "server-only";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { db, type Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { GENESIS_HASH, verifyChain, type ChainCheck, type ChainedEvent } from "./chain";
import { verifyRange, type RangeJob, type RangeResult } from "./verify-range.mjs";

const PAGE = 10_000;

type Row = Awaited<ReturnType<typeof db.auditEvent.findMany>>[number];

/** A stored event as the chain hashes it: exactly the hashed fields, named one by one, so a column added to the table later cannot change old hashes. */
export function toChainedEvent(r: Row): ChainedEvent {
  return {
    id: r.id.toString(),
    occurredAt: r.occurredAt.toISOString(),
    actorType: r.actorType,
    actorId: r.actorId,
    actorLabel: r.actorLabel,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    teamId: r.teamId,
    before: r.before ?? null,
    after: r.after ?? null,
    reason: r.reason,
    prevHash: r.prevHash,
    hash: r.hash,
  };
}

/**
 * Recomputes the whole chain. With a transaction, inside it, a page at a time (memory stays flat). Without, in
 * parallel: the ids up to the newest are cut into one range per core (at most 4), each verified in a worker thread
 * on its own connection (lib/audit/verify-range.mjs), then the ranges are linked: the first starts from the genesis
 * hash, each next one's first event names the previous one's last hash, and none ends early. A million events take
 * a few seconds on two cores (bench/README.md, figure 5). Events appended meanwhile are left for the next run.
 */
export async function verifyAuditChain(client?: Tx, opts: { parts?: number } = {}): Promise<Omit<ChainCheck, "lastHash">> {
  const { ok, checked, firstBrokenId } = client ? await verifyInTransaction(client) : await verifyAuditChainWithHead(opts);
  return { ok, checked, firstBrokenId };
}

export type VerifiedChain = Omit<ChainCheck, "lastHash"> & { head: { id: bigint; hash: string } | null };

// One verification at a time per process: each takes a connection and a thread per core, and concurrent callers
// (several auditors pressing Verify) get the same answer anyway.
let inFlight: Promise<VerifiedChain> | null = null;

/** verifyAuditChain, with the newest event it verified: what a later verification must still find (verifications.ts). */
export function verifyAuditChainWithHead(opts: { parts?: number } = {}): Promise<VerifiedChain> {
  if (opts.parts !== undefined) return verifyInRanges(opts.parts);
  inFlight ??= verifyInRanges().finally(() => {
    inFlight = null;
  });
  return inFlight;
}

async function verifyInRanges(partsAsked?: number): Promise<VerifiedChain> {
  const head = await db.auditEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
  if (!head) return { ok: true, checked: 0, firstBrokenId: null, head: null };
  if (head.id < 1n) {
    // Only ids below 1, which no writer gives: the first of them is the first broken event.
    const r = await verifyRange({ connectionString: env().DATABASE_URL, from: "1", to: head.id.toString(), first: true });
    return { ok: false, checked: 0, firstBrokenId: r.firstBrokenId, head: null };
  }
  const total = head.id;
  // Below 50,000 events a second range is not worth a thread; `parts` is for tests of the linking (at most 8 threads).
  const parts = BigInt(Math.max(1, Math.min(Number(total), 8, partsAsked ?? Math.min(4, availableParallelism(), Number(total / 50_000n)))));
  const ranges = Array.from({ length: Number(parts) }, (_, i) => ({ from: (BigInt(i) * total) / parts + 1n, to: (BigInt(i + 1) * total) / parts })).filter((r) => r.from <= r.to);
  const jobs = ranges.map((r, i) => ({ connectionString: env().DATABASE_URL, from: r.from.toString(), to: r.to.toString(), first: i === 0 }));
  const results = jobs.length === 1 ? [await verifyRange(jobs[0])] : await inWorkers(jobs);
  let checked = 0;
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < results.length; i++) {
    const r = results[i];
    const { from, to } = ranges[i];
    // The range must follow on from the one before: its first event links to that one's last.
    if (r.checked > 0 && r.firstPrevHash !== prevHash) return { ok: false, checked, firstBrokenId: from.toString(), head: null };
    if (!r.ok) return { ok: false, checked: checked + r.checked, firstBrokenId: r.firstBrokenId, head: null };
    // Every id up to `to` must be there (ids are contiguous; the append-only table never loses one legitimately).
    // As in one pass, the first broken event is the one after the gap: the next range's first.
    if (r.lastId !== to.toString()) return { ok: false, checked: checked + r.checked, firstBrokenId: (i + 1 < results.length ? to + 1n : r.lastId === null ? from : BigInt(r.lastId) + 1n).toString(), head: null };
    checked += r.checked;
    prevHash = r.lastHash!;
  }
  return { ok: true, checked, firstBrokenId: null, head: { id: total, hash: prevHash } };
}

const WORKER = path.join(process.cwd(), "lib", "audit", "verify-range.mjs");

/**
 * verifyRange for each job in a worker thread of its own; in this thread when the worker file is not there (it
 * ships with the checkout, and the server runs from it). The first failure stops the other workers.
 */
async function inWorkers(jobs: RangeJob[]): Promise<RangeResult[]> {
  if (!existsSync(WORKER)) return Promise.all(jobs.map(verifyRange));
  const workers: Worker[] = [];
  try {
    return await Promise.all(
      jobs.map(
        (data) =>
          new Promise<RangeResult>((resolve, reject) => {
            const worker = new Worker(WORKER, { workerData: { ...data, gatehouseVerifyRange: true } });
            workers.push(worker);
            worker.once("message", (m: { result?: RangeResult; error?: string }) => (m.result ? resolve(m.result) : reject(new Error(`audit verification failed: ${m.error}`))));
            worker.once("error", reject);
            worker.once("exit", (code) => reject(new Error(`audit verification worker exited (${code}) without an answer`)));
          }),
      ),
    );
  } finally {
    for (const w of workers) void w.terminate();
  }
}

/** Inside the caller's transaction, a page at a time from the very first event (whatever its id), as stored. */
async function verifyInTransaction(client: Tx): Promise<Omit<ChainCheck, "lastHash">> {
  let state = { prevHash: GENESIS_HASH, prevId: null as bigint | null, checked: 0 };
  for (;;) {
    const rows = await client.auditEvent.findMany({ where: state.prevId === null ? {} : { id: { gt: state.prevId } }, orderBy: { id: "asc" }, take: PAGE });
    const result = verifyChain(rows.map(toChainedEvent), state);
    if (!result.ok) return { ok: false, checked: result.checked, firstBrokenId: result.firstBrokenId };
    if (rows.length < PAGE) return { ok: true, checked: result.checked, firstBrokenId: null };
    state = { prevHash: result.lastHash, prevId: result.prevId, checked: result.checked };
  }
}
