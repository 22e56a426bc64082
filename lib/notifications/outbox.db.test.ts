import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, transaction } from "@/lib/db";
import { notify } from "./notify";
import { deliverDueMessages } from "./outbox";
import { MAX_ATTEMPTS } from "./retry";
import { startSlackReceiver, startSmtpReceiver } from "./testing";

// Outbox delivery against the real PostgreSQL of `npm test`, a real SMTP server and a Slack-style receiver:
// retries with backoff, giving up, leases, and no double delivery when passes run at once.
const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);
const suffix = Date.now().toString(36);
const saved = { SMTP_URL: process.env.SMTP_URL, SLACK_WEBHOOK_URL: process.env.SLACK_WEBHOOK_URL };
const later = (from: Date, ms: number) => new Date(from.getTime() + ms);

describe.skipIf(!hasDb)("outbox delivery", () => {
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let slack: Awaited<ReturnType<typeof startSlackReceiver>>;
  let userId = "";

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    slack = await startSlackReceiver();
    Object.assign(process.env, { SMTP_URL: smtp.url, SLACK_WEBHOOK_URL: slack.url });
    userId = (await db.user.create({ data: { email: `outbox-${suffix}@example.com`, name: "Outbox test" } })).id;
  });

  afterAll(async () => {
    await smtp?.close();
    await slack?.close();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await db.$disconnect();
  });

  /** Queues one message per channel wanted: Slack always, email when `to` names the test user. */
  async function queue(marker: string, to: string[] = []) {
    await transaction((tx) => notify(tx, { event: "approval.needed", userIds: to, title: `${marker} ${suffix}`, body: "Waiting for you.", link: `/promotions/${marker}` }));
    return db.outboxMessage.findMany({ where: { payload: { path: ["text"], string_contains: `${marker} ${suffix}` } } });
  }
  const row = (id: string) => db.outboxMessage.findUniqueOrThrow({ where: { id } });
  const postsFor = (marker: string) => slack.posts.filter((p) => p.body.text.includes(`${marker} ${suffix}`));
  const mailsFor = (marker: string) => smtp.mails.filter((m) => m.subject.includes(`${marker} ${suffix}`));

  it("a Slack receiver answering 500 is retried after 30 s, not before, and then delivered once", async () => {
    const [message] = await queue("slack-500");
    slack.failNext(1);
    const now = new Date();
    await deliverDueMessages({ now });
    expect(await row(message.id)).toMatchObject({ attempts: 1, deliveredAt: null, failedAt: null, lastError: "Slack answered HTTP 500: internal_error", nextAttemptAt: later(now, 30_000) });
    expect(postsFor("slack-500")).toHaveLength(0);

    await deliverDueMessages({ now: later(now, 10_000) });
    expect((await row(message.id)).attempts).toBe(1);

    await deliverDueMessages({ now: later(now, 31_000) });
    expect(await row(message.id)).toMatchObject({ attempts: 2, lastError: null, deliveredAt: expect.any(Date) });
    expect(postsFor("slack-500")).toHaveLength(1);
    await deliverDueMessages({ now: later(now, 120_000) });
    expect(postsFor("slack-500")).toHaveLength(1);
  });

  it("an SMTP refusal is retried with backoff; the other channel is not held up", async () => {
    const messages = await queue("smtp-451", [userId]);
    const email = messages.find((m) => m.channel === "email")!;
    const post = messages.find((m) => m.channel === "slack")!;
    smtp.refuseNext(1);
    const now = new Date();
    await deliverDueMessages({ now });
    const failed = await row(email.id);
    expect(failed).toMatchObject({ attempts: 1, deliveredAt: null, nextAttemptAt: later(now, 30_000) });
    expect(failed.lastError).toContain("451");
    expect((await row(post.id)).deliveredAt).not.toBeNull();

    await deliverDueMessages({ now: later(now, 31_000) });
    expect((await row(email.id)).deliveredAt).not.toBeNull();
    const mails = mailsFor("smtp-451");
    expect(mails).toHaveLength(1);
    expect(mails[0].to).toEqual([`outbox-${suffix}@example.com`]);
    expect(mails[0].text).toContain("/promotions/smtp-451");
  });

  it("gives up after the last attempt and never tries again", async () => {
    const [message] = await queue("give-up");
    await db.outboxMessage.update({ where: { id: message.id }, data: { attempts: MAX_ATTEMPTS - 1 } });
    slack.failNext(1);
    const now = new Date();
    await deliverDueMessages({ now });
    expect(await row(message.id)).toMatchObject({ attempts: MAX_ATTEMPTS, failedAt: now, deliveredAt: null });
    await deliverDueMessages({ now: later(now, 24 * 3_600_000) });
    expect(postsFor("give-up")).toHaveLength(0);
  });

  it("a message claimed by a pass that died is sent once its lease ends", async () => {
    const [message] = await queue("lease");
    const now = new Date();
    // As a pass leaves it after claiming, had its process died before sending.
    await db.outboxMessage.update({ where: { id: message.id }, data: { nextAttemptAt: later(now, 3 * 60_000) } });
    await deliverDueMessages({ now });
    expect(postsFor("lease")).toHaveLength(0);
    await deliverDueMessages({ now: later(now, 3 * 60_000 + 1_000) });
    expect(postsFor("lease")).toHaveLength(1);
  });

  it("passes running at once never deliver a message twice", async () => {
    const markers = Array.from({ length: 12 }, (_, i) => `many-${i}`);
    for (const m of markers) await queue(m, [userId]);
    slack.slowDown(20);
    const now = new Date();
    const passes = await Promise.all(Array.from({ length: 4 }, () => deliverDueMessages({ now, limit: 5 })));
    // Whatever the four passes left (each takes at most 5) goes in the next ones.
    while ((await deliverDueMessages({ now })).claimed > 0);
    slack.slowDown(0);
    expect(passes.reduce((n, p) => n + p.claimed, 0)).toBeGreaterThan(5);
    for (const m of markers) {
      expect(postsFor(m), m).toHaveLength(1);
      expect(mailsFor(m), m).toHaveLength(1);
    }
    const rows = await db.outboxMessage.findMany({ where: { OR: markers.map((m) => ({ payload: { path: ["text"], string_contains: `${m} ${suffix}` } })) } });
    expect(rows).toHaveLength(24);
    for (const r of rows) expect(r).toMatchObject({ attempts: 1, deliveredAt: expect.any(Date) });
  });
});
