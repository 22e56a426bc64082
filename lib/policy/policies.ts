import "server-only";
import { SYSTEM, reevaluateModel } from "@/lib/promotions/settle";
import { OPEN_STATUSES } from "@/lib/promotions/state";
import { lockModel } from "@/lib/registry/aliases";
import { conflict, notFound, unprocessable } from "@/lib/api/errors";
import { actorFields, recordAuditEvent } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/require";
import { db, transaction, type Tx } from "@/lib/db";
import { findReadableModel } from "@/lib/registry/models";
import { BUILT_IN_DEFAULT_POLICY } from "./defaults";
import { mergePolicies, validateDefaultPolicy, validateModelPolicy, type EffectivePolicy } from "./merge";
import { parsePolicy, sortErrors, type PolicyError } from "./parse";
import type { PolicyDocument } from "./schema";
import { ZPutPolicyInput, ZValidatePolicyInput, type TPutPolicyInput } from "./schemas";

/**
 * Stored policies. The organisation default has scope "default"; a model's policy has the model's id as scope.
 * Each save appends a whole new version (policy_versions is append-only), with who, why and an audit event.
 */
export const DEFAULT_SCOPE = "default";

export type PolicyVersionView = {
  scope: "default" | "model";
  model: string | null;
  version: number;
  document: string;
  author: string;
  comment: string;
  createdAt: string | null;
  /** The newest version is in force. */
  current: boolean;
};

type Row = { version: number; document: string; authorLabel: string; comment: string; createdAt: Date };

function view(scope: "default" | "model", model: string | null, row: Row | null, latest: number): PolicyVersionView {
  if (!row) {
    // Nothing saved yet: the organisation default is the built-in one, a model simply inherits it.
    const document = scope === "default" ? BUILT_IN_DEFAULT_POLICY : `# ${model} inherits the organisation default unchanged.\n# Add stages.<stage>.gates to add or tighten gates.\n`;
    return { scope, model, version: 0, document, author: "Gatehouse", comment: scope === "default" ? "Built-in default" : "No model policy yet", createdAt: null, current: latest === 0 };
  }
  return { scope, model, version: row.version, document: row.document, author: row.authorLabel, comment: row.comment, createdAt: row.createdAt.toISOString(), current: row.version === latest };
}

async function latestVersion(client: Tx, scope: string): Promise<Row | null> {
  return client.policyVersion.findFirst({ where: { scope }, orderBy: { version: "desc" } });
}

async function versionOf(client: Tx, scope: string, version: number | undefined, label: string): Promise<{ row: Row | null; latest: number }> {
  const latest = await latestVersion(client, scope);
  const latestNumber = latest?.version ?? 0;
  if (version === undefined || version === latestNumber) return { row: latest, latest: latestNumber };
  if (version === 0) return { row: null, latest: latestNumber };
  const row = await client.policyVersion.findUnique({ where: { scope_version: { scope, version } } });
  if (!row) throw notFound(`${label} has no version ${version}; the newest is ${latestNumber}`);
  return { row, latest: latestNumber };
}

/**
 * Stored policy texts, parsed, by their text: a stored version never changes, and parsing and checking its YAML
 * takes milliseconds (the promotions page, 25 requests of ~20 models, spent most of its time re-parsing them).
 * Each caller gets its own copy of the document, as before, so nothing can change the cached one.
 */
type StoredPolicy = { ok: true; document: PolicyDocument } | { ok: false; document: null; errors: PolicyError[] };
const parsedPolicies = new Map<string, StoredPolicy>();
const MAX_PARSED_POLICIES = 1_000;

function parseStoredPolicy(text: string): StoredPolicy {
  let parsed = parsedPolicies.get(text);
  if (!parsed) {
    const p = parsePolicy(text);
    parsed = p.ok ? { ok: true, document: p.document } : { ok: false, document: null, errors: p.errors };
    if (parsedPolicies.size >= MAX_PARSED_POLICIES) parsedPolicies.clear();
    parsedPolicies.set(text, parsed);
  }
  return parsed.ok ? { ok: true, document: structuredClone(parsed.document) } : parsed;
}

/** The organisation default's text and its parsed document (the built-in one until an admin saves one). */
export async function currentDefault(client: Tx): Promise<{ version: number; document: PolicyDocument }> {
  const row = await latestVersion(client, DEFAULT_SCOPE);
  const parsed = parseStoredPolicy(row?.document ?? BUILT_IN_DEFAULT_POLICY);
  // Stored versions were valid when saved, and the schema only ever accepts more; a failure here is a bug.
  if (!parsed.ok) throw new Error(`The stored organisation default (version ${row?.version ?? 0}) no longer parses: ${parsed.errors[0].message}`);
  return { version: row?.version ?? 0, document: parsed.document };
}

/** A model's effective policy and the versions it was built from (each promotion records them). */
export async function effectivePolicyFor(client: Tx, modelId: string): Promise<{ policy: EffectivePolicy; defaultVersion: number; modelVersion: number }> {
  const def = await currentDefault(client);
  const row = await latestVersion(client, modelId);
  const parsed = row ? parseStoredPolicy(row.document) : null;
  if (parsed && !parsed.ok) throw new Error(`The stored policy version ${row!.version} no longer parses: ${parsed.errors[0].message}`);
  return { policy: mergePolicies(def.document, parsed?.document ?? null), defaultVersion: def.version, modelVersion: row?.version ?? 0 };
}

export async function getDefaultPolicy(opts: { actor: Actor | null; version?: number }): Promise<PolicyVersionView> {
  requirePermission(opts.actor, "registry.read");
  const { row, latest } = await versionOf(db, DEFAULT_SCOPE, opts.version, "The organisation default");
  return view("default", null, row, latest);
}

