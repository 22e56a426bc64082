import http from "node:http";
import https from "node:https";
import { checkUrlShape } from "./address";
import { BLOCKED_CODE, guardedLookup } from "./network";
import type { AttemptResult } from "./retry";

/**
 * One POST to a receiver, bounded in time from start to finish: a receiver that never answers, or trickles its
 * answer, costs at most `timeoutMs`. Redirects are not followed (a 3xx is the answer). Only the start of the
 * response body is read, for the delivery log. Never throws.
 */
export const WEBHOOK_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 1_024;

export async function postWebhook(o: { url: string; headers: Record<string, string>; body: string; timeoutMs?: number; allowPrivate: boolean }): Promise<AttemptResult> {
  const timeoutMs = o.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  // The URL was checked at registration; it is checked again here, since the rule or the address may have changed.
  const shape = checkUrlShape(o.url, o.allowPrivate);
  if (!shape.ok) return { kind: "refused", message: shape.message };
  const url = shape.parsed.url;
  const client = url.protocol === "https:" ? https : http;
  const body = Buffer.from(o.body, "utf8");

  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const finish = (result: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = client.request(
      url,
      {
        method: "POST",
        headers: { ...o.headers, "content-length": String(body.length) },
        // A fresh connection each time: a pooled socket would skip the address check of the lookup below.
        agent: false,
        lookup: guardedLookup(o.allowPrivate),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          req.destroy();
          const retryAfter = res.headers["retry-after"];
          finish({ kind: "response", status: res.statusCode ?? 0, retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : (retryAfter ?? null), body: Buffer.concat(chunks).toString("utf8").slice(0, MAX_RESPONSE_BYTES) });
        };
        res.on("data", (c: Buffer) => {
          if (size < MAX_RESPONSE_BYTES) chunks.push(c);
          size += c.length;
          if (size >= MAX_RESPONSE_BYTES) done();
        });
        res.on("end", done);
        res.on("error", done);
      },
    );
    const timer = setTimeout(() => {
      finish({ kind: "network", message: `No answer within ${timeoutMs / 1000} s` });
      req.destroy();
    }, timeoutMs);
    req.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === BLOCKED_CODE) finish({ kind: "refused", message: err.message });
      else finish({ kind: "network", message: `Could not reach the receiver: ${err.code ?? err.message}` });
    });
    req.end(body);
  });
}
