import { describe, expect, it } from "vitest";
import { emailPayload, slackPayload } from "./messages";
import { SLACK_DESTINATION, planNotifications, type Recipient } from "./plan";

const absolute = (p: string) => new URL(p, "https://gatehouse.example.com").toString();
const user = (id: string, prefs: unknown = {}, extra: Partial<Recipient> = {}): Recipient => ({ id, email: `${id}@example.com`, active: true, notificationPrefs: prefs, ...extra });
const content = { event: "approval.needed" as const, title: "fraud-detector v7 to production", body: "Lee asks for your approval.", link: "/promotions/abc" };

describe("planNotifications", () => {
  const cases: { name: string; recipients: Recipient[]; email: boolean; slack: boolean; event?: "approval.needed" | "decision.made"; bell: string[]; emails: string[]; slackPosts: number }[] = [
    { name: "email and slack set up", recipients: [user("a"), user("b")], email: true, slack: true, bell: ["a", "b"], emails: ["a@example.com", "b@example.com"], slackPosts: 1 },
    { name: "no SMTP: no email rows", recipients: [user("a")], email: false, slack: false, bell: ["a"], emails: [], slackPosts: 0 },
    { name: "Slack only", recipients: [user("a")], email: false, slack: true, bell: ["a"], emails: [], slackPosts: 1 },
    { name: "duplicate ids notify once", recipients: [user("a"), user("a")], email: true, slack: false, bell: ["a"], emails: ["a@example.com"], slackPosts: 0 },
    { name: "inactive users get nothing", recipients: [user("a", {}, { active: false }), user("b")], email: true, slack: false, bell: ["b"], emails: ["b@example.com"], slackPosts: 0 },
    { name: "a user without an address gets no email", recipients: [user("a", {}, { email: null }), user("b", {}, { email: " " })], email: true, slack: false, bell: ["a", "b"], emails: [], slackPosts: 0 },
    { name: "email switched off", recipients: [user("a", { "approval.needed": { email: false } })], email: true, slack: false, bell: ["a"], emails: [], slackPosts: 0 },
    { name: "default off for decisions", recipients: [user("a")], email: true, slack: false, event: "decision.made", bell: ["a"], emails: [], slackPosts: 0 },
    { name: "in-app switched off, email on", recipients: [user("a", { "decision.made": { inApp: false, email: true } })], email: true, slack: false, event: "decision.made", bell: [], emails: ["a@example.com"], slackPosts: 0 },
    { name: "nobody to tell still posts to the channel", recipients: [], email: true, slack: true, bell: [], emails: [], slackPosts: 1 },
  ];
  it.each(cases)("$name", ({ recipients, email, slack, event, bell, emails, slackPosts }) => {
    const plan = planNotifications({ ...content, event: event ?? content.event }, recipients, { emailEnabled: email, slackEnabled: slack, absolute });
    expect(plan.notifications.map((n) => n.userId)).toEqual(bell);
    expect(plan.outbox.filter((m) => m.channel === "email").map((m) => m.destination)).toEqual(emails);
    expect(plan.outbox.filter((m) => m.channel === "slack").map((m) => m.destination)).toEqual(Array(slackPosts).fill(SLACK_DESTINATION));
  });

  it("keeps the relative link for the bell and the request id", () => {
    const plan = planNotifications({ ...content, requestId: "req-1" }, [user("a")], { emailEnabled: true, slackEnabled: true, absolute });
    expect(plan.notifications[0]).toEqual({ userId: "a", event: "approval.needed", title: content.title, body: content.body, link: "/promotions/abc", requestId: "req-1" });
    const mail = plan.outbox[0];
    expect(mail.channel === "email" && mail.payload.text).toContain("https://gatehouse.example.com/promotions/abc");
  });
});

describe("messages", () => {
  const c = { event: "approval.needed" as const, title: "Approve <credit-risk> v3\nBcc: x@evil", body: "Casey & Lee asked.\n\nSecond <b>para</b>.", url: "https://g.example.com/promotions/a|b", settingsUrl: "https://g.example.com/settings/notifications" };

  it("email: a one-line subject, the absolute link in text and HTML, markup escaped", () => {
    const m = emailPayload(c);
    expect(m.subject).toBe("[Gatehouse] Approve <credit-risk> v3 Bcc: x@evil");
    expect(m.text).toContain("Open in Gatehouse: https://g.example.com/promotions/a|b");
    expect(m.text).toContain("https://g.example.com/settings/notifications");
    expect(m.html).toContain('href="https://g.example.com/promotions/a|b"');
    expect(m.html).toContain("Approve &lt;credit-risk&gt; v3 Bcc: x@evil");
    expect(m.html).toContain("<p style=\"margin:0 0 12px\">Second &lt;b&gt;para&lt;/b&gt;.</p>");
    expect(m.html).not.toContain("<b>para");
  });

  it("Slack: the incoming-webhook shape with a mrkdwn link, special characters escaped", () => {
    const m = slackPayload(c);
    expect(m.text).toBe("Approve &lt;credit-risk&gt; v3 Bcc: x@evil <https://g.example.com/promotions/a%7Cb|Open in Gatehouse>");
    expect(m.blocks[0]).toEqual({ type: "section", text: { type: "mrkdwn", text: "*<https://g.example.com/promotions/a%7Cb|Approve &lt;credit-risk&gt; v3 Bcc: x@evil>*\nCasey &amp; Lee asked.\n\nSecond &lt;b&gt;para&lt;/b&gt;." } });
    expect(m.blocks[1]).toEqual({ type: "context", elements: [{ type: "mrkdwn", text: "Gatehouse · Approval needed" }] });
  });

  it("Slack: long bodies fit a section block", () => {
    const m = slackPayload({ ...c, body: "y".repeat(10_000) });
    const block = m.blocks[0];
    expect(block.type === "section" && block.text.text.length).toBeLessThanOrEqual(3_000);
  });
});
