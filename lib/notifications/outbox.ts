import "server-only";
import type { Transporter } from "nodemailer";
import { db } from "@/lib/db";
import { databaseConfigured, env } from "@/lib/env";
import { Prisma } from "@/lib/generated/prisma/client";
import { claimDue, eachLimited } from "./claim";
import type { EmailPayload, SlackPayload } from "./messages";
import { SLACK_DESTINATION } from "./plan";
import { afterFailure, shortError } from "./retry";
import { DeliveryError, postSlack, sendEmail, smtpTransport, type SmtpSettings } from "./transports";
import { listenForOutbox } from "./wakeup";
import { kickJob, registerJob, startWorker } from "./worker";

/**
 * Delivers outbox rows after the transactions that wrote them committed. A pass claims due rows by leasing them
 * (pushing next_attempt_at past the pass) in one statement with FOR UPDATE SKIP LOCKED, so concurrent passes, in
 * this process or on other instances, never take the same row; it then sends outside any transaction and records
 * the outcome. A process that dies mid-pass leaves its rows to be retried when the lease ends: at least once.
 */
export type DeliveryCounts = { claimed: number; delivered: number; retried: number; failed: number };

export type DeliverOptions = {
  /** The pass's clock (tests move it forward to reach a retry). */
  now?: Date;
  limit?: number;
  /** Instead of SMTP_URL / SMTP_FROM. */
  smtp?: Partial<SmtpSettings>;
  /** Instead of SLACK_WEBHOOK_URL. */
  slackWebhookUrl?: string;
};

// Longer than the slowest pass can take (parallel sends, each bounded by its transport's timeouts).
const LEASE_MS = 3 * 60_000;
const PARALLEL_SENDS = 4;
const DEFAULT_LIMIT = 50;
const JOB_NAME = "outbox";
const PASS_EVERY_MS = 5_000;

type Claimed = { id: string; channel: string; destination: string; payload: unknown; attempts: number };

function claim(now: Date, limit: number): Promise<Claimed[]> {
  return claimDue<Claimed>({ table: "outbox_messages", due: Prisma.sql`delivered_at IS NULL AND failed_at IS NULL`, returning: `id, channel, destination, payload, attempts`, now, limit, leaseMs: LEASE_MS });
}

const asJson = <T>(payload: unknown): T => (typeof payload === "string" ? JSON.parse(payload) : payload) as T;

function smtpSecrets(url: string | undefined): string[] {
  if (!url || !URL.canParse(url)) return url ? [url] : [];
  const u = new URL(url);
  return [url, decodeURIComponent(u.password), u.password, decodeURIComponent(u.username)];
}

/** One delivery pass; throws only when it cannot claim anything (database down, bad configuration). */
async function runPass(opts: DeliverOptions): Promise<DeliveryCounts> {
  const counts: DeliveryCounts = { claimed: 0, delivered: 0, retried: 0, failed: 0 };
  const now = opts.now ?? new Date();
  const config = env();
  const smtp = { url: opts.smtp?.url ?? config.SMTP_URL, from: opts.smtp?.from ?? config.SMTP_FROM };
  const webhook = opts.slackWebhookUrl ?? config.SLACK_WEBHOOK_URL;
  const secrets = [...smtpSecrets(smtp.url), webhook];
  const rows = await claim(now, opts.limit ?? DEFAULT_LIMIT);
  counts.claimed = rows.length;
  let transport: Transporter | null = null;

  const send = async (m: Claimed) => {
    if (m.channel === "email") {
      if (!smtp.url) throw new DeliveryError("Email is not set up (SMTP_URL is not set)");
      transport ??= smtpTransport({ url: smtp.url, from: smtp.from });
      await sendEmail(transport, smtp.from, m.destination, asJson<EmailPayload>(m.payload));
    } else if (m.channel === "slack") {
      if (m.destination !== SLACK_DESTINATION) throw new DeliveryError(`Unknown Slack destination ${m.destination}`);
      if (!webhook) throw new DeliveryError("Slack is not set up (SLACK_WEBHOOK_URL is not set)");
      await postSlack(webhook, asJson<SlackPayload>(m.payload));
    } else {
      throw new DeliveryError(`Unknown channel ${m.channel}`);
    }
  };

  try {
    await eachLimited(rows, PARALLEL_SENDS, async (m) => {
      let error: string | null = null;
      try {
        await send(m);
      } catch (err) {
        error = shortError(err, secrets);
      }
      try {
        if (error === null) {
          await db.outboxMessage.update({ where: { id: m.id }, data: { deliveredAt: new Date(), attempts: m.attempts + 1, lastError: null } });
          counts.delivered += 1;
          return;
        }
        const next = afterFailure(m.attempts, now);
        await db.outboxMessage.update({ where: { id: m.id }, data: { attempts: next.attempts, nextAttemptAt: next.nextAttemptAt, failedAt: next.failedAt, lastError: error } });
        if (next.failedAt) {
          counts.failed += 1;
          console.error(`[gatehouse] gave up on ${m.channel} message ${m.id} after ${next.attempts} attempts: ${error}`);
        } else {
          counts.retried += 1;
        }
      } catch (err) {
        // The message stays leased and is tried again when the lease ends.
        console.error(`[gatehouse] could not record the outcome of ${m.channel} message ${m.id}:`, shortError(err, secrets));
      }
    });
  } finally {
    (transport as Transporter | null)?.close();
  }
  return counts;
}

/** One delivery pass. Never throws: failures are recorded on their rows, and a pass that cannot run is logged. */
export async function deliverDueMessages(opts: DeliverOptions = {}): Promise<DeliveryCounts> {
  try {
    return await runPass(opts);
  } catch (err) {
    console.error("[gatehouse] outbox delivery pass failed:", shortError(err, smtpSecrets(opts.smtp?.url)));
    return { claimed: 0, delivered: 0, retried: 0, failed: 0 };
  }
}

/**
 * Asks this process's worker for a delivery pass soon (debounced). notify() already wakes every instance when its
 * transaction commits; call this after a commit only to be sure, e.g. for rows written another way.
 */
export function kickOutbox(delayMs = 250): void {
  kickJob(JOB_NAME, delayMs);
}

/** Starts delivery in this process: a pass every few seconds, and one moments after every commit that queued mail. */
export function startOutboxWorker(): boolean {
  if (!databaseConfigured()) return false;
  // runPass, not deliverDueMessages: the worker reports a pass that keeps failing once a minute, not every time.
  registerJob(JOB_NAME, PASS_EVERY_MS, async () => {
    const counts = await runPass({});
    // A full batch means more are waiting.
    if (counts.claimed >= DEFAULT_LIMIT) kickOutbox(0);
  });
  const started = startWorker();
  listenForOutbox(() => kickOutbox());
  if (started) console.info(`[gatehouse] background worker started: outbox delivery every ${PASS_EVERY_MS / 1000} s and after each commit that queues a message`);
  return started;
}
