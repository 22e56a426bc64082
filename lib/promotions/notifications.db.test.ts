import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { NotificationEvent } from "@/lib/notifications/events";
import { deliverDueMessages } from "@/lib/notifications/outbox";
import { startSlackReceiver, startSmtpReceiver } from "@/lib/notifications/testing";
import { decidePromotion } from "./decide";
import { runPromotionChores } from "./jobs";
import { requestPromotion } from "./request";
import { rollbackAlias } from "./rollback";
import { COMMENT, STAGING_ONLY_POLICY, goodVersion, makeModel, makeTeam, makeUser } from "./test-fixtures";

// Promotion events reach people: the bell rows and the email and Slack outbox rows each event writes, delivered to a
// real SMTP server and a Slack-style receiver, and the reminders, escalations and expiry of the periodic chores.
//
// notify() writes email outbox rows only when SMTP_URL is set and one Slack row per event only when
// SLACK_WEBHOOK_URL is set, and lib/env.ts reads (and caches) the environment once, on first use. So, as
// lib/notifications/notify.db.test.ts does, beforeAll points both at the local receivers before anything touches the
// database (the database client is the first to call env()), and afterAll puts the environment back. Vitest isolates
// each test file's modules, so the cached env() of other files is not affected.
const hasDb = Boolean(process.env.DATABASE_URL) || Boolean(process.env.CI);
const saved = { SMTP_URL: process.env.SMTP_URL, SLACK_WEBHOOK_URL: process.env.SLACK_WEBHOOK_URL, NEXTAUTH_URL: process.env.NEXTAUTH_URL };
const BASE = "https://gatehouse.test";
const FROM = "Gatehouse <gatehouse@notifications.test>";
const HOUR = 3_600_000;
const justification = "Retrained on October data; offline AUC improved.";
type User = Actor & { kind: "user" };

