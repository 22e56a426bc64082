// The serving benchmark's yardstick: a bare Node `http` server answering every request with the body and headers
// Gatehouse answered a lookup with (BENCH_BODY, BENCH_HEADERS as JSON) on 127.0.0.1:BENCH_PORT. No routing, no
// authentication, no database: the fastest an answer can come from Node on this machine.
import http from "node:http";

const body = Buffer.from(process.env.BENCH_BODY ?? "{}");
const headers = { ...JSON.parse(process.env.BENCH_HEADERS ?? "{}"), "content-length": body.length };
const server = http.createServer((req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.BENCH_PORT), "127.0.0.1", () => process.send?.("listening"));
process.on("disconnect", () => process.exit(0));
