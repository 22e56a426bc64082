import http from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/**
 * Real receivers for the database tests: an SMTP server and an HTTP server playing a Slack incoming webhook,
 * each able to refuse the next few messages or answer slowly.
 */
export type ReceivedMail = { from: string; to: string[]; subject: string; text: string; raw: string };

/** Enough MIME for assertions: headers unfolded, quoted-printable soft breaks and escapes undone. */
function decode(raw: string): { subject: string; text: string } {
  const [head] = raw.split(/\r?\n\r?\n/);
  const subject = /^Subject: (.*(?:\r?\n[ \t].*)*)/im.exec(head)?.[1].replace(/\r?\n[ \t]/g, " ") ?? "";
  const text = raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return { subject, text };
}

export async function startSmtpReceiver() {
  const mails: ReceivedMail[] = [];
  let refuse = 0;
  const server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on localhost: nodemailer would otherwise upgrade and reject the self-signed certificate.
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (refuse > 0) {
        refuse -= 1;
        return callback(Object.assign(new Error("Mailbox busy, try again later"), { responseCode: 451 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
        mails.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw, ...decode(raw) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    /** Refuse the next `n` recipients with a temporary 451. */
    refuseNext(n: number) {
      refuse = n;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type ReceivedPost = { body: { text: string; blocks: { type: string; text?: { type: string; text: string } }[] }; contentType: string };

export async function startSlackReceiver() {
  const posts: ReceivedPost[] = [];
  let failures = 0;
  let delayMs = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      setTimeout(() => {
        if (failures > 0) {
          failures -= 1;
          res.writeHead(500, { "content-type": "text/plain" }).end("internal_error");
          return;
        }
        posts.push({ body: JSON.parse(Buffer.concat(chunks).toString("utf8")), contentType: req.headers["content-type"] ?? "" });
        res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/services/T000/B000/test-secret`,
    posts,
    failNext(n: number) {
      failures = n;
    },
    slowDown(ms: number) {
      delayMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
