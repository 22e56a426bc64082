import { EVENT_SPECS, type NotificationEvent } from "./events";

/** What an email or Slack post says: the notification's words and absolute links into Gatehouse. */
export type MessageContent = { event: NotificationEvent; title: string; body: string; url: string; settingsUrl: string };

export type EmailPayload = { subject: string; text: string; html: string };
export type SlackPayload = { text: string; blocks: SlackBlock[] };
type SlackBlock = { type: "section"; text: { type: "mrkdwn"; text: string } } | { type: "context"; elements: { type: "mrkdwn"; text: string }[] };

const oneLine = (s: string) => s.replace(/[\r\n\t]+/g, " ").trim();
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** Slack reads &, < and > as markup (links, mentions); everything else is literal. */
const escapeMrkdwn = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A URL inside Slack's <url|label> syntax must not contain the delimiters. */
const slackUrl = (url: string) => url.replace(/\|/g, "%7C").replace(/</g, "%3C").replace(/>/g, "%3E");

export function emailPayload(c: MessageContent): EmailPayload {
  const label = EVENT_SPECS[c.event].label;
  // Subjects are headers: one line, so nothing in a title can add a header of its own.
  const subject = clip(`[Gatehouse] ${oneLine(c.title)}`, 200);
  const why = `You receive this email for "${label}" notifications. Change that in your Gatehouse notification settings:`;
  const text = [oneLine(c.title), "", c.body.trim(), "", `Open in Gatehouse: ${c.url}`, "", "-- ", why, c.settingsUrl, ""].join("\n");
  const paragraphs = c.body
    .trim()
    .split(/\n{2,}/)
    .map((p) => `<p style="margin:0 0 12px">${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
    .join("");
  const html = [
    `<!doctype html><html><body style="font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#0f172a;line-height:1.5">`,
    `<h1 style="font-size:18px;margin:0 0 12px">${escapeHtml(oneLine(c.title))}</h1>`,
    paragraphs,
    `<p style="margin:16px 0"><a href="${escapeHtml(c.url)}" style="background:#4f46e5;color:#fff;padding:8px 14px;border-radius:6px;text-decoration:none">Open in Gatehouse</a></p>`,
    `<p style="margin:24px 0 0;font-size:12px;color:#475569">${escapeHtml(why)} <a href="${escapeHtml(c.settingsUrl)}">${escapeHtml(c.settingsUrl)}</a></p>`,
    `</body></html>`,
  ].join("");
  return { subject, text, html };
}

/** Slack's incoming-webhook JSON: `text` is the notification fallback, `blocks` what the channel shows. */
export function slackPayload(c: MessageContent): SlackPayload {
  const title = escapeMrkdwn(clip(oneLine(c.title), 200));
  const link = `<${slackUrl(c.url)}|${title}>`;
  // A section's text may hold 3,000 characters.
  const body = escapeMrkdwn(clip(c.body.trim(), 2_500));
  return {
    text: `${title} <${slackUrl(c.url)}|Open in Gatehouse>`,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: body ? `*${link}*\n${body}` : `*${link}*` } },
      { type: "context", elements: [{ type: "mrkdwn", text: `Gatehouse · ${escapeMrkdwn(EVENT_SPECS[c.event].label)}` }] },
    ],
  };
}