describe.skipIf(!hasDb)("promotion notifications in PostgreSQL", () => {
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let slack: Awaited<ReturnType<typeof startSlackReceiver>>;
  let team: { id: string; slug: string };
  let engineer: User, lead: User, leadRequester: User, globalLead: User, otherLead: User;
  let compliance: User, teamCompliance: User, otherCompliance: User, admin: User, viewer: User;

  let started: Date;

  beforeAll(async () => {
    started = new Date();
    smtp = await startSmtpReceiver();
    slack = await startSlackReceiver();
    Object.assign(process.env, { SMTP_URL: smtp.url, SLACK_WEBHOOK_URL: slack.url, NEXTAUTH_URL: BASE });
    // If anything had read the configuration before this point, notify() would write no outbox rows: fail here, not later.
    expect(env()).toMatchObject({ SMTP_URL: smtp.url, SLACK_WEBHOOK_URL: slack.url, NEXTAUTH_URL: BASE });

    team = await makeTeam("notify");
    const other = await makeTeam("notify-other");
    engineer = await makeUser("eve-engineer", ["engineer"], team.id);
    lead = await makeUser("lee-lead", ["ml-lead"], team.id);
    leadRequester = await makeUser("rhea-lead", ["ml-lead"], team.id);
    globalLead = await makeUser("glen-global-lead", ["ml-lead"], null);
    otherLead = await makeUser("oli-other-lead", ["ml-lead"], other.id);
    compliance = await makeUser("cora-compliance", ["compliance-officer"], null);
    teamCompliance = await makeUser("tess-team-compliance", ["compliance-officer"], team.id);
    otherCompliance = await makeUser("otto-other-compliance", ["compliance-officer"], other.id);
    admin = await makeUser("ada-admin", ["admin"], null);
    viewer = await makeUser("vic-viewer", ["viewer"], team.id);
  });

  afterAll(async () => {
    // Out of the way of other files' delivery passes: send what this file queued, and retire what could not be sent
    // (other files' users with addresses SMTP refuses), so no row of ours is left due.
    await deliverAll().catch(() => {});
    await db.outboxMessage.updateMany({ where: { createdAt: { gte: started }, deliveredAt: null, failedAt: null }, data: { failedAt: new Date() } });
    await smtp?.close();
    await slack?.close();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await db.$disconnect();
  });

  /** Who got a bell notification for `event` about request `id`, one entry per notification. */
  const recipients = async (id: string, event: NotificationEvent) => (await db.notification.findMany({ where: { requestId: id, event }, select: { userId: true } })).map((n) => n.userId).sort();
  /** Every active user holding `role` on the team or globally, as the independent statement of who should hear. */
  const holders = async (role: string, ...except: string[]) => {
    const grants = await db.roleGrant.findMany({ where: { role, OR: [{ teamId: null }, { teamId: team.id }], user: { active: true } }, select: { userId: true } });
    return [...new Set(grants.map((g) => g.userId))].filter((id) => !except.includes(id)).sort();
  };
  const ids = (...users: User[]) => users.map((u) => u.userId).sort();

  async function model(policy?: string, versions = 1) {
    const name = await makeModel({ team, engineer, policy });
    for (let i = 0; i < versions; i++) await goodVersion(name, engineer);
    return name;
  }
  const ask = (actor: User, name: string, o: { version?: number; emergency?: boolean } = {}) =>
    requestPromotion({ actor, input: { model: name, version: o.version ?? 1, stage: "staging", justification: o.emergency ? "Hotfix for the scoring outage, incident 4711." : justification, emergency: o.emergency } });

  /** Delivery passes until nothing due is left. */
  async function deliverAll() {
    for (let i = 0; i < 20; i++) {
      const counts = await deliverDueMessages({ smtp: { url: smtp.url, from: FROM }, slackWebhookUrl: slack.url });
      if (counts.claimed === 0) return;
    }
    throw new Error("the outbox did not drain in 20 passes");
  }

  it("a request that needs an ML Lead tells every ML Lead of the team and the global ones, not the requester or other teams' leads", async () => {
    const name = await model(STAGING_ONLY_POLICY("[{ role: ml-lead }]"));
    const r = await ask(leadRequester, name);
    expect(r.status).toBe("awaiting-approval");
    const told = await recipients(r.id, "approval.needed");
    expect(told).toEqual(await holders("ml-lead", leadRequester.userId));
    expect(told).toEqual(expect.arrayContaining(ids(lead, globalLead)));
    for (const u of [leadRequester, otherLead, engineer, compliance, admin, viewer]) expect(told, u.name).not.toContain(u.userId);
    const bell = await db.notification.findFirstOrThrow({ where: { requestId: r.id, event: "approval.needed", userId: lead.userId } });
    expect(bell).toMatchObject({ link: `/promotions/${r.id}`, readAt: null, title: `Approval needed: #${r.number} ${name} v1 to staging (@staging)` });
    expect(bell.body).toContain("Needed: 1 ml-lead");
  });

  it("delivers the approval emails to the SMTP server and the Slack post to the webhook, with absolute links to the request", async () => {
    const name = await model(STAGING_ONLY_POLICY("[{ role: ml-lead }]"));
    const r = await ask(engineer, name);
    const link = `${BASE}/promotions/${r.id}`;
    const approvers = await holders("ml-lead", engineer.userId);
    const users = await db.user.findMany({ where: { id: { in: approvers } }, select: { id: true, email: true } });

    // Default preferences: email on for approval.needed. One email row per approver, one Slack row per event.
    const rows = await db.outboxMessage.findMany({ where: { OR: [{ payload: { path: ["text"], string_contains: link } }] } });
    expect(rows.filter((m) => m.channel === "email").map((m) => m.destination).sort()).toEqual(users.map((u) => u.email).sort());
    expect(rows.filter((m) => m.channel === "slack")).toHaveLength(1);
    expect(rows.every((m) => m.deliveredAt === null)).toBe(true);

    await deliverAll();
    // Other test files' global ML Leads are approvers too; the assertions about delivery stick to this file's people.
    const mine = rows.filter((m) => m.channel === "slack" || [lead.label, globalLead.label].includes(m.destination));
    expect(mine).toHaveLength(3);
    for (const m of await db.outboxMessage.findMany({ where: { id: { in: mine.map((m) => m.id) } } })) expect(m).toMatchObject({ deliveredAt: expect.any(Date), attempts: 1, lastError: null });

    const mails = smtp.mails.filter((m) => m.text.includes(link));
    for (const u of [lead, globalLead]) expect(mails.filter((m) => m.to.includes(u.label)), u.name).toHaveLength(1);
    const leeMail = mails.find((m) => m.to.includes(lead.label))!;
    expect(leeMail).toBeDefined();
    expect(leeMail.from).toBe("gatehouse@notifications.test");
    expect(leeMail.subject).toBe(`[Gatehouse] Approval needed: #${r.number} ${name} v1 to staging (@staging)`);
    expect(leeMail.text).toContain(`Open in Gatehouse: ${link}`);
    expect(leeMail.text).toContain(`${BASE}/settings/notifications`);
    expect(mails.some((m) => m.to.includes(engineer.label))).toBe(false);

    const posts = slack.posts.filter((p) => p.body.text.includes(link));
    expect(posts).toHaveLength(1);
    expect(posts[0].contentType).toBe("application/json");
    expect(posts[0].body.text).toBe(`Approval needed: #${r.number} ${name} v1 to staging (@staging) <${link}|Open in Gatehouse>`);
    expect(posts[0].body.blocks[0].text!.text).toContain(`<${link}|Approval needed: #${r.number} ${name} v1 to staging (@staging)>`);

    // Delivered once: another pass sends nothing again.
    await deliverAll();
    expect(smtp.mails.filter((m) => m.text.includes(link))).toHaveLength(mails.length);
    expect(slack.posts.filter((p) => p.body.text.includes(link))).toHaveLength(1);
  });

  it("each approval tells the requester; applying tells the requester and the approvers", async () => {
    const name = await model(STAGING_ONLY_POLICY("[{ role: ml-lead, count: 2 }]"));
    const r = await ask(engineer, name);
    await decidePromotion({ actor: lead, id: r.id, input: { decision: "approve", comment: COMMENT } });
    expect(await recipients(r.id, "decision.made")).toEqual(ids(engineer));
    expect(await recipients(r.id, "promotion.applied")).toEqual([]);
    const title = (await db.notification.findFirstOrThrow({ where: { requestId: r.id, event: "decision.made" } })).title;
    expect(title).toBe(`lee-lead approved #${r.number} ${name} v1 to staging (@staging)`);

    const done = await decidePromotion({ actor: globalLead, id: r.id, input: { decision: "approve", comment: COMMENT } });
    expect(done.status).toBe("applied");
    expect(await recipients(r.id, "decision.made")).toEqual(ids(engineer, engineer));
    expect(await recipients(r.id, "promotion.applied")).toEqual(ids(engineer, lead, globalLead));
    expect(await recipients(r.id, "review.required")).toEqual([]);
    const applied = await db.notification.findFirstOrThrow({ where: { requestId: r.id, event: "promotion.applied" } });
    expect(applied).toMatchObject({ title: `Applied: #${r.number} ${name} v1 to staging (@staging)`, body: `${name}@staging moved from nothing to v1.` });
  });

  it("a request for changes tells the requester, and no one else", async () => {
    const name = await model(STAGING_ONLY_POLICY("[{ role: ml-lead }]"));
    const r = await ask(engineer, name);
    const comment = "Attach the latency report before staging, please.";
    await decidePromotion({ actor: lead, id: r.id, input: { decision: "request-changes", comment } });
    expect(await recipients(r.id, "changes.requested")).toEqual(ids(engineer));
    expect(await recipients(r.id, "decision.made")).toEqual([]);
    expect(await db.notification.findFirstOrThrow({ where: { requestId: r.id, event: "changes.requested" } })).toMatchObject({
      title: `lee-lead asked for changes to #${r.number} ${name} v1 to staging (@staging)`,
      body: comment,
    });
  });

  it("an emergency application asks the compliance officers of the team (and global ones) for a review", async () => {
    const name = await model(STAGING_ONLY_POLICY("[{ role: ml-lead }]"));
    const r = await ask(engineer, name, { emergency: true });
    await decidePromotion({ actor: lead, id: r.id, input: { decision: "approve", comment: COMMENT } });
    expect(await recipients(r.id, "review.required")).toEqual([]);
    const done = await decidePromotion({ actor: admin, id: r.id, input: { decision: "approve", comment: "Approved as incident commander for 4711." } });
    expect(done).toMatchObject({ status: "applied", reviewDue: true });
    const reviewers = await recipients(r.id, "review.required");
    expect(reviewers).toEqual(await holders("compliance-officer"));
    expect(reviewers).toEqual(expect.arrayContaining(ids(compliance, teamCompliance)));
    expect(reviewers).not.toContain(otherCompliance.userId);
    expect(await recipients(r.id, "promotion.applied")).toEqual(ids(engineer, lead, admin));
    expect((await db.notification.findFirstOrThrow({ where: { requestId: r.id, event: "review.required" } })).title).toBe(`Review required: emergency promotion #${r.number} ${name} v1 to staging (@staging)`);
  });

  it("a rollback tells the team's ML Leads and the people of the rolled-back request", async () => {
    // No approvals asked for: both requests apply at once.
    const name = await model(undefined, 2);
    await ask(engineer, name, { version: 1 });
    const second = await ask(engineer, name, { version: 2 });
    expect(second.status).toBe("applied");
    await rollbackAlias({ actor: lead, model: name, alias: "staging", input: { comment: "Error rate doubled after the switch." } });
    const told = await recipients(second.id, "alias.rolled_back");
    expect(told).toEqual([...new Set([...(await holders("ml-lead")), engineer.userId])].sort());
    expect(told).not.toContain(otherLead.userId);
    const bell = await db.notification.findFirstOrThrow({ where: { requestId: second.id, event: "alias.rolled_back" } });
    expect(bell).toMatchObject({ title: `Rolled back: ${name}@staging from v2 to v1`, body: `${lead.label}: Error rate doubled after the switch.`, link: `/promotions/${second.id}` });
  });

  it("reminds the pending approvers once after remindAfter, escalates to admins after escalateAfter", async () => {
    const name = await model(STAGING_ONLY_POLICY("[{ role: ml-lead }]", "      remindAfter: 1h\n      escalateAfter: 4h\n"));
    const r = await ask(engineer, name);
    const t0 = new Date(r.createdAt).getTime();
    const approvers = await holders("ml-lead", engineer.userId);
    const admins = await holders("admin", engineer.userId);
    expect(approvers).toEqual(expect.arrayContaining(ids(lead, globalLead)));
    expect(admins).toContain(admin.userId);

    // Not yet due.
    await runPromotionChores(new Date(t0 + 0.5 * HOUR));
    expect(await recipients(r.id, "approval.reminder")).toEqual([]);

    await runPromotionChores(new Date(t0 + 2 * HOUR));
    expect(await recipients(r.id, "approval.reminder")).toEqual(approvers);
    expect(await recipients(r.id, "approval.escalated")).toEqual([]);
    const reminder = await db.notification.findFirstOrThrow({ where: { requestId: r.id, event: "approval.reminder" } });
    expect(reminder.title).toBe(`Still waiting: #${r.number} ${name} v1 to staging (@staging)`);

    // Running again, at once or later before the escalation, does not remind a second time.
    await runPromotionChores(new Date(t0 + 2 * HOUR));
    await runPromotionChores(new Date(t0 + 3 * HOUR));
    expect(await recipients(r.id, "approval.reminder")).toEqual(approvers);

    await runPromotionChores(new Date(t0 + 5 * HOUR));
    expect(await recipients(r.id, "approval.escalated")).toEqual(admins);
    expect(await recipients(r.id, "approval.escalated")).not.toContain(lead.userId);
    await runPromotionChores(new Date(t0 + 6 * HOUR));
    expect(await recipients(r.id, "approval.escalated")).toEqual(admins);
    expect(await recipients(r.id, "approval.reminder")).toEqual(approvers);

    const actions = (await db.auditEvent.findMany({ where: { targetId: r.id }, orderBy: { id: "asc" } })).map((e) => e.action);
    expect(actions.filter((a) => a === "promotion.remind")).toHaveLength(1);
    expect(actions.filter((a) => a === "promotion.escalate")).toHaveLength(1);
    expect((await db.promotionRequest.findUniqueOrThrow({ where: { id: r.id } })).status).toBe("awaiting-approval");

    // The reminder and escalation go out by email too (both on by default).
    const link = `${BASE}/promotions/${r.id}`;
    await deliverAll();
    const mailed = (u: User, subject: string) => smtp.mails.filter((m) => m.text.includes(link) && m.to.includes(u.label) && m.subject.startsWith(subject));
    for (const u of [lead, globalLead]) expect(mailed(u, "[Gatehouse] Still waiting:"), u.name).toHaveLength(1);
    expect(mailed(admin, "[Gatehouse] Escalated:")).toHaveLength(1);
    expect(mailed(admin, "[Gatehouse] Still waiting:")).toHaveLength(0);
  });

  it("a reminder goes to the approvers still needed, not to one whose approval already counts", async () => {
    const name = await model(STAGING_ONLY_POLICY("[{ role: ml-lead, count: 2 }]", "      remindAfter: 1h\n"));
    const r = await ask(engineer, name);
    const approved = await decidePromotion({ actor: lead, id: r.id, input: { decision: "approve", comment: COMMENT } });
    expect(approved.missing).toEqual([{ role: "ml-lead", count: 1 }]);
    // The clock restarts at the last decision.
    const decidedAt = new Date(approved.decisions[0].at).getTime();
    await runPromotionChores(new Date(decidedAt + 0.5 * HOUR));
    expect(await recipients(r.id, "approval.reminder")).toEqual([]);
    await runPromotionChores(new Date(decidedAt + 2 * HOUR));
    const reminded = await recipients(r.id, "approval.reminder");
    expect(reminded).toEqual(await holders("ml-lead", engineer.userId, lead.userId));
    expect(reminded).toContain(globalLead.userId);
    expect(reminded).not.toContain(lead.userId);
  });

  it("a request older than its 30-day lifetime expires, with an audit event, and its requester hears of it", async () => {
    const name = await model(STAGING_ONLY_POLICY("[{ role: ml-lead }]"));
    const r = await ask(engineer, name);
    const t0 = new Date(r.createdAt).getTime();
    await runPromotionChores(new Date(t0 + 29 * 24 * HOUR));
    expect((await db.promotionRequest.findUniqueOrThrow({ where: { id: r.id } })).status).toBe("awaiting-approval");

    await runPromotionChores(new Date(t0 + 31 * 24 * HOUR));
    const row = await db.promotionRequest.findUniqueOrThrow({ where: { id: r.id } });
    expect(row).toMatchObject({ status: "expired", statusReason: "Expired: not decided within 30 days of being requested.", closedAt: expect.any(Date) });
    const expired = await db.auditEvent.findMany({ where: { targetId: r.id, action: "promotion.expired" } });
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({ actorLabel: "Gatehouse" });
    const bell = await db.notification.findFirstOrThrow({ where: { requestId: r.id, event: "decision.made" } });
    expect(bell).toMatchObject({ userId: engineer.userId, title: `Expired: #${r.number} ${name} v1 to staging (@staging)` });

    // Expired is final: another pass changes nothing.
    await runPromotionChores(new Date(t0 + 32 * 24 * HOUR));
    expect(await db.auditEvent.count({ where: { targetId: r.id, action: "promotion.expired" } })).toBe(1);
  });
});
