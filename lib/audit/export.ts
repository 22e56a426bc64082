import "server-only";
import type { Actor } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/require";
import { db } from "@/lib/db";
import { auditWhere } from "./query";
import { ZAuditExportQuery } from "./schemas";

/**
 * The filtered audit log as CSV or JSON Lines, streamed a page at a time (oldest first, by id), so exporting a
 * million events holds one page in memory, not the log. Times are ISO 8601 UTC; before/after are JSON.
 */
export const EXPORT_COLUMNS = ["id", "occurred_at", "actor_type", "actor_id", "actor_label", "action", "target_type", "target_id", "team_id", "reason", "before", "after", "prev_hash", "hash"] as const;
const PAGE = 1_000;

type Row = Awaited<ReturnType<typeof db.auditEvent.findMany>>[number];

function record(r: Row): Record<(typeof EXPORT_COLUMNS)[number], string | null> {
  return {
    id: r.id.toString(),
    occurred_at: r.occurredAt.toISOString(),
    actor_type: r.actorType,
    actor_id: r.actorId,
    actor_label: r.actorLabel,
    action: r.action,
    target_type: r.targetType,
    target_id: r.targetId,
    team_id: r.teamId,
    reason: r.reason,
    before: r.before === null ? null : JSON.stringify(r.before),
    after: r.after === null ? null : JSON.stringify(r.after),
    prev_hash: r.prevHash,
    hash: r.hash,
  };
}

/** RFC 4180: quote every field that needs it; a leading =, +, - or @ is prefixed so spreadsheets do not run it. */
export function csvField(value: string | null): string {
  if (value === null) return "";
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(r: Row): string {
  const rec = record(r);
  return EXPORT_COLUMNS.map((c) => csvField(rec[c])).join(",") + "\r\n";
}

export function jsonLine(r: Row): string {
  const rec = record(r);
  return JSON.stringify({ ...rec, before: r.before ?? null, after: r.after ?? null }) + "\n";
}

export async function exportAuditEvents(opts: { actor: Actor | null; query: unknown; now?: Date }): Promise<{ stream: ReadableStream<Uint8Array>; filename: string; contentType: string }> {
  const actor = requirePermission(opts.actor, "audit.export");
  const q = ZAuditExportQuery.parse(opts.query);
  const where = await auditWhere(actor, q);
  const encoder = new TextEncoder();
  let after: bigint | null = null;
  let headerSent = q.format !== "csv";
  const stream = new ReadableStream<Uint8Array>({
    // Pull-based: the next page is read only when the client has taken the last one (back-pressure).
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(EXPORT_COLUMNS.join(",") + "\r\n"));
        return;
      }
      const rows = await db.auditEvent.findMany({ where: after === null ? where : { AND: [where, { id: { gt: after } }] }, orderBy: { id: "asc" }, take: PAGE });
      if (rows.length) controller.enqueue(encoder.encode(rows.map(q.format === "csv" ? csvLine : jsonLine).join("")));
      if (rows.length < PAGE) controller.close();
      else after = rows.at(-1)!.id;
    },
  });
  const stamp = (opts.now ?? new Date()).toISOString().replace(/[:.]/g, "-");
  return { stream, filename: `gatehouse-audit-${stamp}.${q.format}`, contentType: q.format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8" };
}
