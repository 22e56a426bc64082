import "server-only";
import { afterCommit, type Tx } from "@/lib/db";

/**
 * Asks for a release to settle once the caller's transaction commits (a member changed status). Settling takes every
 * member model's lock in one order, in a transaction of its own, so it never waits on a lock while holding another
 * model's, and two members changing at once cannot deadlock. The periodic pass settles open releases too.
 */
export function requestReleaseSync(tx: Tx, releaseId: string): void {
  afterCommit(tx, `release:${releaseId}`, async () => {
    const { syncRelease } = await import("./sync");
    await syncRelease(releaseId);
  });
}
