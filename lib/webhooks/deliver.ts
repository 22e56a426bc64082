import "server-only";
import { db } from "@/lib/db";
import { databaseConfigured, env } from "@/lib/env";
import { Prisma } from "@/lib/generated/prisma/client";
import { claimDue, eachLimited } from "@/lib/notifications/claim";
import { shortError } from "@/lib/notifications/retry";
import { listenForOutbox } from "@/lib/notifications/wakeup";
import { kickJob, registerJob } from "@/lib/notifications/worker";
import { afterAttempt, describeResult, type AttemptResult } from "./retry";
import { decryptWebhookSecret } from "./secret-store";
import { webhookHeaders } from "./signature";
import { postWebhook } from "./transport";

/**
 * Sends queued webhook deliveries after the transactions that wrote them committed, as the notification outbox
 * does for email: a pass leases due rows (pushing next_attempt_at past the pass) in one statement with FOR
 * UPDATE SKIP LOCKED, so passes in this process or on other instances never take the same row, then sends
 * outside any transaction, each send bounded by its timeout, and records the outcome. A process that dies
 * mid-pass leaves its rows to be retried when the lease ends: at least once, with the same delivery id, which
 * is what lets receivers drop duplicates.
 */
export type WebhookPassCounts = { claimed: number; delivered: number; retried: number; failed: number };

export type WebhookPassOptions = {
  /** The pass's clock (tests move it forward to reach a retry). */
  now?: Date;
  limit?: number;
  /** Per send; default WEBHOOK_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Instead of GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE. */
  allowPrivate?: boolean;
  /** For the jitter; tests pin it. */
  random?: () => number;
};

// Longer than the slowest pass can take: limit / parallel sends, each at most the 10 s timeout.
const LEASE_MS = 3 * 60_000;
const PARALLEL_SENDS = 4;
const DEFAULT_LIMIT = 20;
const JOB_NAME = "webhooks";
const PASS_EVERY_MS = 5_000;

type Claimed = { id: string; endpointId: string; event: string; body: string; attempts: number };

function claim(now: Date, limit: number): Promise<Claimed[]> {
  return claimDue<Claimed>({ table: "webhook_deliveries", due: Prisma.sql`status = 'pending'`, returning: `id, endpoint_id AS "endpointId", event, body, attempts`, now, limit, leaseMs: LEASE_MS });
}

async function runPass(opts: WebhookPassOptions): Promise<WebhookPassCounts> {
  const counts: WebhookPassCounts = { claimed: 0, delivered: 0, retried: 0, failed: 0 };
  const now = opts.now ?? new Date();
  const allowPrivate = opts.allowPrivate ?? env().GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE;
  const rows = await claim(now, opts.limit ?? DEFAULT_LIMIT);
  counts.claimed = rows.length;
  if (!rows.length) return counts;
  const endpoints = new Map(
    (await db.webhookEndpoint.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.endpointId))] } }, select: { id: true, url: true, enabled: true, secretEncrypted: true } })).map((e) => [e.id, e]),
  );

  await eachLimited(rows, PARALLEL_SENDS, async (m) => {
    const endpoint = endpoints.get(m.endpointId);
    // Deleted since: its deliveries went with it.
    if (!endpoint) return;
    const secret = endpoint.enabled ? decryptWebhookSecret(endpoint.secretEncrypted) : null;
    let result: AttemptResult;
    let sentAt: Date | null = null;
    let durationMs: number | null = null;
    if (!endpoint.enabled) {
      result = { kind: "refused", message: "The webhook was disabled before this delivery was sent; enable it, then redeliver." };
    } else if (secret === null) {
      result = { kind: "refused", message: "The webhook's secret cannot be decrypted (GATEHOUSE_WEBHOOK_KEY or NEXTAUTH_SECRET changed?); rotate it, then redeliver." };
    } else {
      sentAt = new Date();
      // The timestamp is the real time of sending, whatever the pass's clock: receivers compare it with theirs.
      const headers = webhookHeaders({ secret, deliveryId: m.id, event: m.event, body: m.body, now: sentAt });
      result = await postWebhook({ url: endpoint.url, headers, body: m.body, timeoutMs: opts.timeoutMs, allowPrivate });
      durationMs = Date.now() - sentAt.getTime();
    }
    const outcome = afterAttempt({ previousAttempts: m.attempts, result, now, random: opts.random });
    const error = describeResult(result);
    try {
      // Only while still pending: a delivery deleted or changed meanwhile keeps what happened to it.
      await db.webhookDelivery.updateMany({
        where: { id: m.id, status: "pending" },
        data: {
          status: outcome.status,
          // Nothing left Gatehouse when it refused to send: that is not an attempt.
          attempts: sentAt ? outcome.attempts : m.attempts,
          nextAttemptAt: outcome.nextAttemptAt ?? now,
          ...(sentAt ? { lastAttemptAt: sentAt } : {}),
          responseStatus: result.kind === "response" ? result.status : null,
          durationMs,
          lastError: error === null ? null : shortError(error),
          deliveredAt: outcome.status === "delivered" ? new Date() : null,
          failedAt: outcome.status === "failed" ? now : null,
        },
      });
      counts[outcome.status === "pending" ? "retried" : outcome.status] += 1;
      if (outcome.status === "failed") console.error(`[gatehouse] webhook delivery ${m.id} (${m.event}) failed after ${outcome.attempts} attempts: ${error}`);
    } catch (err) {
      // The delivery stays leased and is tried again when the lease ends.
      console.error(`[gatehouse] could not record the outcome of webhook delivery ${m.id}:`, shortError(err));
    }
  });
  return counts;
}

/** One delivery pass. Never throws: outcomes are recorded on their rows, and a pass that cannot run is logged. */
export async function deliverDueWebhooks(opts: WebhookPassOptions = {}): Promise<WebhookPassCounts> {
  try {
    return await runPass(opts);
  } catch (err) {
    console.error("[gatehouse] webhook delivery pass failed:", shortError(err));
    return { claimed: 0, delivered: 0, retried: 0, failed: 0 };
  }
}

/** Asks this process's worker for a webhook pass soon (debounced). Commits that queue deliveries already wake every instance. */
export function kickWebhooks(delayMs = 250): void {
  kickJob(JOB_NAME, delayMs);
}

/** Registers the webhook pass with the background worker (started by startOutboxWorker in instrumentation.ts). */
export function startWebhookWorker(): boolean {
  if (!databaseConfigured()) return false;
  // runPass, not deliverDueWebhooks: the worker reports a pass that keeps failing once a minute, not every time.
  registerJob(JOB_NAME, PASS_EVERY_MS, async (now) => {
    const counts = await runPass({ now });
    if (counts.claimed >= DEFAULT_LIMIT) kickWebhooks(0);
  });
  listenForOutbox(() => kickWebhooks());
  return true;
}
