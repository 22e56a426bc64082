import "server-only";
import type { ChainedEvent } from "@/lib/audit/chain";
import { toChainedEvent } from "@/lib/audit/verify";
import { actorFields } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/require";
import { db } from "@/lib/db";
import type { StageReadiness } from "@/lib/policy/gates";
import { BUILT_IN_DEFAULT_POLICY } from "@/lib/policy/defaults";
import { DEFAULT_SCOPE } from "@/lib/policy/policies";
import { toVersionView } from "@/lib/registry/views";
import { BUNDLE_FORMAT, bundleDigest } from "./bundle-verify";
import { findReadableRequest } from "./request";
import type { Signature } from "./signature";
import { getPromotion } from "./views";

/**
 * Everything an auditor needs to answer "who changed what, when, why, on what evidence" for one promotion request,
 * in one JSON document that can be archived and re-verified without Gatehouse (bundle-verify.ts, docs/audit.md).
 */
export type EvidenceBundle = Awaited<ReturnType<typeof buildBundle>> & { digest: string };

export async function evidenceBundle(opts: { actor: Actor | null; id: string; now?: Date }): Promise<EvidenceBundle> {
  const found = await findReadableRequest(db, opts.actor, opts.id);
  const actor = requirePermission(opts.actor, "audit.export", found.model.teamId);
  const body = await buildBundle(actor, found.id, opts.now ?? new Date());
  return { ...body, digest: bundleDigest(body) };
}

async function buildBundle(actor: Actor, id: string, now: Date) {
  const view = await getPromotion({ actor, id, now });
  const r = await db.promotionRequest.findUniqueOrThrow({ where: { id }, include: { model: { include: { team: true } }, decisions: { orderBy: { createdAt: "asc" } } } });
  const version = await db.modelVersion.findUniqueOrThrow({ where: { id: r.versionId }, include: { model: true, aliases: true, reports: { orderBy: { createdAt: "asc" } } } });
  const [defaultPolicy, modelPolicy, aliasChange, events] = await Promise.all([
    r.policyDefaultVersion ? db.policyVersion.findUnique({ where: { scope_version: { scope: DEFAULT_SCOPE, version: r.policyDefaultVersion } } }) : null,
    r.policyModelVersion ? db.policyVersion.findUnique({ where: { scope_version: { scope: r.modelId, version: r.policyModelVersion } } }) : null,
    db.aliasChange.findFirst({ where: { requestId: id, alias: r.alias, via: { in: ["promotion", "emergency", "rollout"] } }, orderBy: { createdAt: "desc" } }),
    // The request's own events and the alias moves it caused (their `after` names the request).
    db.auditEvent.findMany({ where: { OR: [{ targetType: "promotion", targetId: id }, { targetType: "alias", after: { path: ["requestId"], equals: id } }] }, orderBy: { id: "asc" } }),
  ]);
  const auditEvents: ChainedEvent[] = events.map(toChainedEvent);
  const v = toVersionView(version);
  return {
    format: BUNDLE_FORMAT,
    generatedAt: now.toISOString(),
    generatedBy: actorFields(actor).actorLabel,
    request: {
      id: r.id,
      number: r.number,
      model: r.model.name,
      team: r.model.team.slug,
      riskTier: r.model.riskTier,
      version: v.version,
      stage: r.stage,
      alias: r.alias,
      status: r.status,
      statusReason: r.statusReason,
      justification: r.justification,
      emergency: r.emergency,
      requester: r.requesterLabel,
      requestedAt: r.createdAt.toISOString(),
      closedAt: r.closedAt?.toISOString() ?? null,
      strategy: r.strategy,
      evidenceHash: r.evidenceHash,
      review: view.review,
    },
    version: { version: v.version, status: v.status, artifact: v.artifact, signature: v.signature, lineage: v.lineage, environment: v.environment, reproducible: v.reproducible, registeredBy: v.registeredBy, registeredAt: v.createdAt },
    reports: version.reports.map((rep) => ({ id: rep.id, kind: rep.kind, createdBy: rep.createdBy, createdAt: rep.createdAt.toISOString(), payload: rep.payload })),
    gates: { evaluatedAt: r.evaluatedAt.toISOString(), passed: r.gatesPassed, readiness: r.gates as unknown as StageReadiness },
    policy: {
      default: { version: r.policyDefaultVersion, document: defaultPolicy?.document ?? BUILT_IN_DEFAULT_POLICY },
      model: r.policyModelVersion ? { version: r.policyModelVersion, document: modelPolicy?.document ?? "" } : null,
    },
    approvals: { required: view.approvals.required, electronicSignature: view.approvals.electronicSignature, ttl: view.approvals.ttl },
    decisions: r.decisions.map((d) => ({
      id: d.id,
      user: d.userLabel,
      userId: d.userId,
      viaToken: d.tokenId !== null,
      roles: d.roles,
      decision: d.decision,
      comment: d.comment,
      round: d.round,
      decidedAt: d.createdAt.toISOString(),
      evidenceHash: d.evidenceHash,
      state: view.decisions.find((x) => x.id === d.id)?.state ?? null,
      signature: (d.signature as Signature | null) ?? null,
    })),
    aliasChange: aliasChange && { alias: `${r.model.name}@${aliasChange.alias}`, fromVersion: aliasChange.fromVersion, toVersion: aliasChange.toVersion, at: aliasChange.createdAt.toISOString(), by: aliasChange.actorLabel, via: aliasChange.via },
    auditEvents,
  };
}
