import "server-only";
import { SYSTEM, reevaluateModel } from "@/lib/promotions/settle";
import { badRequest, conflict, notFound } from "@/lib/api/errors";
import { actorFields, recordAuditEvent } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/require";
import { db, transaction, type Tx } from "@/lib/db";
import { decodeCursor, encodeCursor, type Page } from "@/lib/pagination";
import { findReadableModel } from "./models";
import { ZCreateVersionInput, ZMlflowVersionInput, ZPageQuery, ZUpdateVersionInput, type TCreateVersionInput, type TUpdateVersionInput } from "./schemas";
import { ZReportInput, type TReportInput } from "./report-schemas";
import { toVersionView, versionInclude, type VersionView } from "./views";

export function parseVersionNumber(value: string): number {
  if (!/^[1-9]\d{0,8}$/.test(value)) throw badRequest(`"${value}" is not a version number`, [{ path: "version", message: "A version number: 1, 2, 3…" }]);
  return Number(value);
}

function cursorVersion(key: string): number {
  if (!/^[1-9]\d{0,8}$/.test(key)) throw badRequest("The cursor is not one this list handed out", [{ path: "cursor", message: "Invalid cursor" }]);
  return Number(key);
}

export async function findVersion(client: Tx, modelId: string, modelName: string, version: number) {
  const row = await client.modelVersion.findUnique({ where: { modelId_version: { modelId, version } }, include: versionInclude });
  if (!row) throw notFound(`Model "${modelName}" has no version ${version}`);
  return row;
}

/**
 * Registers the next version (1, 2, 3… per model); concurrent registrations queue on the model row. `via`:
 * Gatehouse's API, the MLflow API, or an MLflow connector importing a version with MLflow's own `number` (gaps kept)
 * and its run's `reports`, in the same transaction.
 */
export async function registerVersion(opts: {
  actor: Actor | null;
  model: string;
  input: TCreateVersionInput;
  via?: "api" | "mlflow" | "connector";
  number?: number;
  reports?: TReportInput[];
}): Promise<VersionView> {
  // MLflow clients know no artifact checksum: theirs may come without one (provenance gates then say so).
  const input = (opts.via === "mlflow" || opts.via === "connector" ? ZMlflowVersionInput : ZCreateVersionInput).parse(opts.input);
  const reports = (opts.reports ?? []).map((r) => ZReportInput.parse(r));
  return transaction(async (tx) => {
    const model = await findReadableModel(tx, opts.actor, opts.model);
    const actor = requirePermission(opts.actor, "registry.write", model.teamId);
    if (model.archivedAt) throw conflict(`Model "${model.name}" is archived; it takes no new versions`, [{ path: "model", message: "Archived" }]);
    await tx.$executeRaw`SELECT 1 FROM registered_models WHERE id = ${model.id} FOR UPDATE`;
    const connector = await tx.mlflowConnector.findUnique({ where: { modelId: model.id }, select: { trackingUri: true, mlflowName: true, removedAt: true } });
    // Once connected, always MLflow's numbers: a disconnected model may be connected again to the same MLflow model.
    if (connector && opts.via !== "connector") {
      throw conflict(
        connector.removedAt
          ? `Versions of ${model.name} are numbered by MLflow (${connector.mlflowName} at ${connector.trackingUri}), from which it was disconnected; connect it again to import new ones.`
          : `Versions of ${model.name} are imported from MLflow (${connector.mlflowName} at ${connector.trackingUri}); register them there and Gatehouse imports them.`,
        [{ path: "model", message: "Governed through an MLflow connector" }],
      );
    }
    const last = await tx.modelVersion.findFirst({ where: { modelId: model.id }, orderBy: { version: "desc" }, select: { version: true } });
    if (opts.number !== undefined && (await tx.modelVersion.findUnique({ where: { modelId_version: { modelId: model.id, version: opts.number } }, select: { id: true } }))) {
      throw conflict(`${model.name} already has a version ${opts.number}`, [{ path: "version", message: "Already registered" }]);
    }
    const version = opts.number ?? (last?.version ?? 0) + 1;
    const { lineage: l, environment: e } = input;
    if (l.parentVersion !== undefined && l.parentVersion >= version) {
      throw badRequest(`parentVersion ${l.parentVersion} does not exist yet (this will be version ${version})`, [{ path: "lineage.parentVersion", message: "Must be an earlier version" }]);
    }
    const row = await tx.modelVersion.create({
      data: {
        modelId: model.id,
        version,
        description: input.description ?? "",
        tags: input.tags,
        artifactUri: input.artifact.uri,
        artifactChecksum: input.artifact.checksum,
        signature: input.signature,
        codeRepository: l.codeRepository,
        commitSha: l.commitSha,
        dataSnapshotUri: l.dataSnapshotUri,
        dataHash: l.dataHash,
        featureSetName: l.featureSet?.name,
        featureSetVersion: l.featureSet?.version,
        trainingRunId: l.trainingRun?.id,
        trainingRunUrl: l.trainingRun?.url,
        hyperparameters: l.hyperparameters,
        parentVersion: l.parentVersion,
        imageDigest: e.imageDigest,
        lockfileHash: e.lockfileHash,
        runtime: e.runtime,
        accelerator: e.accelerator,
        resourceClass: e.resourceClass,
        registeredById: actor.kind === "system" ? null : actor.kind === "user" ? actor.userId : actor.tokenId,
        registeredBy: actorFields(actor).actorLabel,
      },
      include: versionInclude,
    });
    const view = toVersionView(row);
    await recordAuditEvent(tx, {
      actor,
      action: "version.register",
      target: { type: "model-version", id: row.id, teamId: model.teamId },
      after: { model: model.name, version, artifact: view.artifact, lineage: view.lineage, environment: view.environment, reproducible: view.reproducible, ...(opts.via && opts.via !== "api" ? { via: opts.via } : {}) },
    });
    for (const report of reports) {
      const r = await tx.evaluationReport.create({ data: { versionId: row.id, kind: report.kind, payload: report.payload as object, createdBy: actorFields(actor).actorLabel, createdById: actor.kind === "user" ? actor.userId : null } });
      await recordAuditEvent(tx, { actor, action: "report.add", target: { type: "report", id: r.id, teamId: model.teamId }, after: { model: model.name, version, kind: report.kind } });
    }
    return reports.length ? toVersionView(await tx.modelVersion.findUniqueOrThrow({ where: { id: row.id }, include: versionInclude })) : view;
  });
}

