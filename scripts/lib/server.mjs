// Gatehouse's HTTP server: Next.js in this process, behind a plain Node listener so that serving lookups can be
// answered before Next's request handling (see CONVENTIONS.md, "The serving hot path").
import http from "node:http";
import { CLIENT_IP_HEADER, clientIp, trustProxyFrom } from "../../lib/ratelimit/client-ip.mjs";
import { answerUnavailable, answersWhileDown, createDatabaseWatch } from "./database-watch.mjs";
import { createServing } from "./serving.mjs";
import { log, root } from "./setup.mjs";

export async function startServer({ port, hostname }) {
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: root, hostname, port });
  const handle = app.getRequestHandler();
  await app.prepare();
  // Without a fast path (no DATABASE_URL yet) every request simply goes to Next.
  const serving = process.env.DATABASE_URL ? await createServing({ connectionString: process.env.DATABASE_URL, log }) : null;
  const database = process.env.DATABASE_URL ? await createDatabaseWatch({ connectionString: process.env.DATABASE_URL, log }) : null;
  // Rate limits: the client's address, worked out here once and passed on in a header of ours (lib/ratelimit/client-ip.mjs).
  const trustProxy = trustProxyFrom(process.env.GATEHOUSE_TRUST_PROXY);
  const toNext = (req, res) => {
    // Always set, so a client cannot choose the value by sending the header itself.
    req.headers[CLIENT_IP_HEADER] = clientIp({ remoteAddress: req.socket.remoteAddress, forwardedFor: req.headers["x-forwarded-for"], trustProxy });
    return handle(req, res).catch((err) => {
      console.error("[gatehouse] request failed", err);
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: "internal_error", message: "Something went wrong on our side." } }));
      }
    });
  };
  const server = http.createServer((req, res) => {
    if (database?.down && !answersWhileDown(req.url)) return void answerUnavailable(req, res);
    if (!serving) return void toNext(req, res);
    // Serving lookups answered from the snapshot need neither Next nor the client's address (they are not rate limited).
    const answered = serving.handle(req, res);
    if (answered === true) return;
    if (answered === false) return void toNext(req, res);
    answered.then((done) => {
      if (!done) void toNext(req, res);
    });
  });
  server.on("close", () => {
    void serving?.close();
    database?.close();
  });
  // Longer than common load balancers' idle timeouts, so they never reuse a connection we are closing.
  server.keepAliveTimeout = 65_000;
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, resolve);
  });
  return server;
}
