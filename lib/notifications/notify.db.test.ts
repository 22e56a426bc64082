import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, transaction } from "@/lib/db";
import { notify } from "./notify";
import { deliverDueMessages } from "./outbox";
import { startSlackReceiver, startSmtpReceiver } from "./testing";

// notify() against the real PostgreSQL of `npm test`, with a real SMTP server and a Slack-style webhook receiver.
const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);
const suffix = Date.now().toString(36);
const saved = { SMTP_URL: process.env.SMTP_URL, SLACK_WEBHOOK_URL: process.env.SLACK_WEBHOOK_URL, NEXTAUTH_URL: process.env.NEXTAUTH_URL };

describe.skipIf(!hasDb)("notify() in PostgreSQL", () => {
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let slack: Awaited<ReturnType<typeof startSlackReceiver>>;
  const users: Record<"ada" | "bob" | "cyd", string> = { ada: "", bob: "", cyd: "" };

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    slack = await startSlackReceiver();
    // Before anything reads the configuration (lib/env.ts reads it once).
    Object.assign(process.env, { SMTP_URL: smtp.url, SLACK_WEBHOOK_URL: slack.url, NEXTAUTH_URL: "https://gatehouse.test" });
    for (const name of ["ada", "bob", "cyd"] as const) {
      const user = await db.user.create({
        data: {
          email: `${name}-${suffix}@example.com`,
          name,
          active: name !== "cyd",
          // Bob wants no email for approvals; his bell stays on regardless.
          notificationPrefs: name === "bob" ? { "approval.needed": { email: false, inApp: false } } : {},
        },
      });
      users[name] = user.id;
    }
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

  const mine = (link: string) => ({ link });

  it("writes a bell notification per distinct active user, email as each prefers, one Slack post, and sends nothing until delivered", async () => {
    const link = `/promotions/n1-${suffix}`;
    const result = await transaction(async (tx) => {
      const r = await notify(tx, {
        event: "approval.needed",
        userIds: [users.ada, users.ada, users.bob, users.cyd, "no-such-user"],
        title: `fraud-detector v7 to production (${suffix})`,
        body: "Lee Lead asks for your approval as ML Lead.",
        link,
        requestId: `req-${suffix}`,
      });
      // Inside the transaction: the rows exist for it, and nothing has been sent.
      expect(await tx.outboxMessage.count({ where: { payload: { path: ["subject"], string_contains: suffix } } })).toBe(1);
      return r;
    });
    expect(result).toEqual({ notifications: 2, emails: 1, slack: 1 });
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.mails.filter((m) => m.subject.includes(suffix))).toHaveLength(0);
    expect(slack.posts.filter((p) => p.body.text.includes(suffix))).toHaveLength(0);

    const bells = await db.notification.findMany({ where: mine(link), orderBy: { userId: "asc" } });
    expect(bells.map((b) => b.userId).sort()).toEqual([users.ada, users.bob].sort());
    expect(bells[0]).toMatchObject({ event: "approval.needed", link, requestId: `req-${suffix}`, readAt: null });

    const counts = await deliverDueMessages();
    expect(counts.delivered).toBeGreaterThanOrEqual(2);
    const mail = smtp.mails.find((m) => m.subject.includes(suffix));
    expect(mail).toBeDefined();
    expect(mail!.to).toEqual([`ada-${suffix}@example.com`]);
    expect(mail!.subject).toBe(`[Gatehouse] fraud-detector v7 to production (${suffix})`);
    expect(mail!.text).toContain(`https://gatehouse.test/promotions/n1-${suffix}`);
    expect(mail!.text).toContain("https://gatehouse.test/settings/notifications");
    expect(mail!.from).toBe("gatehouse@localhost");

    const post = slack.posts.find((p) => p.body.text.includes(suffix));
    expect(post).toBeDefined();
    expect(post!.contentType).toBe("application/json");
    expect(post!.body.blocks[0].text!.text).toContain(`<https://gatehouse.test/promotions/n1-${suffix}|fraud-detector v7 to production (${suffix})>`);

    const rows = await db.outboxMessage.findMany({ where: { payload: { path: ["text"], string_contains: suffix } } });
    expect(rows.map((r) => r.channel).sort()).toEqual(["email", "slack"]);
    for (const r of rows) expect(r).toMatchObject({ attempts: 1, lastError: null, failedAt: null, deliveredAt: expect.any(Date) });
  });

  it("rolls back with the caller's transaction: no bell, no outbox row", async () => {
    const link = `/promotions/rolled-back-${suffix}`;
    await expect(
      transaction(async (tx) => {
        await notify(tx, { event: "approval.needed", userIds: [users.ada], title: `Rolled back ${suffix}`, body: "", link });
        throw new Error("the change itself failed");
      }),
    ).rejects.toThrow("the change itself failed");
    expect(await db.notification.count({ where: mine(link) })).toBe(0);
    expect(await db.outboxMessage.count({ where: { payload: { path: ["subject"], string_contains: `Rolled back ${suffix}` } } })).toBe(0);
  });

  it("a receiver that is down never fails notify() or the caller's transaction", async () => {
    await smtp.close();
    await slack.close();
    const link = `/promotions/down-${suffix}`;
    const result = await transaction((tx) => notify(tx, { event: "changes.requested", userIds: [users.ada], title: `Down ${suffix}`, body: "Please attach a drift report.", link }));
    expect(result).toEqual({ notifications: 1, emails: 1, slack: 1 });
    expect(await db.notification.count({ where: mine(link) })).toBe(1);
    const counts = await deliverDueMessages();
    expect(counts.delivered).toBe(0);
    expect(counts.retried).toBeGreaterThanOrEqual(2);
    const rows = await db.outboxMessage.findMany({ where: { payload: { path: ["text"], string_contains: `Down ${suffix}` } } });
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.deliveredAt).toBeNull();
      expect(r.attempts).toBe(1);
      expect(r.lastError).toMatch(/ECONNREFUSED|refused/i);
      expect(r.lastError).not.toContain("test-secret");
    }
    // Out of the way of the other tests' passes.
    await db.outboxMessage.updateMany({ where: { id: { in: rows.map((r) => r.id) } }, data: { failedAt: new Date() } });
  });
});
