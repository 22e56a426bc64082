// Figure 5: the audit chain verified end to end (GET /api/v1/audit/verify recomputes every hash), and the whole log
// exported as CSV while the server's resident memory is sampled: streaming must keep it flat.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { row } from "./figures.mjs";

/** Resident set size of process `pid` in MB (Linux /proc); null elsewhere. */
export function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** `countEvents()`: the events in the log now (each verification adds one, audit.verify). */
export async function measureAudit({ base, client, serverPid, countEvents, runs, log }) {
  log(`audit: verifying the chain, ${runs} times…`);
  const verify = [];
  let failure = null;
  let checked = 0;
  const expected = await countEvents();
  for (let i = 0; i < runs && !failure; i++) {
    const started = performance.now();
    const res = await client.send({ path: "/api/v1/audit/verify" });
    verify.push((performance.now() - started) / 1000);
    const body = res.status === 200 ? res.json() : null;
    checked = body?.checked ?? 0;
    if (!body?.ok) failure = `verification answered ${res.status}: ${res.text().slice(0, 200)}`;
    // Each verification adds its own event after checking; the events there before it must all have been checked.
    else if (checked < expected) failure = `verification checked ${checked} events of ${expected}`;
  }
  const rows = [row({ section: "audit", name: "chain verification", unit: "s", runs: verify, digits: 2, target: { atMost: 5 }, failure, note: `${checked.toLocaleString("en")} events checked` })];

  log(`audit: exporting the whole log as CSV, ${runs} times, sampling the server's memory…`);
  const growth = [];
  const seconds = [];
  let lines = 0;
  let bytes = 0;
  let exportFailure = null;
  const events = await countEvents();
  for (let i = 0; i < runs && !exportFailure; i++) {
    const before = rssMb(serverPid);
    let peak = before;
    const sampler = setInterval(() => {
      const now = rssMb(serverPid);
      if (now !== null && (peak === null || now > peak)) peak = now;
    }, 20);
    const started = performance.now();
    lines = 0;
    bytes = 0;
    try {
      const res = await fetch(`${base}/api/v1/audit/export?format=csv`, { headers: { cookie: client.jar.header() } });
      if (res.status !== 200) exportFailure = `the export answered ${res.status}`;
      else {
        // Records end in CRLF (RFC 4180); a bare LF inside a quoted field is not one.
        let previous = 0;
        for await (const chunk of res.body) {
          bytes += chunk.length;
          for (let j = 0; j < chunk.length; j++) {
            if (chunk[j] === 10 && (j ? chunk[j - 1] : previous) === 13) lines++;
          }
          previous = chunk[chunk.length - 1];
        }
      }
    } finally {
      clearInterval(sampler);
    }
    seconds.push((performance.now() - started) / 1000);
    if (before !== null && peak !== null) growth.push(peak - before);
  }
  if (!exportFailure && lines - 1 !== events) exportFailure = `the export had ${lines - 1} rows for ${events} events`;
  rows.push(
    row({ section: "audit", name: "CSV export of the whole log: peak RSS growth", unit: "MB", runs: growth, target: { atMost: 200 }, failure: exportFailure ?? (growth.length ? null : "no /proc here: memory not measured"), note: `${(lines - 1).toLocaleString("en")} rows, ${(bytes / 1e6).toFixed(0)} MB streamed` }),
    row({ section: "audit", name: "CSV export of the whole log: duration", unit: "s", runs: seconds, failure: exportFailure }),
  );
  return rows;
}