export async function getModelPolicy(opts: { actor: Actor | null; model: string; version?: number }): Promise<PolicyVersionView & { defaultVersion: number }> {
  const model = await findReadableModel(db, opts.actor, opts.model);
  const { row, latest } = await versionOf(db, model.id, opts.version, `The policy of "${model.name}"`);
  const def = await latestVersion(db, DEFAULT_SCOPE);
  return { ...view("model", model.name, row, latest), defaultVersion: def?.version ?? 0 };
}

export async function listPolicyVersions(opts: { actor: Actor | null; model?: string }): Promise<PolicyVersionView[]> {
  const model = opts.model ? await findReadableModel(db, opts.actor, opts.model) : null;
  if (!model) requirePermission(opts.actor, "registry.read");
  const scope = model?.id ?? DEFAULT_SCOPE;
  const rows = await db.policyVersion.findMany({ where: { scope }, orderBy: { version: "desc" }, take: 500 });
  const latest = rows[0]?.version ?? 0;
  const views = rows.map((r) => view(model ? "model" : "default", model?.name ?? null, r, latest));
  return [...views, view(model ? "model" : "default", model?.name ?? null, null, latest)];
}

/** Every problem in a policy text, each with its path, line and column; empty when it may be saved. */
async function problems(client: Tx, text: string, modelId: string | null): Promise<PolicyError[]> {
  const parsed = parsePolicy(text);
  if (!parsed.ok) return parsed.errors;
  if (!modelId) return sortErrors(validateDefaultPolicy(parsed.document, parsed.source));
  const def = await currentDefault(client);
  return sortErrors(validateModelPolicy(def.document, parsed.document, parsed.source));
}

export async function validatePolicy(opts: { actor: Actor | null; input: unknown }): Promise<{ valid: true }> {
  const input = ZValidatePolicyInput.parse(opts.input);
  const model = input.model ? await findReadableModel(db, opts.actor, input.model) : null;
  if (!model) requirePermission(opts.actor, "registry.read");
  const errors = await problems(db, input.document, model?.id ?? null);
  if (errors.length) throw invalid(errors);
  return { valid: true };
}

function invalid(errors: PolicyError[]) {
  const first = errors[0];
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
  return unprocessable(`The policy is not valid: line ${first.line}, column ${first.column}: ${first.message}${more}`, errors);
}

async function savePolicy(tx: Tx, actor: Actor, scope: string, label: string, input: ReturnType<typeof ZPutPolicyInput.parse>, teamId: string | null) {
  // One save at a time per policy, so versions are 1, 2, 3… and expectedVersion is checked against the truth.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`policy:${scope}`}))`;
  const latest = await latestVersion(tx, scope);
  const current = latest?.version ?? 0;
  if (input.expectedVersion !== undefined && input.expectedVersion !== current) {
    throw conflict(`${label} changed since you opened it: you edited version ${input.expectedVersion}, and version ${current} has been saved since. Reload, reapply your change and save again.`, [{ path: "expectedVersion", message: `The newest version is ${current}` }]);
  }
  const errors = await problems(tx, input.document, scope === DEFAULT_SCOPE ? null : scope);
  if (errors.length) throw invalid(errors);
  // PUT is idempotent: a pipeline that sets the same text on every run creates no new version.
  if (latest && latest.document === input.document) return latest;
  const who = actorFields(actor);
  const row = await tx.policyVersion.create({ data: { scope, version: current + 1, document: input.document, authorId: who.actorId, authorLabel: who.actorLabel, comment: input.comment } });
  await recordAuditEvent(tx, {
    actor,
    action: "policy.update",
    target: { type: "policy", id: scope === DEFAULT_SCOPE ? "default" : label, teamId },
    before: { version: current },
    after: { version: row.version },
    reason: input.comment,
  });
  return row;
}

export async function putDefaultPolicy(opts: { actor: Actor | null; input: TPutPolicyInput }): Promise<PolicyVersionView> {
  const input = ZPutPolicyInput.parse(opts.input);
  const actor = requirePermission(opts.actor, "policies.manage");
  const row = await transaction(async (tx) => {
    // Every open request is judged by the policy in force: re-run them all on the new default. The models' locks
    // come first, in id order, as every other writer takes them before the audit chain's lock.
    const models = await tx.promotionRequest.findMany({ where: { status: { in: [...OPEN_STATUSES] } }, distinct: ["modelId"], select: { modelId: true }, orderBy: { modelId: "asc" } });
    for (const m of models) await lockModel(tx, m.modelId);
    const saved = await savePolicy(tx, actor, DEFAULT_SCOPE, "The organisation default", input, null);
    for (const m of models) await reevaluateModel(tx, { modelId: m.modelId, actor: SYSTEM });
    return saved;
  });
  return view("default", null, row, row.version);
}

export async function putModelPolicy(opts: { actor: Actor | null; model: string; input: TPutPolicyInput }): Promise<PolicyVersionView> {
  const input = ZPutPolicyInput.parse(opts.input);
  const row = await transaction(async (tx) => {
    // policies.manage is organisation-wide, so a CI token holding only policies:write may set any model's policy.
    const actor = requirePermission(opts.actor, "policies.manage");
    const model = await tx.registeredModel.findUnique({ where: { name: opts.model } });
    if (!model) throw notFound(`No model named "${opts.model}"`);
    await lockModel(tx, model.id);
    const saved = await savePolicy(tx, actor, model.id, model.name, input, model.teamId);
    await reevaluateModel(tx, { modelId: model.id, actor: SYSTEM });
    return { model, row: saved };
  });
  return view("model", row.model.name, row.row, row.row.version);
}
