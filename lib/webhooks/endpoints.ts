import "server-only";
import { badRequest, notFound } from "@/lib/api/errors";
import { actorFields, lockAuditChain, recordAuditEvent } from "@/lib/audit/record";
import type { Actor } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/require";
import { db, transaction, type Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { pageArgs, toPage, type Page } from "@/lib/pagination";
import { webhookUrlProblem } from "./network";
import { ZCreateWebhookInput, ZUpdateWebhookInput, type TCreateWebhookInput, type TUpdateWebhookInput } from "./schemas";
import { encryptWebhookSecret } from "./secret-store";
import { generateWebhookSecret } from "./signature";
import { ENDPOINT_VIEW_SELECT, webhookView, type DeliveryStatus, type WebhookView } from "./views";

/**
 * Registering, changing and removing webhook endpoints: admins only (webhooks.manage), each change with its
 * audit event in the same transaction. The secret is returned once, by create and rotate, and never recorded
 * anywhere but encrypted in its row: audit events hold only when it was set.
 */
type Settings = Pick<WebhookView, "url" | "description" | "events" | "enabled">;
const settingsOf = (e: Settings): Settings => ({ url: e.url, description: e.description, events: e.events, enabled: e.enabled });

/** `allowPrivate` defaults to the GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE setting; only tests pass it. */
async function assertUrlAllowed(url: string, allowPrivate?: boolean): Promise<void> {
  const problem = await webhookUrlProblem(url, { allowPrivate: allowPrivate ?? env().GATEHOUSE_WEBHOOKS_ALLOW_PRIVATE });
  if (problem) throw badRequest(`The webhook URL cannot be used: ${problem}.`, [{ path: "url", message: problem }]);
}

/**
 * Takes the endpoint's row lock, so concurrent changes to one endpoint serialise and audit the right "before".
 * FOR NO KEY UPDATE: it does not conflict with the key-share lock a promotion's delivery insert takes on the row
 * (while that promotion already holds the audit chain's lock), so an admin's click never deadlocks a promotion.
 */
export async function lockEndpoint(tx: Tx, id: string) {
  await tx.$executeRaw`SELECT 1 FROM webhook_endpoints WHERE id = ${id} FOR NO KEY UPDATE`;
  const row = await tx.webhookEndpoint.findUnique({ where: { id }, select: ENDPOINT_VIEW_SELECT });
  if (!row) throw notFound(`No webhook with id "${id}"`);
  return row;
}

export async function listWebhooks(opts: { actor: Actor | null; cursor?: string; limit: number }): Promise<Page<WebhookView>> {
  requirePermission(opts.actor, "webhooks.manage");
  const rows = await db.webhookEndpoint.findMany({ orderBy: { id: "desc" }, select: ENDPOINT_VIEW_SELECT, ...pageArgs("id", opts.cursor, opts.limit) });
  return toPage(rows.map(webhookView), opts.limit, (w) => w.id);
}

export type WebhookDetail = WebhookView & { deliveryCounts: Record<DeliveryStatus, number> };

export async function getWebhook(opts: { actor: Actor | null; id: string }): Promise<WebhookDetail> {
  requirePermission(opts.actor, "webhooks.manage");
  const row = await db.webhookEndpoint.findUnique({ where: { id: opts.id }, select: ENDPOINT_VIEW_SELECT });
  if (!row) throw notFound(`No webhook with id "${opts.id}"`);
  const groups = await db.webhookDelivery.groupBy({ by: ["status"], where: { endpointId: row.id }, _count: { _all: true } });
  const deliveryCounts = { pending: 0, delivered: 0, failed: 0 };
  for (const g of groups) if (g.status in deliveryCounts) deliveryCounts[g.status as DeliveryStatus] = g._count._all;
  return { ...webhookView(row), deliveryCounts };
}

export async function createWebhook(opts: { actor: Actor | null; input: TCreateWebhookInput; allowPrivate?: boolean }): Promise<{ webhook: WebhookView; secret: string }> {
  const actor = requirePermission(opts.actor, "webhooks.manage");
  const input = ZCreateWebhookInput.parse(opts.input);
  // Outside the transaction: a DNS lookup must not hold a database connection.
  await assertUrlAllowed(input.url, opts.allowPrivate);
  const secret = generateWebhookSecret();
  return transaction(async (tx) => {
    const row = await tx.webhookEndpoint.create({
      data: { url: input.url, description: input.description, events: input.events, enabled: input.enabled, secretEncrypted: encryptWebhookSecret(secret), createdBy: actorFields(actor).actorLabel },
      select: ENDPOINT_VIEW_SELECT,
    });
    await recordAuditEvent(tx, { actor, action: "webhook.create", target: { type: "webhook", id: row.id }, after: { ...settingsOf(row), secretSetAt: row.secretSetAt.toISOString() } });
    return { webhook: webhookView(row), secret };
  });
}

/** Changes any of url, events, description and enabled. Changing only `enabled` is audited as webhook.enable or .disable. */
export async function updateWebhook(opts: { actor: Actor | null; id: string; input: TUpdateWebhookInput; allowPrivate?: boolean }): Promise<WebhookView> {
  const actor = requirePermission(opts.actor, "webhooks.manage");
  const input = ZUpdateWebhookInput.parse(opts.input);
  const current = await db.webhookEndpoint.findUnique({ where: { id: opts.id }, select: { url: true } });
  if (!current) throw notFound(`No webhook with id "${opts.id}"`);
  if (input.url !== undefined && input.url !== current.url) await assertUrlAllowed(input.url, opts.allowPrivate);
  return transaction(async (tx) => {
    const before = await lockEndpoint(tx, opts.id);
    const wanted: Settings = { ...settingsOf(before), ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) };
    const changed = (Object.keys(wanted) as (keyof Settings)[]).filter((k) => JSON.stringify(wanted[k]) !== JSON.stringify(before[k]));
    if (!changed.length) return webhookView(before);
    const row = await tx.webhookEndpoint.update({ where: { id: before.id }, data: Object.fromEntries(changed.map((k) => [k, wanted[k]])), select: ENDPOINT_VIEW_SELECT });
    const action = changed.length === 1 && changed[0] === "enabled" ? (row.enabled ? "webhook.enable" : "webhook.disable") : "webhook.update";
    const pick = (s: Settings) => Object.fromEntries(changed.map((k) => [k, s[k]]));
    await recordAuditEvent(tx, { actor, action, target: { type: "webhook", id: row.id }, before: pick(settingsOf(before)), after: pick(settingsOf(row)) });
    return webhookView(row);
  });
}