export async function listVersions(opts: { actor: Actor | null; model: string; query: unknown }): Promise<Page<VersionView>> {
  const q = ZPageQuery.parse(opts.query);
  const model = await findReadableModel(db, opts.actor, opts.model);
  const before = decodeCursor(q.cursor);
  const rows = await db.modelVersion.findMany({
    where: { modelId: model.id, ...(before ? { version: { lt: cursorVersion(before) } } : {}) },
    orderBy: { version: "desc" },
    include: versionInclude,
    take: q.limit + 1,
  });
  const items = rows.slice(0, q.limit).map(toVersionView);
  return { items, nextCursor: rows.length > q.limit ? encodeCursor(String(items[items.length - 1].version)) : null };
}

export async function getVersion(opts: { actor: Actor | null; model: string; version: string }): Promise<VersionView> {
  const model = await findReadableModel(db, opts.actor, opts.model);
  return toVersionView(await findVersion(db, model.id, model.name, parseVersionNumber(opts.version)));
}

/** Changes description, tags or status, nothing else; a version an alias points at cannot be archived. */
export async function updateVersion(opts: { actor: Actor | null; model: string; version: string; input: TUpdateVersionInput | ((before: { tags: Record<string, string> }) => TUpdateVersionInput) }): Promise<VersionView> {
  return transaction(async (tx) => {
    const model = await findReadableModel(tx, opts.actor, opts.model);
    const actor = requirePermission(opts.actor, "registry.write", model.teamId);
    // Alias moves take the same lock, so "no alias points here" still holds when the archive commits.
    await tx.$executeRaw`SELECT 1 FROM registered_models WHERE id = ${model.id} FOR UPDATE`;
    if (model.archivedAt) throw conflict(`Model "${model.name}" is archived; its versions do not change`, [{ path: "model", message: "Archived" }]);
    const before = await findVersion(tx, model.id, model.name, parseVersionNumber(opts.version));
    // A function computes the change from the locked row (setting one tag keeps the others another writer just set).
    const input = ZUpdateVersionInput.parse(typeof opts.input === "function" ? opts.input({ tags: before.tags as Record<string, string> }) : opts.input);
    if (input.status === "archived" && before.aliases.length > 0) {
      throw conflict(`Version ${before.version} is @${before.aliases.map((a) => a.name).join(", @")}; move the alias before archiving it`, [{ path: "status", message: "An alias points at this version" }]);
    }
    // A release member waiting for its release's rollouts moves when they complete: it must still be servable then.
    const moving = input.status === "archived" ? await tx.promotionRequest.findFirst({ where: { versionId: before.id, status: "rolling-out" }, select: { number: true, release: { select: { number: true } } } }) : null;
    if (moving) throw conflict(`Version ${before.version} is rolling out (request #${moving.number}${moving.release ? `, release ${moving.release.number}` : ""}); cancel it before archiving the version`, [{ path: "status", message: "Rolling out" }]);
    const row = await tx.modelVersion.update({
      where: { id: before.id },
      data: { description: input.description, tags: input.tags, status: input.status },
      include: versionInclude,
    });
    const changed = (["description", "tags", "status"] as const).filter((k) => input[k] !== undefined);
    await recordAuditEvent(tx, {
      actor,
      action: "version.update",
      target: { type: "model-version", id: row.id, teamId: model.teamId },
      before: Object.fromEntries(changed.map((k) => [k, before[k]])),
      after: Object.fromEntries(changed.map((k) => [k, row[k]])),
      reason: input.reason,
    });
    // An archived version cannot be promoted: its open requests block (and unblock when it is ready again).
    if (input.status !== undefined && input.status !== before.status) await reevaluateModel(tx, { modelId: model.id, actor: SYSTEM });
    return toVersionView(row);
  });
}
