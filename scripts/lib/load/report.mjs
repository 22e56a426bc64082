// What a load run's figures add up to: per-category latency and status summaries, and the pass/fail checks, as pure
// functions of plain data (scripts/lib/load/report.test.ts), so that the verdict does not depend on a server.

/** Nearest-rank percentile of an ascending array: the smallest value with at least `p` of the values at or below it. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const rank = Math.ceil(p * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** One category's row: requests, rate over `seconds`, latency percentiles (ms), statuses, errors. */
export function summarize(name, data, seconds) {
  const sorted = Float64Array.from(data.latencies).sort();
  const requests = sorted.length + data.errors;
  return {
    name,
    requests,
    perSecond: seconds > 0 ? requests / seconds : 0,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1] : null,
    statuses: data.statuses,
    errors: data.errors,
  };
}

/** The share of the ingest target that must be offered for the run to mean anything (see `judgeRun`). */
export const OFFERED_SHARE = 0.95;
/** Acknowledged at this share of the target or more counts as "sustained" (printed, never a failure). */
export const SUSTAINED_SHARE = 0.95;

/**
 * The checks a run passes or fails:
 * - no 5xx and no request without an answer, in any category;
 * - only the statuses each category expects (a 409 for a deliberately conflicting decision is expected; a 400 means
 *   the load script itself is wrong, and its counts would prove nothing);
 * - each database count equals what the server acknowledged;
 * - two leads deciding one request at once never both succeed, and the conflict path was exercised (one 201, one 409);
 * - every retried ingest batch was answered as a replay;
 * - the audit chain verifies;
 * - the ingest target was offered (the load generator kept its schedule): otherwise the run did not test what it says.
 * Latency and throughput are printed, never judged: a slow machine must not fail the run.
 */
export function judgeRun({ categories, expected, counts, conflicts, replays, audit, ingest }) {
  const checks = [];
  const add = (name, ok, detail) => checks.push({ name, ok, detail });
  const entries = Object.entries(categories);
  const fivexx = entries.flatMap(([name, c]) => Object.entries(c.statuses).filter(([s]) => Number(s) >= 500).map(([s, n]) => `${name}: ${n} × ${s}`));
  add("no 5xx", fivexx.length === 0, fivexx.length ? fivexx.join("; ") : "none in any category");
  const errors = entries.filter(([, c]) => c.errors > 0).map(([name, c]) => `${name}: ${c.errors} (${c.errorSamples[0]?.error ?? "?"})`);
  add("no connection errors or timeouts", errors.length === 0, errors.length ? errors.join("; ") : "every request was answered");
  const unexpected = entries.flatMap(([name, c]) =>
    Object.entries(c.statuses)
      .filter(([s]) => Number(s) < 500 && !(expected[name] ?? []).includes(Number(s)))
      .map(([s, n]) => `${name}: ${n} × ${s}`),
  );
  add("only expected statuses", unexpected.length === 0, unexpected.length ? unexpected.join("; ") : "4xx only where expected (conflicting decisions: 409)");
  for (const c of counts) add(`database: ${c.name}`, c.actual === c.expected, `${fmtInt(c.actual)} in the database, ${fmtInt(c.expected)} acknowledged`);
  add(
    "two leads deciding one request: never both accepted",
    conflicts.bothAccepted === 0 && conflicts.oneAccepted > 0,
    conflicts.pairs === 0
      ? "no conflicting pair was attempted"
      : `${conflicts.pairs} pairs: ${conflicts.oneAccepted} one accepted and one 409, ${conflicts.bothAccepted} both accepted, ${conflicts.pairs - conflicts.oneAccepted - conflicts.bothAccepted} neither (the request had closed)`,
  );
  add("retried ingest batches replayed, not stored again", replays.sent > 0 && replays.replayed === replays.sent, `${replays.replayed} of ${replays.sent} answered "replayed": true`);
  add("audit chain verifies", audit.ok === true, audit.ok ? `${fmtInt(audit.checked)} events checked` : `broken at event ${audit.firstBrokenId ?? "?"}${audit.error ? `: ${audit.error}` : ""}`);
  const offeredShare = ingest.offeredPerSecond / ingest.targetPerSecond;
  add(
    `ingest target offered (≥ ${Math.round(OFFERED_SHARE * 100)}% of ${fmtInt(ingest.targetPerSecond)} points/s)`,
    offeredShare >= OFFERED_SHARE,
    offeredShare >= OFFERED_SHARE
      ? `${fmtInt(ingest.offeredPerSecond)} points/s offered`
      : `only ${fmtInt(ingest.offeredPerSecond)} points/s offered: the load generator could not keep its schedule (the machine is too busy to run this test)`,
  );
  return checks;
}

/** Whether the server took the ingest target: acknowledged within the run at `SUSTAINED_SHARE` of it or more. */
export function ingestSustained(ingest) {
  return ingest.acknowledgedPerSecond >= SUSTAINED_SHARE * ingest.targetPerSecond;
}

export function fmtInt(n) {
  return Math.round(n).toLocaleString("en");
}

function fmtMs(ms) {
  if (ms === null || ms === undefined) return "-";
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

/** A fixed-width table: the first column left-aligned, the others right-aligned. */
export function table(header, rows) {
  const all = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => r.map((v, i) => (i === 0 || i === r.length - 1 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join("  ").trimEnd();
  return [line(all[0]), widths.map((w) => "-".repeat(w)).join("  "), ...all.slice(1).map(line)].join("\n");
}

/** The per-category figures as a table (latencies in ms). */
export function figuresTable(rows) {
  return table(
    ["category", "requests", "req/s", "p50", "p95", "p99", "max", "statuses"],
    rows.map((r) => [
      r.name,
      fmtInt(r.requests),
      r.perSecond >= 10 ? fmtInt(r.perSecond) : r.perSecond.toFixed(1),
      fmtMs(r.p50),
      fmtMs(r.p95),
      fmtMs(r.p99),
      fmtMs(r.max),
      [...Object.entries(r.statuses).map(([s, n]) => `${s}:${n}`), ...(r.errors ? [`no answer:${r.errors}`] : [])].join(" "),
    ]),
  );
}