/** Removes the endpoint and its delivery log; deliveries not yet sent are dropped with it. */
export async function deleteWebhook(opts: { actor: Actor | null; id: string }): Promise<{ deleted: true; id: string }> {
  const actor = requirePermission(opts.actor, "webhooks.manage");
  return transaction(async (tx) => {
    // Deleting needs the row's exclusive lock, which a promotion's delivery insert waits on while holding the audit
    // chain's lock: take the chain's lock first, in the same order as every promotion.
    await lockAuditChain(tx);
    const before = await lockEndpoint(tx, opts.id);
    const pending = await tx.webhookDelivery.count({ where: { endpointId: before.id, status: "pending" } });
    await tx.webhookEndpoint.delete({ where: { id: before.id } });
    await recordAuditEvent(tx, { actor, action: "webhook.delete", target: { type: "webhook", id: before.id }, before: settingsOf(before), after: { deleted: true, pendingDeliveriesDropped: pending } });
    return { deleted: true as const, id: before.id };
  });
}

/**
 * A new secret, returned once. It applies at once, including to deliveries already queued (each attempt is
 * signed when it is sent), so update the receiver right after rotating.
 */
export async function rotateWebhookSecret(opts: { actor: Actor | null; id: string }): Promise<{ webhook: WebhookView; secret: string }> {
  const actor = requirePermission(opts.actor, "webhooks.manage");
  const secret = generateWebhookSecret();
  return transaction(async (tx) => {
    const before = await lockEndpoint(tx, opts.id);
    const row = await tx.webhookEndpoint.update({ where: { id: before.id }, data: { secretEncrypted: encryptWebhookSecret(secret), secretSetAt: new Date() }, select: ENDPOINT_VIEW_SELECT });
    await recordAuditEvent(tx, { actor, action: "webhook.rotate-secret", target: { type: "webhook", id: row.id }, before: { secretSetAt: before.secretSetAt.toISOString() }, after: { secretSetAt: row.secretSetAt.toISOString() } });
    return { webhook: webhookView(row), secret };
  });
}
