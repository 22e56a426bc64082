import "server-only";
import { SYSTEM, reevaluateModel } from "@/lib/promotions/settle";
import { actorFields, recordAuditEvent } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/require";
import { db, transaction } from "@/lib/db";
import { lockModel } from "./aliases";
import { findReadableModel } from "./models";
import { ZReportInput, type TReportInput } from "./report-schemas";
import { currentReports } from "./rules";
import { findVersion, parseVersionNumber } from "./versions";

export type ReportView = { id: string; kind: string; payload: unknown; createdBy: string; createdAt: string; current: boolean };

/** Appends a report to a version; reports are never edited or removed. */
export async function addReport(opts: { actor: Actor | null; model: string; version: string; input: TReportInput }): Promise<ReportView> {
  const input = ZReportInput.parse(opts.input);
  return transaction(async (tx) => {
    const model = await findReadableModel(tx, opts.actor, opts.model);
    const actor = requirePermission(opts.actor, "registry.write", model.teamId);
    // Every writer that may re-run promotion requests takes the model's lock before the audit chain's, as
    // decisions do: the same order everywhere, so they never deadlock.
    await lockModel(tx, model.id);
    const version = await findVersion(tx, model.id, model.name, parseVersionNumber(opts.version));
    const row = await tx.evaluationReport.create({
      data: { versionId: version.id, kind: input.kind, payload: input.payload as object, createdBy: actorFields(actor).actorLabel, createdById: actor.kind === "user" ? actor.userId : null },
    });
    await recordAuditEvent(tx, {
      actor,
      action: "report.add",
      target: { type: "report", id: row.id, teamId: model.teamId },
      after: { model: model.name, version: version.version, kind: input.kind },
    });
    // New evidence: open requests of the model run their gates again (a blocked one may move on by itself).
    await reevaluateModel(tx, { modelId: model.id, actor: SYSTEM });
    return { id: row.id, kind: row.kind, payload: row.payload, createdBy: row.createdBy, createdAt: row.createdAt.toISOString(), current: true };
  });
}

/** Every report of a version, newest first, each marked whether it is the current one of its kind. */
export async function listReports(opts: { actor: Actor | null; model: string; version: string; kind?: string }): Promise<ReportView[]> {
  const model = await findReadableModel(db, opts.actor, opts.model);
  const version = await findVersion(db, model.id, model.name, parseVersionNumber(opts.version));
  const rows = await db.evaluationReport.findMany({ where: { versionId: version.id, ...(opts.kind ? { kind: opts.kind } : {}) }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  const current = new Set(currentReports(rows).map((r) => r.id));
  return rows.map((r) => ({ id: r.id, kind: r.kind, payload: r.payload, createdBy: r.createdBy, createdAt: r.createdAt.toISOString(), current: current.has(r.id) }));
}
