import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A webhook receiver for tests (database tests and Playwright): records every request with its raw body, can
 * fail the next few with a status, hang, or answer slowly, and performs a "side effect" once per delivery id,
 * as a well-behaved receiver does, so tests can show retries never act twice.
 */
export type ReceivedWebhook = {
  deliveryId: string;
  timestamp: string;
  signature: string;
  event: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: { id: string; type: string; [key: string]: unknown };
  /** What the receiver answered. */
  answered: number;
};

export async function startWebhookReceiver() {
  const requests: ReceivedWebhook[] = [];
  /** Delivery ids acted on, once each. */
  const effects: string[] = [];
  let failures: { status: number; remaining: number; afterEffect: boolean } | null = null;
  let delayMs = 0;
  let hang = false;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const header = (name: string) => String(req.headers[name] ?? "");
      const deliveryId = header("x-gatehouse-delivery-id");
      const record = (answered: number) => {
        let json = { id: "", type: "" };
        try {
          json = JSON.parse(body);
        } catch {
          // recorded as received; the test decides what that means
        }
        requests.push({ deliveryId, timestamp: header("x-gatehouse-timestamp"), signature: header("x-gatehouse-signature"), event: header("x-gatehouse-event"), headers: req.headers, body, json, answered });
      };
      // Never answers (recorded with status 0): the sender's timeout must end it.
      if (hang) return record(0);
      setTimeout(() => {
        const act = () => {
          if (!effects.includes(deliveryId)) effects.push(deliveryId);
        };
        let status = 204;
        if (failures && failures.remaining > 0) {
          failures.remaining -= 1;
          status = failures.status;
          // A receiver that did the work but failed to answer: the retry must not make it do the work again.
          if (failures.afterEffect) act();
        } else {
          act();
        }
        record(status);
        res.writeHead(status, { "content-type": "text/plain" }).end(status >= 400 ? "receiver unavailable" : "");
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/gatehouse`,
    requests,
    effects,
    /** Answer the next `n` requests with `status` (after acting on them, with `afterEffect`). */
    failNext(n: number, status = 500, afterEffect = false) {
      failures = { status, remaining: n, afterEffect };
    },
    slowDown(ms: number) {
      delayMs = ms;
    },
    hangForever(on = true) {
      hang = on;
    },
    /** Requests received for one event id (the same event goes to each endpoint once). */
    forEvent(eventId: string) {
      return requests.filter((r) => r.json.id === eventId);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

type DocumentedVerifier = (o: { secret: string; headers: Record<string, unknown>; body: string; now?: number }) => boolean;

/**
 * The receiver snippet of docs/webhooks.md (the js block after `<!-- receiver-snippet -->`), run as written, so
 * the tests verify deliveries with exactly the code the docs tell people to use. Its one import (node:crypto) is
 * handed in rather than imported: Vitest and Playwright load test code differently, and this works in both.
 */
export async function loadDocumentedVerifier(): Promise<DocumentedVerifier> {
  const { readFile } = await import("node:fs/promises");
  const crypto = await import("node:crypto");
  const docs = await readFile(`${process.cwd()}/docs/webhooks.md`, "utf8");
  const code = /<!-- receiver-snippet -->\s*```js\n([\s\S]*?)```/.exec(docs)?.[1];
  if (!code) throw new Error("docs/webhooks.md has no receiver snippet");
  const imported = /^import \{ ([\w, ]+) \} from "node:crypto";$/m.exec(code)?.[1].split(/,\s*/) ?? [];
  const body = code.replace(/^import .*$/gm, "").replace(/^export /gm, "");
  const make = new Function(...imported, `${body}\nreturn verifyGatehouseWebhook;`) as (...deps: unknown[]) => DocumentedVerifier;
  return make(...imported.map((name) => (crypto as unknown as Record<string, unknown>)[name]));
}
