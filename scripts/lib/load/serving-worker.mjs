// Serving lookups at full speed, in a worker thread so that they do not delay the rest of the load generator's
// timers: `connections` keep-alive connections, each asking again the moment it has an answer, as a serving
// layer polling alias and routing answers does (half the time with the ETag it holds, to be answered 304).
import { performance } from "node:perf_hooks";
import { parentPort, workerData } from "node:worker_threads";
import { C } from "./categories.mjs";
import { createClient, Recorder } from "./http.mjs";

const { base, token, targets, connections, seconds } = workerData;
const recorder = new Recorder();
const client = createClient({ base, connections, recorder, headers: { authorization: `Bearer ${token}` } });
const etags = new Map();
let fromSnapshot = 0;
let fromNext = 0;
const stopAt = performance.now() + seconds * 1000;

async function loop(offset) {
  for (let i = offset; performance.now() < stopAt; i += connections) {
    const path = targets[i % targets.length];
    const etag = etags.get(path);
    const conditional = etag && (i / connections) % 2 < 1;
    const res = await client.send({ path, headers: conditional ? { "if-none-match": etag } : {}, category: path.endsWith("/routing") ? C.routing : C.alias, keepBody: true });
    if (res.status === 200 || res.status === 304) {
      if (res.headers.etag) etags.set(path, res.headers.etag);
      if (res.headers["x-gatehouse-served-by"] === "snapshot") fromSnapshot += 1;
      else fromNext += 1;
    }
  }
}

await Promise.all(Array.from({ length: connections }, (_, c) => loop(c)));
client.close();
parentPort.postMessage({ recorder: recorder.toJSON(), fromSnapshot, fromNext });
