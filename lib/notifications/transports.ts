import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import type { EmailPayload, SlackPayload } from "./messages";

/** How outbox messages leave Gatehouse: SMTP through nodemailer, and a JSON POST to a Slack-style webhook. */
export type SmtpSettings = { url: string; from: string };

export const SLACK_TIMEOUT_MS = 5_000;

/** One SMTP connection pool for a delivery pass; close it when the pass ends. */
export function smtpTransport(settings: SmtpSettings): Transporter {
  return nodemailer.createTransport({
    url: settings.url,
    pool: true,
    maxConnections: 3,
    // A mail server that hangs must not hold a delivery pass (and its claimed messages) for minutes.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  } as nodemailer.TransportOptions);
}

export async function sendEmail(transport: Transporter, from: string, to: string, payload: EmailPayload): Promise<void> {
  await transport.sendMail({ from, to, subject: payload.subject, text: payload.text, html: payload.html });
}

export class DeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DeliveryError";
  }
}

export async function postSlack(webhookUrl: string, payload: SlackPayload): Promise<void> {
  let res: Response;
  try {
    res = await fetch(webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(SLACK_TIMEOUT_MS),
      redirect: "error",
    });
  } catch (err) {
    const e = err as { name?: string; cause?: { code?: string; message?: string } };
    if (e.name === "TimeoutError" || e.name === "AbortError") throw new DeliveryError(`Slack did not answer within ${SLACK_TIMEOUT_MS / 1000} s`);
    // fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND) is in its cause.
    throw new DeliveryError(`Could not reach the Slack webhook: ${e.cause?.code ?? e.cause?.message ?? (err as Error).message}`);
  }
  if (!res.ok) {
    // Slack explains refusals in a short plain-text body ("invalid_payload", "no_service").
    const detail = (await res.text().catch(() => "")).slice(0, 120).trim();
    throw new DeliveryError(`Slack answered HTTP ${res.status}${detail ? `: ${detail}` : ""}`);
  } else {
    await res.body?.cancel().catch(() => {});
  }
}
