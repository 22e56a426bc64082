import "server-only";
import { afterCommit, type Tx } from "@/lib/db";

/** Per transaction, the clock each release should settle at: the first one given (tests run on a fake clock). */
const clocks = new WeakMap<Tx, Map<string, Date | undefined>>();

/**
 * Asks for a release to settle once the caller's transaction commits (a member changed status). Settling takes every
 * member model's lock in one order, in a transaction of its own, so it never waits on a lock while holding another
 * model's, and two members changing at once cannot deadlock. The periodic pass settles open releases too.
 */
export function requestReleaseSync(tx: Tx, releaseId: string, now?: Date): void {
  let byRelease = clocks.get(tx);
  if (!byRelease) clocks.set(tx, (byRelease = new Map()));
  if (!byRelease.get(releaseId)) byRelease.set(releaseId, now);
  const at = byRelease.get(releaseId);
  afterCommit(tx, `release:${releaseId}`, async () => {
    const { syncRelease } = await import("./sync");
    await syncRelease(releaseId, { now: at });
  });
}
